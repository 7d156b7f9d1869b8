"""Crossref's `/works` list parameters (`filter=`, `sort`, `order`, `cursor`), read and checked.

Pure: no database (the filters become a `citations.selectors.WorkFilters`). Each reader returns its value and a list of problems in Crossref's
`validation-failure` shape (`type`, `value`, `message`), so the view answers them all at once.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core import signing

from citations.selectors import WorkFilters

# Crossref's sort names -> the Work field they order by. `issued`, `published` and the
# print/online variants are all the publication date, which the portal keeps as a year.
SORTS = {
    "created": "created",
    "deposited": "updated",
    "updated": "updated",
    "indexed": "updated",
    "is-referenced-by-count": "cited_by_count",
    "references-count": "references_count",
    "published": "publication_year",
    "published-print": "publication_year",
    "published-online": "publication_year",
    "issued": "publication_year",
}
RELEVANCE = ("score", "relevance")  # a bibliographic query's order; without one, "created"
ORDERS = {"asc": False, "desc": True}  # Crossref's default is desc
FILTERS = (
    "prefix", "member", "type", "from-pub-date", "until-pub-date", "has-references",
    "from-update-date", "until-update-date",
)
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PREFIX = re.compile(r"(?:https?://id\.crossref\.org/prefix/)?(10\.\d{4,9}(?:\.\d+)*)", re.IGNORECASE)
_CURSOR_SALT = "citations.api.works-cursor"


@dataclass(frozen=True)
class Cursor:
    """Where a deep-paging client stands: after the work with `key` (sort value, id) in this sort."""

    sort: str
    descending: bool
    key: tuple | None = None  # None: before the first item (Crossref's "*")


def parse_filters(text: str) -> tuple[WorkFilters, list[dict]]:
    """`prefix:10.5555,type:journal-article,from-pub-date:2004` -> WorkFilters, problems."""
    values: dict[str, list] = {}
    problems: list[dict] = []
    for part in (p for p in text.split(",") if p.strip()):
        name, colon, value = part.partition(":")
        name, value = name.strip(), value.strip()
        if name not in FILTERS:
            problems.append({
                "type": "filter-not-available", "value": name,
                "message": f"Filter {name} specified but there is no such filter for this route. Valid filters for this route are: {', '.join(FILTERS)}",
            })
            continue
        parsed, problem = _filter_value(name, value if colon else "")
        if problem:
            problems.append(problem)
        else:
            values.setdefault(name, []).append(parsed)
    return WorkFilters(
        prefixes=tuple(values.get("prefix", ())),
        members=tuple(values.get("member", ())),
        types=tuple(values.get("type", ())),
        # Several dates of one name: the narrowest holds (all must).
        from_pub_year=max(values["from-pub-date"]).year if "from-pub-date" in values else None,
        until_pub_year=min(values["until-pub-date"]).year if "until-pub-date" in values else None,
        has_references=values["has-references"][-1] if "has-references" in values else None,
        from_updated=max(values["from-update-date"]) if "from-update-date" in values else None,
        until_updated=min(values["until-update-date"]) if "until-update-date" in values else None,
    ), problems


def _filter_value(name: str, value: str):
    if name == "prefix":
        match = _PREFIX.fullmatch(value)
        if match:
            return match[1].lower(), None
        return None, _problem("prefix-not-valid", value, f"Prefix specified as {value} but must be a DOI prefix such as 10.5555")
    if name == "member":
        if value.isdigit():
            return int(value), None
        return None, _problem("integer-not-valid", value, f"Member specified as {value} but must be a member id (digits)")
    if name == "type":
        if value:
            return value, None
        return None, _problem("type-not-valid", value, "Type specified as an empty string but must be a type such as journal-article")
    if name == "has-references":
        if value.lower() in {"true", "t", "1"}:
            return True, None
        if value.lower() in {"false", "f", "0"}:
            return False, None
        return None, _problem("boolean-not-valid", value, f"Boolean specified as {value} but must be one of: t, true, 1, f, false, 0")
    date = parse_date(value, end=name.startswith("until-"))  # the from-/until- date filters
    if date is None:
        return None, _problem("date-not-valid", value, f"Date specified as {value} for {name} but must be of the form yyyy, yyyy-MM or yyyy-MM-dd")
    return date, None


def parse_date(value: str, *, end: bool = False) -> datetime.date | None:
    """Crossref's partial dates: "2004" and "2004-05" mean their first day, or with `end` their
    last (an until- date includes the whole period it names)."""
    match = _DATE.fullmatch(value)
    if not match:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if day or not end:
            return datetime.date(year, int(month or 1), int(day or 1))
        if month:
            datetime.date(year, int(month), 1)  # refuses month 13
            following = datetime.date(year + int(month) // 12, int(month) % 12 + 1, 1)
            return following - datetime.timedelta(days=1)
        return datetime.date(year, 12, 31)
    except ValueError:
        return None


def parse_sort(sort: str | None, order: str | None, *, has_query: bool) -> tuple[str, bool, list[dict]]:
    """The sort name (a key of SORTS, or "score"), whether descending, and problems."""
    problems = []
    name = (sort or "").strip() or ("score" if has_query else "created")
    if name == "relevance":
        name = "score"
    if name == "score" and not has_query:
        name = "created"  # every work has the same score without a query: Crossref's order is then arbitrary
    if name != "score" and name not in SORTS:
        problems.append(_problem("sort-field-not-valid", sort, f"Sort field specified as {sort} but must be one of: {', '.join((*RELEVANCE, *SORTS))}"))
    order_name = (order or "desc").strip().lower()
    if order_name not in ORDERS:
        problems.append(_problem("order-not-valid", order, f"Order specified as {order} but must be one of: asc, desc"))
    return name, ORDERS.get(order_name, True), problems


def encode_cursor(cursor: Cursor) -> str:
    """Opaque to clients, signed so a changed one is refused rather than trusted. No timestamp
    (signing.dumps would add one): the same place always gets the same cursor."""
    return signing.Signer(salt=_CURSOR_SALT).sign_object(
        {"s": cursor.sort, "d": cursor.descending, "k": list(cursor.key) if cursor.key else None}, compress=True)


def decode_cursor(value: str, *, sort: str, descending: bool) -> tuple[Cursor | None, list[dict]]:
    """"*" starts; a cursor from an earlier page goes on after its last work, in the same sort only."""
    if value == "*":
        return Cursor(sort=sort, descending=descending), []
    try:
        data = signing.Signer(salt=_CURSOR_SALT).unsign_object(value)
    except signing.BadSignature:
        return None, [_problem("cursor-not-valid", value, "Cursor is not one this portal issued: start with cursor=* and pass on each page's next-cursor")]
    if (data["s"], data["d"]) != (sort, descending):
        return None, [_problem("cursor-not-valid", value, "Cursor was issued for another sort or order: keep sort and order the same while paging")]
    return Cursor(sort=sort, descending=descending, key=tuple(data["k"]) if data["k"] else None), []


def _problem(kind: str, value, message: str) -> dict:
    return {"type": kind, "value": value, "message": message}
