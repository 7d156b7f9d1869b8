"""Reading members, prefixes and memberships."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from members.models import Member, Membership, Prefix, Role


def memberships_for(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("member")


def admin_emails_of(member: Member | int) -> list[str]:
    """Who to ask about a member's roles and settings: its administrators' addresses."""
    member_id = member if isinstance(member, int) else member.pk
    return list(Membership.objects.filter(member_id=member_id, role=Role.ADMIN, user__is_active=True)
                .order_by("user__email").values_list("user__email", flat=True))


def members_search(query: str = "") -> QuerySet[Member]:
    """Every member, by name; a query narrows to names containing it or a prefix starting with it."""
    members = Member.objects.order_by("name")
    if query := query.strip():
        members = members.filter(Q(name__icontains=query) | Q(prefixes__value__startswith=query)).distinct()
    return members.prefetch_related("prefixes")


def prefix_owner(prefix: str) -> Member | None:
    """The member owning a DOI prefix ("10.1234"), or None."""
    found = Prefix.objects.filter(value=prefix).select_related("member").first()
    return found.member if found else None


def prefixes_of(member: Member | int) -> list[str]:
    member_id = member if isinstance(member, int) else member.pk
    return list(Prefix.objects.filter(member_id=member_id).values_list("value", flat=True))
