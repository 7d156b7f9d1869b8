"""View helpers built on members.access."""
from django.http import Http404

from members.access import can_view_member
from members.models import Member

# Every member page that is missing, or not the viewer's, answers with these same words, so a
# 404 never tells whether the thing exists.
NOT_FOUND = "Page not found."


def member_or_404(request, pk: int) -> Member:
    """The member, if the signed-in user belongs to it; otherwise 404 (its existence is not told)."""
    member = Member.objects.filter(pk=pk).first()
    if member is None or not can_view_member(request.user, member):
        raise Http404(NOT_FOUND)
    return member
