"""View helpers built on members.access."""
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.access import can_view_member
from members.models import Member


def member_or_404(request, pk: int) -> Member:
    """The member, if the signed-in user belongs to it; otherwise 404 (its existence is not told)."""
    member = get_object_or_404(Member, pk=pk)
    if not can_view_member(request.user, member):
        raise Http404("No such member.")
    return member
