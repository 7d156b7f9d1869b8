"""Turning one work element (journal_article, content_item, ...) into a ParsedWork.

The parser hands each finished work element here together with what its container said
(journal title, ISSN, issue, book title...). Nothing here knows about streaming.
"""
from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Any

from lxml import etree

from deposits.xml.elements import child, child_text, children, local_name, preferred, text
from deposits.xml.markup import rich_text
from deposits.xml.records import Contributor, ParsedReference, ParsedWork, RecordError
from deposits.xml.values import (
    bare_orcid,
    day_problem,
    doi_problem,
    isbn_problem,
    issn_problem,
    month_problem,
    orcid_problem,
    year_problem,
)

# A DOI as deposited: "10." + registrant code + "/" + suffix, no spaces, no resolver URL.
_DOI = re.compile(r"10\.[^\s/]+/\S+")
_DIGITS = re.compile(r"[0-9]+")

_MEDIA_PREFERENCE = ("print", "", "online")
_CONTRIBUTOR_ELEMENTS = ("person_name", "organization")  # `anonymous` carries no name

# Elements holding a work's dates, best first; database_date holds dated children of its own.
_DATE_ELEMENTS = ("publication_date", "posted_date", "approval_date", "review_date", "acceptance_date")
_DATABASE_DATES = ("publication_date", "creation_date")

# What Crossref's deposit schema (4.3-5.4) requires of each work element beyond its DOI, checked
# before anything is registered: a record without one fails, naming the element. Journal
# articles and conference papers may leave their date to the issue or proceedings, so only the
# types whose own date the schema makes mandatory are asked for one. Titles are asked of journal
# articles and conference papers too (issue 19): a work nobody can name is useless in a citing list.
_RESOURCE, _TITLE, _DATE = "doi_data/resource", "titles/title", "publication_date"
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "journal_article": (_RESOURCE, _TITLE),
    "conference_paper": (_RESOURCE, _TITLE),
    "content_item": (_RESOURCE,),
    "book_metadata": (_RESOURCE, _TITLE, _DATE),
    "book_series_metadata": (_RESOURCE, _TITLE, _DATE),
    "book_set_metadata": (_RESOURCE, _TITLE, _DATE),
    "posted_content": (_RESOURCE, _TITLE, "posted_date"),
    "dissertation": (_RESOURCE, _TITLE, "approval_date", "person_name"),
    "peer_review": (_RESOURCE, _TITLE, "review_date"),
    "dataset": (_RESOURCE,),
    "database_metadata": (_RESOURCE, _TITLE),
    "report-paper_metadata": (_RESOURCE, _TITLE),
    "report-paper_series_metadata": (_RESOURCE, _TITLE),
    "standard_metadata": (_RESOURCE, _TITLE),
    "component": (_RESOURCE,),
    # A pending publication has no landing page yet: Crossref resolves it to its own.
    "pending_publication": (_TITLE, "acceptance_date"),
}

# citation child element -> ParsedReference field
_REFERENCE_FIELDS = {
    "doi": "doi",
    "unstructured_citation": "unstructured",
    "journal_title": "journal_title",
    "author": "author",
    "volume": "volume",
    "issue": "issue",
    "first_page": "first_page",
    "cYear": "year",
    "article_title": "article_title",
    "issn": "issn",
    "isbn": "isbn",
    "series_title": "series_title",
    "volume_title": "volume_title",
    "edition_number": "edition_number",
    "component_number": "component_number",
}


@dataclass
class Dates:
    """What a work's (or an issue's) date elements say, readable parts only."""

    year: int | None = None
    published_print: str = ""  # "2024", "2024-03" or "2024-03-05"
    published_online: str = ""
    given: bool = False  # a publication date element is there, readable or not


@dataclass
class Container:
    """What a journal, book, proceedings, database... tells about the works inside it."""

    title: str = ""
    issn: str = ""
    isbn: str = ""
    publisher: str = ""
    volume: str = ""
    issue: str = ""
    dates: Dates = field(default_factory=Dates)
    # Warnings about the container's own values (an issue's unreadable year, a journal's bad
    # ISSN): every work inside it carries them, so nothing is dropped without a word.
    warnings: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.dates.year


# The parts of a book: what references cite "in <book>", so the book's title is kept for them.
_IN_BOOK_TYPES = frozenset({"book-chapter", "book-section", "book-part", "book-track", "reference-entry"})


class UnreadableWork(ValueError):
    """A work element that cannot become a ParsedWork; the message is for the depositor."""

    def __init__(self, message: str, *, doi: str = ""):
        super().__init__(message)
        self.doi = doi


