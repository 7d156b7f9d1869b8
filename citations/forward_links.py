"""Crossref's getForwardLinks answer: query output XML, `crossref_result` version 2.0.

Pure: it turns links (each with its cited and citing `Work`) into bytes, so its element order is
tested without a database. One `forward_link doi="<cited DOI>"` per citing work of each cited
work, holding one `*_cite` element that describes the citing work. Element order follows
crossref_query_output2.0.xsd (its sequences are written down in the test).

Types: journal articles → journal_cite; books and their parts → book_cite; proceedings
articles → conf_cite; posted content → postedcontent_cite (left out unless asked for, as
Crossref does); dissertations, reports, standards and datasets → dissertation_cite,
report_cite, standard_cite, database_cite. Anything else (peer reviews, "other") is written as
journal_cite. Titles: article_title in journal_cite; volume_title (the book or proceedings) in
book, conf, report and standard cites; title in dissertation, database and posted content cites.
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


REPORT_TYPES = {"report", "report-component", "report-series"}

# Each cite element's children, in the order of crossref_query_output2.0.xsd (all optional but doi).
_JOURNAL = ("issn", "journal_title", "journal_abbreviation", "article_title", "contributors", "volume", "issue",
            "first_page", "year", "publication_type", "doi")
_BOOKLIKE = ("isbn", "series_title", "volume_title", "contributors", "volume", "first_page", "year", "publication_type", "doi")
_TITLED = ("title", "contributors", "year", "publication_type", "doi")
SEQUENCES = {
    "journal_cite": _JOURNAL,
    "book_cite": _BOOKLIKE,
    "conf_cite": _BOOKLIKE,
    "report_cite": _BOOKLIKE,
    "standard_cite": _BOOKLIKE,
    "dissertation_cite": _TITLED,
    "database_cite": _TITLED,
    "postedcontent_cite": ("title", "contributors", "year", "doi"),
}


def cite_element_name(work_type: str) -> str:
    if work_type in BOOK_TYPES or work_type in BOOK_PART_TYPES:
        return "book_cite"
    if work_type in REPORT_TYPES:
        return "report_cite"
    return {"proceedings-article": "conf_cite", POSTED_CONTENT: "postedcontent_cite", "dissertation": "dissertation_cite",
            "standard": "standard_cite", "dataset": "database_cite"}.get(work_type, "journal_cite")


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
    root = etree.Element(f"{{{NAMESPACE}}}crossref_result", {"version": "2.0", f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
                         nsmap={None: NAMESPACE, "xsi": XSI})
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


def _values(work: Work, name: str) -> dict[str, str]:
    title = plain_text(work.title)
    whole = work.type in BOOK_TYPES or work.type in {"report", "standard"}
    return {
        "issn": work.issn,
        "isbn": work.isbn,
        "journal_title": work.container_title,
        # The portal keeps no abbreviation; Crossref repeats the title when none was deposited.
        "journal_abbreviation": work.container_title,
        "article_title": title,
        "volume_title": title if whole else work.container_title,
        "title": title,
        "volume": work.volume,
        "issue": work.issue,
        "first_page": work.first_page,
        "year": str(work.publication_year or ""),
        "publication_type": "full_text",
    }


def _cite(work: Work) -> etree._Element:
    name = cite_element_name(work.type)
    cite = etree.Element(f"{{{NAMESPACE}}}{name}", fl_count=str(work.cited_by_count))
    values = _values(work, name)
    for tag in SEQUENCES[name]:
        if tag == "contributors":
            _contributors(cite, work)
        elif tag == "doi":
            etree.SubElement(cite, f"{{{NAMESPACE}}}doi", type=_doi_type(work.type)).text = work.doi
        elif tag == "issn" and values["issn"]:
            etree.SubElement(cite, f"{{{NAMESPACE}}}issn", type="print").text = values["issn"]
        elif values.get(tag):
            etree.SubElement(cite, f"{{{NAMESPACE}}}{tag}").text = values[tag]
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
