"""The front door: the landing page, or the signed-in user's organisation."""
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from members.access import can_browse_all_members
from members.selectors import members_search, memberships_for


def home(request):
    if not request.user.is_authenticated:
        return render(request, "home.html")
    memberships = list(memberships_for(request.user))
    if can_browse_all_members(request.user):
        # The agency's staff help every member: a directory of all of them, searchable.
        query = request.GET.get("q", "")
        page = Paginator(members_search(query), 50).get_page(request.GET.get("page"))
        return render(request, "members/choose.html", {"memberships": memberships, "directory": page, "page": page,
                                                       "query": query, "extra": f"&q={query}" if query else ""})
    if len(memberships) == 1:
        return redirect("citations:dashboard", pk=memberships[0].member_id)
    return render(request, "members/choose.html", {"memberships": memberships})


def csrf_failure(request, reason: str = ""):
    """An upload cut early (deposits.uploads) never reached its CSRF field: say why, not "CSRF"."""
    from django.views.csrf import csrf_failure as django_csrf_failure

    if refused := getattr(request, "upload_refused", None):
        return render(request, "upload_refused.html", {"message": refused}, status=413)
    return django_csrf_failure(request, reason=reason)
