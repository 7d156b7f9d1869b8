"""Reading members, prefixes and memberships."""
from __future__ import annotations

from django.db.models import F, Q, QuerySet

from members.models import Member, Membership, Prefix, Role, WidgetKey


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


def widget_keys_of(member: Member | int) -> QuerySet[WidgetKey]:
    """A member's widget keys, active first, newest first."""
    member_id = member if isinstance(member, int) else member.pk
    return WidgetKey.objects.filter(member_id=member_id).order_by(F("revoked").asc(nulls_first=True), "-created", "-pk")


def widget_key_by_value(value: str) -> WidgetKey | None:
    """The key a page passes in `data-cited-by-key` / `?key=`, revoked or not (access decides)."""
    if not value or len(value) > 64:
        return None
    # On every widget request: no ordering, only the columns access needs (the unique index answers).
    found = WidgetKey.objects.filter(key=value).order_by().only("pk", "member_id", "allowed_origins", "revoked")[:1]
    return next(iter(found), None)
