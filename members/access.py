"""Who may do what: the one place that decides it for every page, command and endpoint.

Views never test roles themselves; they ask here.

Agents: a member (the principal) may grant another member (its agent) `deposit` and/or
`retrieve` for the principal's DOIs (members.models.AgentGrant). A machine login of the agent
(a user by role, or a key by scope, as machine_auth decides) then acts for the principal within
both: the login's own scope *and* the grant. Nothing is cached, so a revoked grant stops the
very next request.
"""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from members.models import AgentGrant, APIKey, Member, Membership, Role, WidgetKey

DEPOSIT_ROLES = frozenset({Role.ADMIN, Role.DEPOSITOR})
# Confirming and rejecting the links to a member's works is editorial work; depositors only look.
REVIEW_ROLES = frozenset({Role.ADMIN, Role.EDITOR})


def _role(user, member_id: int) -> str | None:
    if not user or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return None
    return Membership.objects.filter(user=user, member_id=member_id).values_list("role", flat=True).first()


def can_view_member(user, member: Member | int) -> bool:
    """The member's own pages: its works, deposits, and the lists of works citing its works.

    The agency's staff (superusers) see them too, to help members; they act as none of them.
    """
    return _is_agency_superuser(user) or _role(user, _id(member)) is not None


def can_browse_all_members(user) -> bool:
    """The agency's staff find any member's pages from a directory of every member."""
    return _is_agency_superuser(user)


def can_deposit_for(user, member: Member | int) -> bool:
    return _role(user, _id(member)) in DEPOSIT_ROLES


def why_not_deposit(user, member: Member | int) -> str | None:
    """Why a user who may see a member's pages may not deposit for it, so the page can say so
    and name who can change it: "agency" (the agency's staff act as no member), "role" (the
    member's user without a depositing role), or None when depositing is allowed or the pages
    are not theirs to see at all."""
    role = _role(user, _id(member))
    if role in DEPOSIT_ROLES:
        return None
    if role is not None:
        return "role"
    return "agency" if _is_agency_superuser(user) else None


def can_view_citing_list(user, owner: Member | int | None) -> bool:
    """Cited-by rule: only the member owning the cited work sees the list of works citing it,
    and the users of the members it made its agents for retrieving (as their keys do by machine)."""
    if owner is None:
        return False
    if can_view_member(user, owner):
        return True
    if not user or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    grants = AgentGrant.objects.filter(principal_id=_id(owner), agent__memberships__user=user).values_list("scopes", flat=True)
    return any(APIKey.Scope.RETRIEVE in scopes for scopes in grants)


def can_use_member_tools(user) -> bool:
    """Tools for any member's users, whatever their role (the Simple Text Query), and agency staff."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or Membership.objects.filter(user=user).exists()


def can_review_citations(user, owner: Member | int | None) -> bool:
    """Who confirms or rejects the links to a work: its owning member's editors and administrators."""
    return owner is not None and _role(user, _id(owner)) in REVIEW_ROLES


def can_manage_member(user, member: Member | int) -> bool:
    """The member's own administration: its users and roles, its API keys. Its admins only
    (agency staff use the Django admin, so they never act inside a member by accident)."""
    return _role(user, _id(member)) == Role.ADMIN


def key_allows(key: APIKey, scope: str) -> bool:
    """A key acts only within the scopes it was given, and never once revoked."""
    return not key.is_revoked and scope in key.scopes


def machine_user_allows(user, member: Member | int, scope: str) -> bool:
    """A member user's password on the machine endpoints is worth what the user's role is:
    depositing needs a role that may deposit; reading cited-by lists, any role."""
    if scope == APIKey.Scope.DEPOSIT:
        return can_deposit_for(user, member)
    return _role(user, _id(member)) is not None


def widget_key_serves(key: WidgetKey | None, *, owner_id: int | None) -> bool:
    """A publishable widget key shows the citing lists of its own member's works, and nothing
    once revoked (read on every request from a cached copy that every change to the key rewrites,
    members.services.widget_key_cache_refresh, so a revocation holds at once)."""
    return key is not None and key.revoked is None and owner_id is not None and key.member_id == owner_id


def widget_origin_allowed(key: WidgetKey, *, origin: str | None, same_origin: bool) -> bool:
    """Where a widget key may be used: the sites its member listed, and the portal's own pages
    (the publisher documentation's live preview). `origin` is normalised (members.origins)."""
    if same_origin:
        return True
    return origin is not None and origin in key.allowed_origins


def agent_allows(*, agent: Member | int, principal: Member | int, scope: str) -> bool:
    """Whether `principal` has granted `agent` this scope (deposit or retrieve), now."""
    scopes = AgentGrant.objects.filter(agent_id=_id(agent), principal_id=_id(principal)).values_list("scopes", flat=True).first()
    return scopes is not None and scope in scopes


def acts_for_itself(acting: Member | int, owner: Member | int | None) -> bool:
    """Whether a machine login of `acting` works on its own member's DOIs (no grant needed).
    portal.front's cached cited-by pages, which read no grants, serve only these."""
    return owner is not None and _id(acting) == _id(owner)


def may_act_for(acting: Member | int, owner: Member | int | None, scope: str) -> bool:
    """Whether a machine login of `acting` (already allowed `scope` by its user's role or its
    key's scopes) may use `scope` on `owner`'s DOIs: its own member, or as an agent granted it.

    The cited-by lists by machine (JSON API, getForwardLinks) and deposits under another
    member's prefixes all ask here."""
    if owner is None:
        return False
    return acts_for_itself(acting, owner) or agent_allows(agent=acting, principal=owner, scope=scope)


def _is_agency_superuser(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def _id(member: Member | int) -> int:
    return member if isinstance(member, int) else member.pk