def read_work(
    element: etree._Element,
    *,
    type: str,
    container: Container,
    head_timestamp: int | None,
    container_title: str | None = None,
) -> ParsedWork | RecordError:
    """The ParsedWork for `element`, or a RecordError saying in plain words what is wrong."""
    try:
        return _parsed_work(element, type, container, head_timestamp, container_title)
    except UnreadableWork as problem:
        return RecordError(line=element.sourceline or 0, message=str(problem), doi=problem.doi)



def _parsed_work(element, type, container, head_timestamp, container_title) -> ParsedWork:
    name = local_name(element)
    doi = work_doi(element)
    if not doi:
        where = "doi" if name == "pending_publication" else "doi_data/doi"
        raise UnreadableWork(f"{name} has no {where}")
    if not _DOI.fullmatch(doi):
        raise UnreadableWork(
            f"{name} has doi_data/doi {doi!r}, which is not a DOI (it should look like 10.1234/abc)",
            doi=doi,
        )
    notes: list[str] = list(container.warnings)
    dates = read_dates(element, notes)
    people = contributors(element, notes)
    _check_requirements(element, name, doi, dates=dates, container=container, people=people)
    citation_list = child(element, "citation_list")
    issn = preferred_identifier(element, "issn", notes) or container.issn
    isbn = preferred_identifier(element, "isbn", notes) or container.isbn
    return ParsedWork(
        doi=doi,
        type=type,
        line=element.sourceline or 0,
        title=rich_text(child(element, "titles", "title")),
        subtitle=rich_text(child(element, "titles", "subtitle")),
        contributors=people,
        container_title=container.title if container_title is None else container_title,
        book_title=container.title if type in _IN_BOOK_TYPES else "",
        issn=issn,
        isbn=isbn,
        volume=child_text(element, "volume") or container.volume,
        issue=container.issue,
        first_page=child_text(element, "pages", "first_page"),
        last_page=child_text(element, "pages", "last_page"),
        publication_year=dates.year or container.dates.year,
        published_print=dates.published_print or container.dates.published_print,
        published_online=dates.published_online or container.dates.published_online,
        publisher=publisher(element) or container.publisher,
        resource_url=child_text(element, "doi_data", "resource"),
        timestamp=_timestamp(element, name, doi, default=head_timestamp),
        has_citation_list=citation_list is not None,
        references=references(citation_list, notes),
        warnings=tuple(notes),
    )


def _check_requirements(element, name: str, doi: str, *, dates: Dates, container: Container, people) -> None:
    for requirement in REQUIREMENTS.get(name, ()):
        if requirement == _RESOURCE:
            present = bool(child_text(element, "doi_data", "resource"))
        elif requirement == _TITLE:
            present = bool(child_text(element, "titles", "title"))
        elif requirement == _DATE:
            present = child(element, "publication_date") is not None
        elif requirement == "person_name":
            present = any(not person.is_organization for person in people)
        else:
            present = child(element, requirement) is not None
        if not present:
            raise UnreadableWork(f"{name} {doi} has no {requirement}; Crossref's schema requires it for a {name}", doi=doi)


def work_doi(element: etree._Element) -> str:
    """The DOI in the element's own doi_data (not a component's or a relation's).

    A pending publication carries its DOI in a `doi` element of its own.
    """
    return child_text(element, "doi_data", "doi") or child_text(element, "doi")


def _timestamp(element: etree._Element, name: str, doi: str, *, default: int | None) -> int | None:
    value = child_text(element, "doi_data", "timestamp")
    if not value:
        return default
    if not _DIGITS.fullmatch(value):
        raise UnreadableWork(
            f"{name} {doi} has doi_data/timestamp {value!r}; a timestamp is digits only, "
            "e.g. 20240131120000",
            doi=doi,
        )
    return int(value)


def _line(element: etree._Element) -> str:
    return f"line {element.sourceline}" if element.sourceline else "a line the parser did not report"


def contributors(element: etree._Element, notes: list[str] | None = None) -> tuple[Contributor, ...]:
    """People and organisations under `contributors` (dissertations may list person_name directly)."""
    notes = [] if notes is None else notes
    listed = child(element, "contributors")
    candidates = [
        *(c for c in (listed if listed is not None else ()) if local_name(c) in _CONTRIBUTOR_ELEMENTS),
        *children(element, "person_name"),
    ]
    found = (_contributor(candidate, notes) for candidate in candidates)
    return tuple(contributor for contributor in found if contributor is not None)


