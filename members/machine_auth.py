"""Who is calling a machine endpoint (Crossref's servlet, the JSON API): one function for all.

Two kinds of credentials, both as Crossref's `login_id` / `login_passwd` (servlet: `usr` / `pwd`):

- a member user's email and password. A user of several members names one:
  `login_id=email/<member id>` (Crossref's own `user/role` shape); one member needs no suffix.
- an API key, shown once when made: `cbp_<key id>_<secret>`. It goes whole in `login_passwd`,
  with `login_id` set to its key id (`cbp_<key id>`) — or whole in `Authorization: Bearer …`.
  A key belongs to one member and acts within its scopes.

Every refusal says why; failures are counted by members.login_throttle (per address and per
account, as for the sign-in forms), and a throttled caller is told how long to wait.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.contrib.auth import authenticate

from members import login_throttle
from members.access import key_allows, machine_user_allows
from members.models import APIKey, Member, Membership, User
from members.selectors import api_key_with_member
from members.services import API_KEY_PREFIX, api_key_hash, api_key_mark_used


@dataclass(frozen=True)
class MachineLogin:
    member: Member
    user: User | None  # the signed-in person, or None for an API key
    key: APIKey | None


@dataclass(frozen=True)
class MachineRefusal:
    reason: str  # unknown_credentials, revoked_key, missing_scope, not_a_member, member_ambiguous, throttled
    message: str
    status: int  # the HTTP status every endpoint answers with
    retry_after: int = 0


def _refuse(reason: str, message: str, status: int, retry_after: int = 0) -> MachineRefusal:
    return MachineRefusal(reason=reason, message=message, status=status, retry_after=retry_after)


def split_key(token: str) -> tuple[str, str] | None:
    """(key id, secret) of a whole key `cbp_<id>_<secret>`, or None when it is not shaped like one."""
    if not token.startswith(f"{API_KEY_PREFIX}_"):
        return None
    key_id, sep, secret = token.partition("_")[2].partition("_")
    if not sep or not key_id or not secret:
        return None
    return f"{API_KEY_PREFIX}_{key_id}", secret


def machine_authenticate(*, request, login_id: str, password: str, scope: str) -> MachineLogin | MachineRefusal:
    """The member (and user or key) these credentials act for, allowed `scope`; or why not."""
    login_id, password = (login_id or "").strip(), password or ""
    if not login_id or not password:
        return _refuse("unknown_credentials", "Give login_id and login_passwd (or usr and pwd).", 401)
    key_parts = split_key(password)
    if key_parts is not None and (login_id == key_parts[0] or login_id == password):
        return key_authenticate(request=request, token=password, scope=scope)
    email, _, member_part = login_id.partition("/")
    if wait := login_throttle.wait_seconds(request, email):
        return _throttled(wait)
    # authenticate() counts a failure for this address and account (members.login_throttle).
    user = authenticate(request, username=email, password=password)
    if user is None:
        return _refuse("unknown_credentials", "Unknown credentials: no user with this email and password.", 401)
    login_throttle.record_success(request, email)
    return user_login(user=user, member_id=member_part, scope=scope)


def user_login(*, user, member_id: str | int | None, scope: str) -> MachineLogin | MachineRefusal:
    """The member a user (signed in, or by password) acts for: the one named, or their only one."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _refuse("unknown_credentials", "Sign in, or give an API key (Authorization: Bearer <key>).", 401)
    memberships = list(Membership.objects.filter(user=user).select_related("member").order_by("member_id"))
    if member_id:
        chosen = [m for m in memberships if str(m.member_id) == str(member_id)]
        if not chosen:
            return _refuse("not_a_member", f"{user.email} is not a user of member {member_id}.", 403)
    elif len(memberships) > 1:
        names = "; ".join(f"{m.member_id} ({m.member.name})" for m in memberships)
        return _refuse("member_ambiguous", f"{user.email} belongs to several members; name one "
                       f"(login_id={user.email}/<member id>, or member=<member id>). Yours: {names}.", 403)
    else:
        chosen = memberships
    if not chosen:
        return _refuse("not_a_member", f"{user.email} is not a user of any member.", 403)
    membership = chosen[0]
    if not machine_user_allows(user, membership.member_id, scope):
        return _refuse("missing_scope", f"{user.email} is {membership.get_role_display().lower()} of "
                       f"{membership.member.name}; that role may not {_doing(scope)}.", 403)
    return MachineLogin(member=membership.member, user=user, key=None)


def key_authenticate(*, request, token: str, scope: str) -> MachineLogin | MachineRefusal:
    """An API key given whole (Bearer, or the servlet's login_passwd)."""
    parts = split_key(token.strip())
    account = parts[0] if parts else token[:40]
    counts = login_throttle.failure_counts(request, account)
    if wait := login_throttle.wait_seconds(request, account, counts=counts):
        return _throttled(wait)
    key = api_key_with_member(parts[0]) if parts else None
    if key is None or not hmac.compare_digest(key.secret_hash, api_key_hash(parts[1])):
        login_throttle.record_failure(request, account)
        return _refuse("unknown_credentials", "Unknown credentials: no such API key.", 401)
    if key.is_revoked:
        login_throttle.record_failure(request, account)
        return _refuse("revoked_key", f"API key {key.key_id} (“{key.name}”) was revoked on "
                       f"{key.revoked:%Y-%m-%d}; ask an administrator of {key.member.name} for a new one.", 401)
    login_throttle.record_success(request, account, counts=counts)
    if not key_allows(key, scope):
        return _refuse("missing_scope", f"API key {key.key_id} (“{key.name}”) may not {_doing(scope)}: "
                       f"its scopes are {', '.join(key.scopes) or 'none'}; it needs “{scope}”.", 403)
    api_key_mark_used(key=key)
    return MachineLogin(member=key.member, user=None, key=key)


def _doing(scope: str) -> str:
    return {"deposit": "deposit or read deposit logs", "retrieve": "retrieve cited-by lists"}.get(scope, scope)


def _throttled(wait: int) -> MachineRefusal:
    return _refuse("throttled", login_throttle.refusal_message(wait), 429, retry_after=wait)
