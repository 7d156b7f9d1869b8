"""Reading members, prefixes and memberships."""
from __future__ import annotations

from django.db.models import QuerySet

from members.models import Member, Membership, Prefix


def memberships_for(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("member")


def prefix_owner(prefix: str) -> Member | None:
    """The member owning a DOI prefix ("10.1234"), or None."""
    found = Prefix.objects.filter(value=prefix).select_related("member").first()
    return found.member if found else None


def prefixes_of(member: Member | int) -> list[str]:
    member_id = member if isinstance(member, int) else member.pk
    return list(Prefix.objects.filter(member_id=member_id).values_list("value", flat=True))
