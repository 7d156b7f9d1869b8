"""Reading members, prefixes and memberships."""
from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, Q, QuerySet

from members.models import APIKey, Member, Membership, Prefix, Role, WidgetKey
from portal.compiled import CompiledValues


def memberships_for(user) -> QuerySet[Membership]:
    # An API key's stand-in (members.api_auth.APIKeyUser) is authenticated but nobody: no row.
    if not user.is_authenticated or user.pk is None:
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


# What the widget's endpoints need of a key, kept in the shared cache: every widget request names
# its key, and reading its row cost more than the rest of a cached answer. members.services writes
# the row's new state here whenever a key changes (revoked, sites changed, deleted), so access
# decisions still see every change at once; the lifetime is only a backstop.
WIDGET_KEY_CACHE_SECONDS = 10 * 60
_NO_KEY = ()


def widget_key_cache_key(value: str) -> str:
    # Keys are publishable, but a digest keeps every cache backend's key rules.
    return f"widget-key:v1:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def widget_key_record(value: str) -> tuple:
    """The key's row as the cache keeps it: (pk, member_id, allowed_origins, revoked), or () for no key."""
    # No ordering, only the columns access needs (the unique index answers).
    row = WidgetKey.objects.filter(key=value).order_by().values_list("pk", "member_id", "allowed_origins", "revoked")[:1]
    return next(iter(row), _NO_KEY)


def widget_key_by_value(value: str) -> WidgetKey | None:
    """The key a page passes in `data-cited-by-key` / `?key=`, revoked or not (access decides)."""
    if not value or len(value) > 64:
        return None
    cache_key = widget_key_cache_key(value)
    record = cache.get(cache_key)
    if record is None:
        record = widget_key_record(value)
        # add, not set: a change written meanwhile by members.services wins over this older read.
        cache.add(cache_key, tuple(record), WIDGET_KEY_CACHE_SECONDS)
    return widget_key_from_record(value, record)


def widget_key_from_record(value: str, record: tuple) -> WidgetKey | None:
    """The key its cached record describes (members.access decides on it), or None for no key.
    portal.front reads the record itself, in the same round trip as the cached answer."""
    if not record:
        return None
    pk, member_id, allowed_origins, revoked = record
    return WidgetKey(pk=pk, key=value, member_id=member_id, allowed_origins=allowed_origins, revoked=revoked)


def api_key_with_member(key_id: str, *, using: str = DEFAULT_DB_ALIAS) -> APIKey | None:
    """The key with this key id and its member, in one query compiled once (every request with
    a key asks, and building the query cost more than running it); None for no such key."""
    rows = _API_KEY_WITH_MEMBER(key_id, using=using)
    if not rows:
        return None
    row = rows[0]
    key = APIKey.from_db(using, _KEY_COLUMNS, [row[name] for name in _KEY_COLUMNS])
    key.member = Member.from_db(using, _MEMBER_COLUMNS, [row[f"member__{name}"] for name in _MEMBER_COLUMNS])
    return key


_KEY_COLUMNS = [field.attname for field in APIKey._meta.concrete_fields]
_MEMBER_COLUMNS = [field.attname for field in Member._meta.concrete_fields]
_API_KEY_WITH_MEMBER = CompiledValues(
    lambda key_id: APIKey.objects.filter(key_id=key_id).order_by()
    .values(*_KEY_COLUMNS, *(f"member__{name}" for name in _MEMBER_COLUMNS))[:1],
    samples=("cbp_compiled-query-sample",), prepared=True)  # (key ids are unique: one plan for all)


# What portal.front needs of an API key to answer its owner's cached cited-by page without
# Django: kept in the shared cache under the key's secret hash (the front hashes the token it is
# given, so a record found proves the secret). members.services writes the row's committed state
# here on every change (created, revoked, scopes, deleted) and on each recorded use; a missing or
# stale record only sends the request to Django. The lifetime is a backstop.
API_KEY_CACHE_SECONDS = 10 * 60


def api_key_cache_key(secret_hash: str) -> str:
    return f"api-key:v1:{secret_hash}"


def api_key_record(key_id: str) -> tuple:
    """The key's row as the cache keeps it: (key_id, member_id, scopes, revoked, last_used), or () for none."""
    row = APIKey.objects.filter(key_id=key_id).order_by().values_list("key_id", "member_id", "scopes", "revoked", "last_used")[:1]
    return next(iter(row), ())


def api_key_from_record(record: tuple) -> APIKey | None:
    """The key a cached record describes (members.access decides on it), or None for no key."""
    if not record:
        return None
    key_id, member_id, scopes, revoked, last_used = record
    return APIKey(key_id=key_id, member_id=member_id, scopes=scopes, revoked=revoked, last_used=last_used)
