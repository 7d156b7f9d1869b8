"""The front door: the landing page, or the signed-in user's organisation."""
from django.shortcuts import redirect, render

from members.selectors import memberships_for


def home(request):
    if not request.user.is_authenticated:
        return render(request, "home.html")
    memberships = list(memberships_for(request.user))
    if len(memberships) == 1:
        return redirect("deposits:member", pk=memberships[0].member_id)
    return render(request, "members/choose.html", {"memberships": memberships})


def csrf_failure(request, reason: str = ""):
    """An upload cut early (deposits.uploads) never reached its CSRF field: say why, not "CSRF"."""
    from django.views.csrf import csrf_failure as django_csrf_failure

    if refused := getattr(request, "upload_refused", None):
        return render(request, "upload_refused.html", {"message": refused}, status=413)
    return django_csrf_failure(request, reason=reason)
