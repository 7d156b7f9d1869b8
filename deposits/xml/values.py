"""Checks of single values in a deposit: identifiers' check digits and dates' ranges.

Each check returns None for a good value, else a short phrase saying what is wrong, for the
record's Warning. Check digits come from python-stdnum (ISSN, ISBN, ISO 7064 mod 11-2 for ORCID),
not from hand-written arithmetic. No Django here.
"""
from __future__ import annotations

import calendar
import functools
import re

from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_11_2

from deposits.doi import MAX_DOI_LENGTH, InvalidDOI, parse_doi

# Crossref's schema: year 1400..2200; month 1..12, or 21..24 (seasons) and 31..34 (quarters).
YEAR_RANGE = (1400, 2200)
_MONTHS = frozenset(range(1, 13)) | frozenset(range(21, 25)) | frozenset(range(31, 35))
_ORCID_SHAPE = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)  # reference lists repeat journals' ISSNs and books' ISBNs
def issn_problem(value: str) -> str | None:
    try:
        stdnum_issn.validate(value)
    except StdnumError as error:
        return f"is not a valid ISSN ({_reason(error)})"
    return None


@functools.lru_cache(maxsize=4096)  # reference lists repeat journals' ISSNs and books' ISBNs
def isbn_problem(value: str) -> str | None:
    try:
        stdnum_isbn.validate(value)
    except StdnumError as error:
        return f"is not a valid ISBN ({_reason(error)})"
    return None


# The usual reference DOI, bare and ASCII, passes without the full parse (every reference has one).
_PLAIN_DOI = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/[!-~]+")


def doi_problem(value: str) -> str | None:
    # Speed: the usual DOI is checked by one regex; only the others pay for the full parse (and
    # its cache: most cited DOIs occur once per file, so caching them all only cost time).
    if len(value) <= MAX_DOI_LENGTH and _PLAIN_DOI.fullmatch(value):
        return None
    return _unusual_doi_problem(value)


@functools.lru_cache(maxsize=4096)  # pure; the same unusual form tends to repeat in a file
def _unusual_doi_problem(value: str) -> str | None:
    try:
        parse_doi(value)
    except InvalidDOI as error:
        return str(error)
    return None


def bare_orcid(value: str) -> str:
    """`0000-0002-1825-0097` from `https://orcid.org/0000-0002-1825-0097` (or "" if none)."""
    match = _ORCID_SHAPE.search(value)
    return match.group(0).upper() if match else ""


def orcid_problem(bare: str) -> str | None:
    """For an iD already in its bare form: does its last character check out (ISO 7064 11-2)?"""
    if not mod_11_2.is_valid(bare.replace("-", "")):
        return "has a wrong check digit (its last character)"
    return None


def year_problem(value: str) -> str | None:
    if not value.isascii() or not value.isdigit() or len(value) != 4:
        return "is not a year (four digits, e.g. 2024)"
    low, high = YEAR_RANGE
    if not low <= int(value) <= high:
        return f"is outside the years a deposit may give ({low} to {high})"
    return None


def month_problem(value: str) -> str | None:
    if not value.isascii() or not value.isdigit() or int(value) not in _MONTHS:
        return "is not a month (1 to 12, or 21–24 for seasons, 31–34 for quarters)"
    return None


def day_problem(value: str, *, year: int | None, month: int | None) -> str | None:
    if not value.isascii() or not value.isdigit():
        return "is not a day of the month"
    days = calendar.monthrange(year or 2000, month)[1] if month and month <= 12 else 31
    if not 1 <= int(value) <= days:
        return f"is not a day of the month (1 to {days})"
    return None


def _reason(error: StdnumError) -> str:
    # stdnum's messages are short and plain ("The number's checksum or check digit is invalid.").
    return str(error).rstrip(".").lower() or "it does not check out"
