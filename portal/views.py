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
