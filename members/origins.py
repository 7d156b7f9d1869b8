"""Web origins (scheme://host[:port]) as a widget key's allowed sites: one normal form, clear
refusals. No Django here: tested on its own."""
from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_ORIGINS = 50


class InvalidOrigin(ValueError):
    """A value that is not a web origin; the message says why."""


def parse_origin(value: str) -> str:
    """`value` as a browser sends it in `Origin`: lower-case scheme and host, port only when not
    the scheme's default, no path ("https://Journal.example/" -> "https://journal.example")."""
    text = (value or "").strip()
    if not text:
        raise InvalidOrigin("the origin is empty")
    parts = urlsplit(text)
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise InvalidOrigin(f"“{text}” must start with https:// (or http://), like https://journal.example")
    if parts.username or parts.password:
        raise InvalidOrigin(f"“{text}” holds a user name or password; an origin is only scheme, host and port")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InvalidOrigin(f"“{text}” has a path; give only the site, e.g. {parts.scheme}://{parts.netloc}")
    host = (parts.hostname or "").lower()
    if not host or "*" in host:
        raise InvalidOrigin(f"“{text}” has no host name (wildcards are not accepted: list each site)")
    try:
        port = parts.port
    except ValueError:
        raise InvalidOrigin(f"“{text}” has a port that is not a number from 0 to 65535") from None
    scheme = parts.scheme.lower()
    shown_host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown_host}" if port in (None, DEFAULT_PORTS[scheme]) else f"{scheme}://{shown_host}:{port}"


def parse_origins(text: str) -> list[str]:
    """Origins given one per line (or separated by commas or spaces), normalised, duplicates
    dropped, in order. Raises InvalidOrigin naming the first bad entry and its line."""
    origins: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        for item in line.replace(",", " ").split():
            try:
                origin = parse_origin(item)
            except InvalidOrigin as problem:
                raise InvalidOrigin(f"line {number}: {problem}") from None
            if origin not in origins:
                origins.append(origin)
    if not origins:
        raise InvalidOrigin("give at least one site, e.g. https://journal.example")
    if len(origins) > MAX_ORIGINS:
        raise InvalidOrigin(f"{len(origins)} sites given; a key takes at most {MAX_ORIGINS} (make another key)")
    return origins