def _contributor(element: etree._Element, notes: list[str]) -> Contributor | None:
    role = element.get("contributor_role") or "author"
    sequence = element.get("sequence") or "additional"
    affiliations = _affiliations(element)
    if local_name(element) == "organization":
        name = text(element)
        if not name:
            return None
        return Contributor(surname=name, role=role, sequence=sequence, is_organization=True)
    surname = child_text(element, "surname")
    if not surname:  # the schema requires one; a nameless person helps no one
        return None
    return Contributor(
        surname=surname,
        given_name=child_text(element, "given_name"),
        orcid=_orcid(child(element, "ORCID"), surname, notes),
        role=role,
        sequence=sequence,
        affiliations=affiliations,
    )


def _affiliations(person: etree._Element) -> tuple[str, ...]:
    """Schema 4.x-5.2 `affiliation` strings and 5.3+ `affiliations/institution` names, in order."""
    names = [text(affiliation) for affiliation in children(person, "affiliation")]
    for institution in children(child(person, "affiliations"), "institution"):
        names.append(child_text(institution, "institution_name") or child_text(institution, "institution_acronym"))
    return tuple(name for name in names if name)


def _orcid(element: etree._Element | None, surname: str, notes: list[str]) -> str:
    raw = text(element)
    if not raw:
        return ""
    bare = bare_orcid(raw)
    if not bare:
        notes.append(f"{_line(element)}: the ORCID “{raw}” of {surname} is not an ORCID iD "
                     "(https://orcid.org/0000-0000-0000-0000); the contributor is kept without it")
        return ""
    if problem := orcid_problem(bare):
        notes.append(f"{_line(element)}: the ORCID {bare} of {surname} {problem}; it is kept as given, "
                     "check it with the person")
    return bare


def preferred_identifier(element: etree._Element | None, name: str, notes: list[str] | None = None) -> str:
    """The print ISSN/ISBN if given, else the first one. Check digits are checked, the value kept."""
    given = list(children(element, name))
    if notes is not None:
        check = issn_problem if name == "issn" else isbn_problem
        for identifier in given:
            value = text(identifier)
            if value and (problem := check(value)):
                notes.append(f"{_line(identifier)}: {name} “{value}” {problem}; it is kept as given")
    return text(preferred(given, "media_type", _MEDIA_PREFERENCE))


def read_dates(element: etree._Element | None, notes: list[str]) -> Dates:
    """The work's year (print date first, then undated medium, then online; readable ones only)
    and its print and online publication dates. Unreadable parts become notes, never errors."""
    dates = [date for name in _DATE_ELEMENTS for date in children(element, name)]
    for database_date in children(element, "database_date"):
        dates += [date for name in _DATABASE_DATES for date in children(database_date, name)]
    read = [(date, _date_value(date, notes)) for date in dates]
    readable = [date for date, value in read if value]
    values = dict((id(date), value) for date, value in read)
    best = preferred(readable, "media_type", _MEDIA_PREFERENCE)
    by_media: dict[str, str] = {}
    for date, value in read:
        if value and local_name(date) == "publication_date":
            by_media.setdefault(date.get("media_type", ""), value)
    return Dates(
        year=int(values[id(best)][:4]) if best is not None else None,
        # A date of no stated medium counts as print, as Crossref reads it.
        published_print=by_media.get("print") or by_media.get("", ""),
        published_online=by_media.get("online", ""),
        given=bool(dates),
    )


def _date_value(date: etree._Element, notes: list[str]) -> str:
    """"2024", "2024-03" or "2024-03-05" from a date element; "" when its year cannot be read."""
    name = local_name(date)
    year, month, day = (child(date, part) for part in ("year", "month", "day"))
    year_text = text(year)
    if problem := year_problem(year_text):
        shown = f"“{year_text}” " if year_text else "(missing) "
        notes.append(f"{_line(year if year is not None else date)}: {name}/year {shown}{problem}; "
                     "the work is registered without this date")
        return ""
    value = year_text
    month_text = text(month)
    if not month_text:
        return value
    if problem := month_problem(month_text):
        notes.append(f"{_line(month)}: {name}/month “{month_text}” {problem}; only the year {value} is kept")
        return value
    if int(month_text) > 12:  # a season or a quarter: no month of the calendar
        return value
    value += f"-{int(month_text):02d}"
    day_text = text(day)
    if not day_text:
        return value
    if problem := day_problem(day_text, year=int(year_text), month=int(month_text)):
        notes.append(f"{_line(day)}: {name}/day “{day_text}” {problem}; only {value} is kept")
        return value
    return value + f"-{int(day_text):02d}"


def publisher(element: etree._Element | None) -> str:
    return child_text(element, "publisher", "publisher_name")


