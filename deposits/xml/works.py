"""Turning one work element (journal_article, content_item, ...) into a ParsedWork.

The parser hands each finished work element here together with what its container said
(journal title, ISSN, issue, book title...). Nothing here knows about streaming.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from deposits.xml.elements import child, child_text, children, local_name, preferred, text
from deposits.xml.markup import rich_text
from deposits.xml.records import Contributor, ParsedReference, ParsedWork, RecordError

# A DOI as deposited: "10." + registrant code + "/" + suffix, no spaces, no resolver URL.
_DOI = re.compile(r"10\.[^\s/]+/\S+")
_DIGITS = re.compile(r"[0-9]+")
_YEAR = re.compile(r"[0-9]{4}")
_ORCID = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]", re.IGNORECASE)

_MEDIA_PREFERENCE = ("print", "", "online")
_CONTRIBUTOR_ELEMENTS = ("person_name", "organization")  # `anonymous` carries no name

# Elements holding a work's dates, best first; database_date holds dated children of its own.
_DATE_ELEMENTS = ("publication_date", "posted_date", "approval_date", "review_date")
_DATABASE_DATES = ("publication_date", "creation_date")

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
class Container:
    """What a journal, book, proceedings, database... tells about the works inside it."""

    title: str = ""
    issn: str = ""
    isbn: str = ""
    publisher: str = ""
    volume: str = ""
    issue: str = ""
    year: int | None = None


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
        raise UnreadableWork(f"{name} has no doi_data/doi")
    if not _DOI.fullmatch(doi):
        raise UnreadableWork(
            f"{name} has doi_data/doi {doi!r}, which is not a DOI (it should look like 10.1234/abc)",
            doi=doi,
        )
    citation_list = child(element, "citation_list")
    return ParsedWork(
        doi=doi,
        type=type,
        line=element.sourceline or 0,
        title=rich_text(child(element, "titles", "title")),
        subtitle=rich_text(child(element, "titles", "subtitle")),
        contributors=contributors(element),
        container_title=container.title if container_title is None else container_title,
        issn=preferred_identifier(element, "issn") or container.issn,
        isbn=preferred_identifier(element, "isbn") or container.isbn,
        volume=child_text(element, "volume") or container.volume,
        issue=container.issue,
        first_page=child_text(element, "pages", "first_page"),
        last_page=child_text(element, "pages", "last_page"),
        publication_year=publication_year(element) or container.year,
        publisher=publisher(element) or container.publisher,
        resource_url=child_text(element, "doi_data", "resource"),
        timestamp=_timestamp(element, name, doi, default=head_timestamp),
        has_citation_list=citation_list is not None,
        references=references(citation_list),
    )


def work_doi(element: etree._Element) -> str:
    """The DOI in the element's own doi_data (not a component's or a relation's)."""
    return child_text(element, "doi_data", "doi")


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


def contributors(element: etree._Element) -> tuple[Contributor, ...]:
    """People and organisations under `contributors` (dissertations may list person_name directly)."""
    listed = child(element, "contributors")
    candidates = [
        *(c for c in (listed if listed is not None else ()) if local_name(c) in _CONTRIBUTOR_ELEMENTS),
        *children(element, "person_name"),
    ]
    found = (_contributor(candidate) for candidate in candidates)
    return tuple(contributor for contributor in found if contributor is not None)


def _contributor(element: etree._Element) -> Contributor | None:
    role = element.get("contributor_role") or "author"
    sequence = element.get("sequence") or "additional"
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
        orcid=bare_orcid(child_text(element, "ORCID")),
        role=role,
        sequence=sequence,
    )


def bare_orcid(value: str) -> str:
    """`0000-0002-1825-0097` from `https://orcid.org/0000-0002-1825-0097` (or "" if none)."""
    match = _ORCID.search(value)
    return match.group(0).upper() if match else ""


def preferred_identifier(element: etree._Element | None, name: str) -> str:
    """The print ISSN/ISBN if given, else the first one."""
    return text(preferred(list(children(element, name)), "media_type", _MEDIA_PREFERENCE))


def publication_year(element: etree._Element | None) -> int | None:
    """Year of the print date if given, else an undated-medium one, else the online one."""
    dates = [date for name in _DATE_ELEMENTS for date in children(element, name)]
    for database_date in children(element, "database_date"):
        dates += [date for name in _DATABASE_DATES for date in children(database_date, name)]
    best = preferred(dates, "media_type", _MEDIA_PREFERENCE)
    year = child_text(best, "year")
    return int(year) if _YEAR.fullmatch(year) else None


def publisher(element: etree._Element | None) -> str:
    return child_text(element, "publisher", "publisher_name")


def references(citation_list: etree._Element | None) -> tuple[ParsedReference, ...]:
    """Each `citation`, numbered from 1 in document order."""
    citations = children(citation_list, "citation")
    return tuple(_reference(citation, position) for position, citation in enumerate(citations, 1))


def _reference(citation: etree._Element, position: int) -> ParsedReference:
    fields = {}
    for element in citation:
        field = _REFERENCE_FIELDS.get(local_name(element))
        if field and field not in fields:
            fields[field] = text(element)
    return ParsedReference(
        key=(citation.get("key") or "").strip(),
        position=position,
        type=(citation.get("type") or "").strip(),
        **fields,
    )
