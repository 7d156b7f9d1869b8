"""Changing members, prefixes, memberships and API keys."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from members import selectors
from members.models import AgentGrant, APIKey, Member, Membership, Prefix, Role, User, WidgetKey, validate_prefix
from members.origins import parse_origins

API_KEY_PREFIX = "cbp"


@dataclass(frozen=True)
class MemberSetup:
    member: Member
    created: bool
    admin: User | None


@transaction.atomic
def member_create(
    *,
    name: str,
    prefixes: list[str],
    admin_email: str | None = None,
    admin_password: str | None = None,
) -> MemberSetup:
    """Create (or complete) a member with its prefixes and an admin user. Idempotent.

    A prefix already owned by another member is refused: prefixes are never moved silently.
    """
    for value in prefixes:
        validate_prefix(value)
    member, created = Member.objects.get_or_create(name=name)
    for value in prefixes:
        prefix, _ = Prefix.objects.get_or_create(value=value, defaults={"member": member})
        if prefix.member_id != member.pk:
            raise ValidationError(f"Prefix {value} already belongs to {prefix.member.name}.")
    admin = None
    if admin_email:
        admin = user_add_to_member(email=admin_email, member=member, role=Role.ADMIN, password=admin_password)
    return MemberSetup(member=member, created=created, admin=admin)


def user_add_to_member(*, email: str, member: Member, role: str, password: str | None = None) -> User:
    """Give a user (created when new) a role in a member. A given password replaces the old one."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password)
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(user=user, member=member, defaults={"role": role})
    return user


# --- The member's own administration (its admins, on its pages) --------------------------------


@dataclass(frozen=True)
class Invitation:
    user: User
    created: bool  # False: the address already had an account, now also in this member
    link: str  # the one-time set-password link ("" for an existing account, which has a password)


@transaction.atomic
def member_invite(*, member: Member, email: str, role: str, invited_by: User, base_url: str) -> Invitation:
    """Add a colleague to the member by email. A new address gets an account without a password
    and an email with a one-time link to choose one; an existing account just gains the role."""
    email = User.objects.normalize_email(email.strip()).lower()
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if Membership.objects.filter(member=member, user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a user of {member.name}; change their role instead.")
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, password=None)  # unusable until they choose one
    Membership.objects.create(user=user, member=member, role=role)
    link = base_url.rstrip("/") + set_password_path(user) if created or not user.has_usable_password() else ""
    body = (
        f"{invited_by.email} added you to {member.name} on the Cited-by Portal as {Role(role).label.lower()}.\n\n"
        + (f"Choose your password here (the link works once):\n{link}\n" if link else
           f"Sign in with your usual password: {base_url.rstrip('/')}{reverse('account_login')}\n")
    )
    transaction.on_commit(lambda: send_mail(f"You have been added to {member.name}", body, None, [email]))
    return Invitation(user=user, created=created, link=link)


