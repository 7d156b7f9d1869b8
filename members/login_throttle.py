"""One rate limit for every login form: the portal's, the admin's, and any other `authenticate()`.

Failures are counted in the shared cache (Redis in production, the database cache on the
embedded default), so every web process sees the same counts. They are keyed on the client's
address with the account, and on the address alone: someone failing at an account from
elsewhere never locks its owner out, while one address guessing at one account, or at many,
is slowed down by a back-off that doubles with each failure past the free ones.
"""
from __future__ import annotations

import hashlib
import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

# (free failures, first back-off in seconds) per key kind; the back-off doubles from there.
FREE_FAILURES = {"pair": 5, "address": 30}
FIRST_BACKOFF_SECONDS = {"pair": 30, "address": 60}
MAX_BACKOFF_SECONDS = 15 * 60
REMEMBER_SECONDS = 24 * 60 * 60
# The WSGI environ's entry where portal.front leaves the failure counts it read (failure_keys, and
# the values found, None for none) with a request it then left to Django.
READ_BY_FRONT = "portal.front.login_failures"


def now() -> float:
    return time.time()


def _address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "no-request"


def _keys(request, account: str) -> dict[str, str]:
    address = _address(request)
    pair = hashlib.sha256(f"{address}\n{account.strip().lower()}".encode()).hexdigest()
    return {"pair": f"login-failures:pair:{pair}", "address": f"login-failures:address:{address}"}


def failure_keys(request, account: str) -> list[str]:
    """The cache entries counting this address's failures (at this account, and at any): both
    missing means no failure to wait for or forget. portal.front reads them with its answer."""
    return list(_keys(request, account).values())


def account_of(credentials: dict) -> str:
    """The account a login names, whichever form sent it (admin: username, allauth: email/login)."""
    for field in ("email", "username", "login"):
        if credentials.get(field):
            return str(credentials[field])
    return ""


def failure_counts(request, account: str) -> dict[str, tuple[int, float]]:
    """The cache entries counting this address's failures that exist, by key, in one round trip:
    an API key's request reads them once for wait_seconds and record_success. The first ask of a
    request portal.front left to Django takes what the front read with its own round trip a moment
    before (READ_BY_FRONT), as a read begun that moment earlier would have."""
    keys = failure_keys(request, account)
    read = getattr(request, "META", {}).pop(READ_BY_FRONT, None)
    if read is not None and read[0] == keys:
        return {key: value for key, value in zip(keys, read[1]) if value is not None}
    return cache.get_many(keys)


def wait_seconds(request, account: str, *, counts: dict | None = None) -> int:
    """0 when this address may try this account now; else how many seconds it must wait.
    `counts`: failure_counts already read for this request."""
    waits = [0.0]
    keys = _keys(request, account)
    # One round trip for both counts: every API-key request passes here.
    found = failure_counts(request, account) if counts is None else counts
    for kind, key in keys.items():
        failures, last = found.get(key) or (0, 0.0)
        over = failures - FREE_FAILURES[kind]
        if over >= 0:
            backoff = min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS[kind] * 2**over)
            waits.append(last + backoff - now())
    return max(0, int(max(waits) + 0.999))


def refusal_message(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    wait = f"{minutes} min {rest} s" if minutes else f"{rest} s"
    return f"Too many failed sign-in attempts from your address for this account. Try again in {wait}."


def record_failure(request, account: str) -> None:
    if wait_seconds(request, account):
        return  # a refused attempt was never checked: it does not lengthen the wait
    for key in _keys(request, account).values():
        failures, _ = cache.get(key) or (0, 0.0)
        cache.set(key, (failures + 1, now()), REMEMBER_SECONDS)


def record_success(request, account: str, *, counts: dict | None = None) -> None:
    """`counts`: failure_counts as read when this attempt began (a failure another request
    counts meanwhile stays counted, as it would had it come a moment later)."""
    pair = _keys(request, account)["pair"]
    # Nearly every success follows no failure: a read then, not a write (on the embedded
    # default's database cache a delete is a write transaction per API request).
    failed = cache.get(pair) is not None if counts is None else pair in counts
    if failed:
        cache.delete(pair)


@receiver(user_login_failed, dispatch_uid="login_throttle_failure")
def _count_failure(sender, credentials, request=None, **kwargs) -> None:
    record_failure(request, account_of(credentials))


@receiver(user_logged_in, dispatch_uid="login_throttle_success")
def _forget_failures(sender, request, user, **kwargs) -> None:
    record_success(request, user.get_username())


class ThrottledLoginBackend:
    """First in AUTHENTICATION_BACKENDS: refuses, before any password is checked, an address
    that must wait. Forms check `wait_seconds` first to say why; this covers every other path."""

    def authenticate(self, request, **credentials):
        from django.core.exceptions import PermissionDenied

        if wait_seconds(request, account_of(credentials)):
            raise PermissionDenied("login throttled")
        return None
    # No get_user(): this backend never signs anyone in, so sessions never name it.
