"""Crossref's getForwardLinks answer: query output XML, `crossref_result` version 2.0.

Pure: it turns links (each with its cited and citing `Work`) into bytes, so its element order is
tested without a database. One `forward_link doi="<cited DOI>"` per citing work of each cited
work, holding one `*_cite` element that describes the citing work. Element order follows
crossref_query_output2.0.xsd (its sequences are written down in the test).

Types: journal articles → journal_cite; books and their parts → book_cite; proceedings
articles → conf_cite; posted content → postedcontent_cite (left out unless asked for, as
Crossref does). Other types (datasets, reports, dissertations...) have no cite element of their
own in the 2.0 schema; they are written as journal_cite with their container as journal title,
which is what Crossref's own output does for them.
"""
from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from deposits.models import Work
from deposits.xml.markup import plain_text

NAMESPACE = "http://www.crossref.org/qrschema/2.0"
SCHEMA_LOCATION = f"{NAMESPACE} http://www.crossref.org/qrschema/crossref_query_output2.0.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
POSTED_CONTENT = "posted-content"

BOOK_TYPES = {"book", "edited-book", "monograph", "reference-book", "book-set", "book-series"}
BOOK_PART_TYPES = {"book-chapter", "book-section", "book-part", "book-track", "reference-entry"}


def cite_element_name(work_type: str) -> str:
    if work_type in BOOK_TYPES or work_type in BOOK_PART_TYPES:
        return "book_cite"
    if work_type == "proceedings-article":
        return "conf_cite"
    if work_type == POSTED_CONTENT:
        return "postedcontent_cite"
    return "journal_cite"


def _doi_type(work_type: str) -> str:
    """Crossref's `doi type=` values of the query output."""
    if work_type in BOOK_TYPES:
        return "book_title"
    if work_type in BOOK_PART_TYPES:
        return "book_content"
    return {"proceedings-article": "conference_paper", POSTED_CONTENT: "posted_content",
            "journal-article": "journal_article"}.get(work_type, work_type.replace("-", "_"))


def forward_links_xml(links: Iterable, *, include_posted_content: bool = False) -> bytes:
    """`links`: objects with `cited_work` and `citing_work` (citations.models.Citation rows)."""
    E = etree.ElementMaker(namespace=NAMESPACE, nsmap={None: NAMESPACE, "xsi": XSI})
    root = E.crossref_result({"version": "2.0", f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    result = etree.SubElement(root, f"{{{NAMESPACE}}}query_result")
    head = etree.SubElement(result, f"{{{NAMESPACE}}}head")
    etree.SubElement(head, f"{{{NAMESPACE}}}doi_batch_id").text = "none"
    body = etree.SubElement(result, f"{{{NAMESPACE}}}body")
    seen: set[tuple[int, int]] = set()
    for link in links:
        citing: Work = link.citing_work
        pair = (link.cited_work_id, citing.pk)
        if pair in seen:  # a work citing another twice (two references) is one forward link
            continue
        seen.add(pair)
        if citing.type == POSTED_CONTENT and not include_posted_content:
            continue
        forward = etree.SubElement(body, f"{{{NAMESPACE}}}forward_link", doi=link.cited_work.doi)
        forward.append(_cite(citing))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _cite(work: Work) -> etree._Element:
    name = cite_element_name(work.type)
    cite = etree.Element(f"{{{NAMESPACE}}}{name}", fl_count=str(work.cited_by_count))
    title = plain_text(work.title)

    def add(tag: str, text: str | None, **attributes) -> None:
        if text:
            etree.SubElement(cite, f"{{{NAMESPACE}}}{tag}", **attributes).text = str(text)

    if name == "journal_cite":
        add("issn", work.issn, type="print")
        add("journal_title", work.container_title)
        # The portal keeps no abbreviation; Crossref repeats the title when none was deposited.
        add("journal_abbreviation", work.container_title)
        add("article_title", title)
        _contributors(cite, work)
        add("volume", work.volume)
        add("issue", work.issue)
        add("first_page", work.first_page)
        add("year", work.publication_year)
    elif name == "book_cite":
        add("isbn", work.isbn)
        whole_book = work.type in BOOK_TYPES
        add("volume_title", title if whole_book else work.container_title)
        _contributors(cite, work)
        add("volume", work.volume)
        add("first_page", work.first_page)
        add("year", work.publication_year)
    elif name == "conf_cite":
        add("isbn", work.isbn)
        add("proceedings_title", work.container_title)
        add("paper_title", title)
        _contributors(cite, work)
        add("volume", work.volume)
        add("first_page", work.first_page)
        add("year", work.publication_year)
    else:  # postedcontent_cite
        add("title", title)
        _contributors(cite, work)
        add("year", work.publication_year)
    if name != "postedcontent_cite":
        add("publication_type", "full_text")
    add("doi", work.doi, type=_doi_type(work.type))
    return cite


def _contributors(cite: etree._Element, work: Work) -> None:
    people = [c for c in work.contributors or () if c.get("role", "author") == "author"]
    if not people:
        return
    holder = etree.SubElement(cite, f"{{{NAMESPACE}}}contributors")
    for index, person in enumerate(people):
        first = person.get("sequence") == "first" if any(p.get("sequence") for p in people) else index == 0
        entry = etree.SubElement(holder, f"{{{NAMESPACE}}}contributor", {"first-author": "true" if first else "false"})
        if person.get("given_name"):
            etree.SubElement(entry, f"{{{NAMESPACE}}}given_name").text = person["given_name"]
        etree.SubElement(entry, f"{{{NAMESPACE}}}surname").text = person.get("surname", "")