def set_password_path(user: User) -> str:
    """allauth's password-reset-from-key page: one-time (the token dies with the password it
    replaces), shown in the portal's layout, and it ends on the sign-in page."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    return reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )


class LastAdmin(ValidationError):
    """A member always keeps an admin, or nobody could manage it any more."""


def _check_keeps_an_admin(membership: Membership, *, new_role: str | None) -> None:
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    others = Membership.objects.select_for_update().filter(member_id=membership.member_id, role=Role.ADMIN)
    if not others.exclude(pk=membership.pk).exists():
        raise LastAdmin(f"{membership.user.email} is the last administrator of {membership.member.name}; "
                        "make someone else administrator first.")


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    _check_keeps_an_admin(membership, new_role=role)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """The user leaves the member; their account stays (they may belong to other members)."""
    _check_keeps_an_admin(membership, new_role=None)
    membership.delete()


@dataclass(frozen=True)
class NewAPIKey:
    key: APIKey
    token: str  # shown once, never stored


def api_key_create(*, member: Member, name: str, scopes: list[str], created_by: User | None) -> NewAPIKey:
    name = name.strip()
    if not name:
        raise ValidationError("Give the key a name that says what uses it.")
    unknown = [scope for scope in scopes if scope not in APIKey.Scope.values]
    if unknown or not scopes:
        raise ValidationError(f"Choose at least one scope of: {', '.join(APIKey.Scope.values)}.")
    key_id = f"{API_KEY_PREFIX}_{secrets.token_hex(6)}"
    secret = secrets.token_urlsafe(32)
    key = APIKey.objects.create(
        member=member, name=name[:100], key_id=key_id, secret_hash=api_key_hash(secret),
        scopes=sorted(set(scopes)), created_by=created_by,
    )
    return NewAPIKey(key=key, token=f"{key_id}_{secret}")


def api_key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_revoke(*, key: APIKey) -> APIKey:
    """Revoked for good (a new key is a new key); the row stays so refusals can say why.
    Its cached record follows (the save signal, members.apps), so portal.front refuses it at once."""
    if key.revoked is None:
        key.revoked = timezone.now()
        key.save(update_fields=["revoked"])
    return key


# "Last used" to the minute is enough for people; a busy platform then writes once a minute.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_key_use_recorded(last_used, *, now) -> bool:
    """Whether a use at `now` is already recorded closely enough by `last_used` (no write needed).
    portal.front answers a key only while its cached record says so: a stale one goes to Django,
    which records the use."""
    return last_used is not None and last_used >= now - LAST_USED_RESOLUTION


def api_key_mark_used(*, key: APIKey) -> None:
    now = timezone.now()
    if api_key_use_recorded(key.last_used, now=now):
        return  # recent enough as loaded: no UPDATE on every request of a busy key
    stale = Q(last_used__isnull=True) | Q(last_used__lt=now - LAST_USED_RESOLUTION)
    if APIKey.objects.filter(stale, pk=key.pk).update(last_used=now):
        _api_key_cache_write(key_id=key.key_id, secret_hash=key.secret_hash, after_change=False)


def api_key_cache_refresh(*, key: APIKey) -> None:
    """Make the cached record of a key (members.selectors.api_key_record) follow its row: forgotten
    now, so this transaction's next request reads the change, and written afresh once the change
    is committed. Every change to an APIKey calls this: the model's save and delete signals
    (members.apps: these services, the Django admin)."""
    _api_key_cache_write(key_id=key.key_id, secret_hash=key.secret_hash, after_change=True)


def _api_key_cache_write(*, key_id: str, secret_hash: str, after_change: bool) -> None:
    cache_key = selectors.api_key_cache_key(secret_hash)
    if after_change:
        cache.delete(cache_key)

    def write_committed_state() -> None:
        if after_change:
            if record := selectors.api_key_record(key_id):  # (a deleted key: no record)
                cache.set(cache_key, record, selectors.API_KEY_CACHE_SECONDS)
            return
        # A recorded use replaces its own stale record, but never a change's: the delete comes
        # before this read, so a change committed meanwhile either is read here or, written after
        # the delete, makes the add fail (a change's write always reads after its commit).
        cache.delete(cache_key)
        record = selectors.api_key_record(key_id)
        if record:
            cache.add(cache_key, record, selectors.API_KEY_CACHE_SECONDS)

    transaction.on_commit(write_committed_state)


# --- Widget keys: publishable, so no secret; the allowed sites are what protects them. ------------

WIDGET_KEY_PREFIX = "cbw_"


def widget_key_create(*, member: Member, name: str, origins: str, created_by: User | None) -> WidgetKey:
    """A new publishable widget key for `member`'s works, usable on `origins` (one per line).

    Raises members.origins.InvalidOrigin naming the first bad site and its line.
    """
    allowed = parse_origins(origins)
    key = WidgetKey.objects.create(
        member=member, name=name.strip()[:100] or "Widget key", key=WIDGET_KEY_PREFIX + secrets.token_urlsafe(18),
        allowed_origins=allowed, created_by=created_by,
    )
    return key  # its cached copy: the save signal (members.apps)


def widget_key_set_origins(*, key: WidgetKey, origins: str) -> WidgetKey:
    """Replace the sites a key may be used on (effective on the next request)."""
    key.allowed_origins = parse_origins(origins)
    key.save(update_fields=["allowed_origins"])  # its cached copy follows: the save signal (members.apps)
    return key


def widget_key_revoke(*, key: WidgetKey, by: User | None) -> WidgetKey:
    """Revoke a key. It stops working at once: its cached state is refreshed. Idempotent."""
    WidgetKey.objects.filter(pk=key.pk, revoked__isnull=True).update(revoked=timezone.now(), revoked_by=by)
    key.refresh_from_db(fields=["revoked", "revoked_by"])
    widget_key_cache_refresh(value=key.key)
    return key


def widget_key_cache_refresh(*, value: str) -> None:
    """Make the widget's cached copy of a key (members.selectors.widget_key_by_value) follow its
    row: forgotten now, so this transaction's next request reads the change, and written afresh
    once the change is committed, over any copy a concurrent request read before the commit.

    Every change to a WidgetKey calls this: the model's save and delete signals (members.apps:
    these services, the Django admin), and widget_key_revoke, whose update() sends no signal."""
    cache_key = selectors.widget_key_cache_key(value)
    cache.delete(cache_key)

    def write_committed_state() -> None:
        cache.set(cache_key, tuple(selectors.widget_key_record(value)), selectors.WIDGET_KEY_CACHE_SECONDS)

    transaction.on_commit(write_committed_state)


def agent_grant(*, principal: Member, agent: Member, scopes: list[str], granted_by: User | None) -> AgentGrant:
    """Let `agent` deposit and/or retrieve for `principal`'s DOIs; granting again replaces the scopes."""
    if agent.pk == principal.pk:
        raise ValidationError(f"{principal.name} cannot be its own agent: its users already act for it.")
    unknown = [scope for scope in scopes if scope not in AgentGrant.Scope.values]
    if unknown or not scopes:
        raise ValidationError(f"Choose at least one of: {', '.join(AgentGrant.Scope.values)}.")
    grant, _ = AgentGrant.objects.update_or_create(
        principal=principal, agent=agent, defaults={"scopes": sorted(set(scopes)), "granted_by": granted_by},
    )
    return grant


def agent_revoke(*, grant: AgentGrant) -> None:
    """Gone at once: every request asks members.access afresh."""
    grant.delete()
