"""DOI forms: one normal form (bare, lower case) used for storage, comparison and URLs.

Syntax per the DOI Handbook: "10." and a registrant code (digits, with optional ".digits"
subdivisions), "/", then a suffix of printable characters. DOIs are case-insensitive, so lower
case is the one stored and compared form. The portal stores at most MAX_DOI_LENGTH characters.
"""
from __future__ import annotations

import re
from urllib.parse import quote, unquote

MAX_DOI_LENGTH = 255

_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/(?P<suffix>.+)", re.DOTALL)
_RESOLVER = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|urn:doi:)", re.IGNORECASE)


class InvalidDOI(ValueError):
    """A value that is not a DOI the portal can register; the message says why."""


def parse_doi(value: str) -> str:
    """The bare lower-case DOI of `value` ("https://doi.org/10.1234/AbC" -> "10.1234/abc").

    Raises InvalidDOI with a message naming the problem.
    """
    text = (value or "").strip()
    if not text:
        raise InvalidDOI("the DOI is empty")
    if _RESOLVER.match(text):
        was_url = text.lower().startswith("http")
        text = _RESOLVER.sub("", text, count=1)
        if was_url:
            text = unquote(text)  # a resolver URL carries the DOI percent-encoded
    match = _DOI.fullmatch(text)
    if match is None:
        raise InvalidDOI(f"“{_shown(text)}” is not a DOI: a DOI is 10. and a registrant code (4–9 digits), “/”, then a suffix")
    suffix = match["suffix"]
    # (No character is both printable and whitespace but the space itself: two C-speed checks
    # instead of a Python loop over every character, which import_works pays per work.)
    if " " in suffix or not suffix.isprintable():
        raise InvalidDOI(f"the DOI “{_shown(text)}” contains a space or a control character; a DOI suffix is printable characters only")
    if len(text) > MAX_DOI_LENGTH:
        raise InvalidDOI(f"the DOI is {len(text):,} characters long; the portal registers DOIs of at most {MAX_DOI_LENGTH}")
    return text.lower()


def normalize_doi(value: str) -> str:
    """The bare lower-case DOI of `value`, or "" if it is not one (for lookups and references)."""
    try:
        return parse_doi(value)
    except InvalidDOI:
        return ""


def doi_prefix(doi: str) -> str:
    """"10.1234" for "10.1234/abc"."""
    return doi.split("/", 1)[0]


def doi_url_path(doi: str) -> str:
    """The DOI as a piece of URL path that every client keeps intact.

    Slashes stay readable, except in a DOI with "." or ".." segments, which browsers and HTTP
    clients would collapse ("10.7001/../x" -> "x"): there every slash is percent-encoded, and
    the server, decoding the path, still sees the whole DOI.
    """
    if any(segment in {".", ".."} for segment in doi.split("/")):
        return quote(doi, safe="")
    return quote(doi, safe="/")


def _shown(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


class DoiConverter:
    """URL converter `<doi:doi>`: anything that starts like a DOI; the view parses it fully."""

    regex = r"10\.[0-9.]+/.+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
