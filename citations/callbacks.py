"""Push notifications to a member's callback URL: the pure parts (no database, no network of
their own), so they are tested alone.

Every POST carries, besides `Content-Type: application/json`:

- `X-CitedBy-Delivery`: the delivery's id (a UUID). The same delivery may arrive twice (a
  retry after a lost answer): receivers drop ids they have seen.
- `X-CitedBy-Timestamp`: Unix seconds when this attempt was signed. Receivers refuse old ones
  (say, older than 5 minutes) so a captured request cannot be replayed later.
- `X-CitedBy-Signature`: `sha256=` + hex HMAC-SHA256, keyed with the member's callback secret,
  over `<timestamp>.<body>` (the timestamp header, a dot, the raw body bytes).

Failed attempts are tried again after 30 s, 1, 2, 4... minutes (doubling, at most 6 h between
tries), MAX_ATTEMPTS in all.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-CitedBy-Signature"
TIMESTAMP_HEADER = "X-CitedBy-Timestamp"
DELIVERY_HEADER = "X-CitedBy-Delivery"
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 6 * 60 * 60
MAX_ATTEMPTS = 12


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_valid(*, secret: str, timestamp: int, body: bytes, given: str) -> bool:
    """What a receiver does (documented in the README; used by the tests' receiver)."""
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), given)


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed attempt (1 → 30 s, 2 → 60 s, ...)."""
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


Resolver = Callable[[str, int], list[str]]


def _resolve(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def callback_url_problem(url: str, *, allow_private: bool, resolve: Resolver = _resolve) -> str | None:
    """Why the portal will not POST to `url`, or None.

    HTTPS only, and never to an address inside a network (private, loopback, link-local,
    reserved...): the portal must not be made to call its own services. Checked when the URL is
    set and again before every delivery (a name may be pointed elsewhere later).
    `allow_private` (setting CALLBACK_ALLOW_PRIVATE, for tests) lifts both rules.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        return f"“{url}” is not a URL ({error})."
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"“{url}” is not an http(s) URL with a host name."
    if allow_private:
        return None
    if parts.scheme != "https":
        return f"“{url}” must use https: notifications are signed, not secret, and must not travel in clear."
    try:
        addresses = resolve(parts.hostname, port)
    except OSError as error:
        return f"The host {parts.hostname} of “{url}” could not be resolved ({error})."
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            return f"The host {parts.hostname} resolves to {ip}, a private, loopback or link-local address; use a public address."
    return None