def references(citation_list: etree._Element | None, notes: list[str] | None = None) -> tuple[ParsedReference, ...]:
    """Each `citation`, numbered from 1 in document order, each under a key of its own.

    A key given twice keeps both references: the later one gets a suffixed key ("k-2"); a
    missing key becomes "ref-<position>". Each is noted, as are a reference's unreadable
    DOI, ISSN and ISBN (kept as given: the matcher still uses the other fields).
    """
    if citation_list is None:
        return ()
    notes = [] if notes is None else notes
    # Speed: this loop runs once per reference (tens of thousands per file), so it is one flat
    # loop with local names: libxml2 picks the citations (tag filter in C), each child's field
    # comes from one dict lookup by its full tag, and each reference's attribute dict is built
    # once. Work per reference beyond that only where a value is present or a problem found.
    found = []
    append = found.append
    keys: set[str] = set()
    slots = _FIELD_OF_TAG
    defaults = _REFERENCE_DEFAULTS
    new_reference = _new_reference
    set_attribute = _set_attribute
    position = 0
    for citation in citation_list.iterchildren(_CITATION_TAG):
        position += 1
        fields: dict[str, Any] = {}
        for element in citation:  # field -> text of the first child of each kind
            tag = element.tag
            name = slots.get(tag)
            if name is None:
                name = _field_of_tag(tag)
            if not name or name in fields:
                continue
            # Inline markup's text counts too (`itertext`); whitespace runs become one space.
            value = element.text if not len(element) else "".join(element.itertext())
            fields[name] = " ".join(value.split()) if value else ""
        given_key = citation.get("key")
        given_key = given_key.strip() if given_key else ""
        if not given_key:
            key = f"ref-{position}"
            notes.append(f"{_line(citation)}: citation {position} has no key; it is kept under the key “{key}”")
        elif given_key in keys:
            key = _free_key(given_key, keys)
            notes.append(f"{_line(citation)}: citation key “{given_key}” is given twice; "
                         f"both references are kept, this one under the key “{key}”")
        else:
            key = given_key
        keys.add(key)
        kind = citation.get("type")
        fields["key"] = key
        fields["position"] = position
        fields["type"] = kind.strip() if kind else ""
        doi, issn, isbn = fields.get("doi"), fields.get("issn"), fields.get("isbn")
        if (doi and doi_problem(doi)) or (issn and issn_problem(issn)) or (isbn and isbn_problem(isbn)):
            _note_reference_values(citation, fields, key, notes)
        # ParsedReference(**fields) without the frozen dataclass's __init__ (one
        # object.__setattr__ per field would be a fifth of reading a file).
        reference = new_reference(ParsedReference)
        set_attribute(reference, "__dict__", {**defaults, **fields})
        append(reference)
    return tuple(found)


_CITATION_TAG = "{*}citation"  # lxml's filter: a citation in any namespace, or none

# A citation child's full tag ("{namespace}cYear") -> its ParsedReference field ("year"), or
# "" for a child the portal does not read. Filled as tags are met: a file repeats a dozen tags.
_FIELD_OF_TAG: dict[Any, str] = {}
_MAX_TAGS_KEPT = 4096  # a file full of made-up tags cannot grow it without bound


def _field_of_tag(tag: Any) -> str:
    if len(_FIELD_OF_TAG) >= _MAX_TAGS_KEPT:
        _FIELD_OF_TAG.clear()
    # Comments and processing instructions have no str tag (the hardened parser drops them anyway).
    name = _REFERENCE_FIELDS.get(tag.rpartition("}")[2], "") if isinstance(tag, str) else ""
    _FIELD_OF_TAG[tag] = name
    return name


_REFERENCE_DEFAULTS = {
    item.name: item.default for item in dataclass_fields(ParsedReference) if item.default is not MISSING
}
_new_reference = object.__new__
_set_attribute = object.__setattr__


def _free_key(key: str, taken: set[str]) -> str:
    suffix = 2
    while f"{key}-{suffix}" in taken:
        suffix += 1
    return f"{key}-{suffix}"


def _note_reference_values(citation: etree._Element, fields: dict[str, Any], key: str, notes: list[str]) -> None:
    for name, check in _REFERENCE_CHECKS:
        value = fields.get(name)
        if value and (problem := check(value)):
            shown = value if len(value) <= 80 else value[:80] + "…"
            element = child(citation, name)
            if name == "doi":
                notes.append(f"{_line(element)}: citation “{key}”: doi: {problem}; "
                             "the reference is kept and matched by its other fields")
            else:
                notes.append(f"{_line(element)}: citation “{key}”: {name} “{shown}” {problem}; it is kept as given")


_REFERENCE_CHECKS = (("doi", doi_problem), ("issn", issn_problem), ("isbn", isbn_problem))
