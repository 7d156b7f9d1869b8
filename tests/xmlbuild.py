"""Builders of deposit XML (bytes) for tests: from the real records in shared data, or from dicts.

Everything is built with lxml, so text is always escaped properly.
"""
from __future__ import annotations

import copy
import itertools
import os
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

DEPOSIT_NS = "http://www.crossref.org/schema/5.4.0"
UNIXREF_NS = "http://www.crossref.org/xschema/1.1"  # the `crossref` element of query output
QUERY_NS = "http://www.crossref.org/qrschema/3.0"

# The project's shared data sits beside the repository (CI clones it with shared/ next to it);
# SHARED_DATA names another place.
SHARED_DATA = Path(os.environ.get("SHARED_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))
UNIXSD_DIR = SHARED_DATA / "crossref-unixsd"

_ARTICLE_KEYS = {
    "doi", "title", "authors", "year", "volume", "issue", "first_page", "timestamp", "references",
}

# reference dict key -> citation child element, in the order the schema lists them
_CITATION_ELEMENTS = {
    "issn": "issn",
    "journal_title": "journal_title",
    "author": "author",
    "volume": "volume",
    "issue": "issue",
    "first_page": "first_page",
    "year": "cYear",
    "doi": "doi",
    "isbn": "isbn",
    "series_title": "series_title",
    "volume_title": "volume_title",
    "edition_number": "edition_number",
    "component_number": "component_number",
    "article_title": "article_title",
    "unstructured": "unstructured_citation",
}
_REFERENCE_KEYS = {"key", "type", *_CITATION_ELEMENTS}


def unixsd_paths() -> list[Path]:
    """The real Crossref records of shared data, sorted by file name. Missing data is an error, not a skip."""
    paths = sorted(UNIXSD_DIR.glob("*.xml"))
    if not paths:
        raise FileNotFoundError(f"no real records in {UNIXSD_DIR}: put shared/ beside the repository or set SHARED_DATA")
    return paths


def deposit_from_unixsd(
    paths: Iterable[str | Path],
    *,
    doi_batch_id: str = "test-batch",
    timestamp: int = 20240101000000,
    namespace: str = DEPOSIT_NS,
) -> bytes:
    """One doi_batch holding the work elements (journal, book, posted_content...) of `paths`.

    Elements of the unixref namespace move into `namespace`; foreign ones (fundref,
    AccessIndicators, JATS, MathML, relations) are copied as they are.
    """
    root, body = _doi_batch(doi_batch_id, timestamp, namespace)
    for path in paths:
        crossref = etree.parse(str(path)).find(f".//{{{UNIXREF_NS}}}crossref")
        if crossref is None:
            raise ValueError(f"{path} holds no unixref <crossref> element")
        for work in crossref:
            if isinstance(work.tag, str):
                _copy_into(body, work, namespace)
    return _serialised(root)


def journal_article_deposit(
    articles: list[dict],
    *,
    doi_batch_id: str = "test-batch",
    timestamp: int = 20240101000000,
    journal_title: str = "Journal of Tests",
    issn: str = "1234-5679",
    namespace: str = DEPOSIT_NS,
) -> bytes:
    """A deposit of journal articles given as dicts (see _ARTICLE_KEYS and _REFERENCE_KEYS).

    The articles go into one `journal` element; since the schema puts volume and issue on the
    journal_issue, consecutive articles with another volume/issue open a new `journal` element.
    """
    root, body = _doi_batch(doi_batch_id, timestamp, namespace)
    for (volume, issue), group in itertools.groupby(
        articles, key=lambda article: (article.get("volume"), article.get("issue"))
    ):
        group = list(group)
        journal = _sub(body, namespace, "journal")
        metadata = _sub(journal, namespace, "journal_metadata")
        _sub(metadata, namespace, "full_title", journal_title)
        if issn:
            _sub(metadata, namespace, "issn", issn, media_type="print")
        year = next((article["year"] for article in group if article.get("year")), None)
        if volume or issue or year:
            _journal_issue(journal, namespace, volume=volume, issue=issue, year=year)
        for article in group:
            _journal_article(journal, namespace, article)
    return _serialised(root)


# --- building blocks -------------------------------------------------------------------------


def _doi_batch(doi_batch_id: str, timestamp: int, namespace: str):
    version = namespace.rstrip("/").rpartition("/")[2]
    root = etree.Element(etree.QName(namespace, "doi_batch"), nsmap={None: namespace}, version=version)
    head = _sub(root, namespace, "head")
    _sub(head, namespace, "doi_batch_id", doi_batch_id)
    _sub(head, namespace, "timestamp", str(timestamp))
    depositor = _sub(head, namespace, "depositor")
    _sub(depositor, namespace, "depositor_name", "Test Depositor")
    _sub(depositor, namespace, "email_address", "deposits@example.org")
    _sub(head, namespace, "registrant", "Test Registrant")
    return root, _sub(root, namespace, "body")


def _sub(parent, namespace: str, name: str, text=None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, etree.QName(namespace, name), **attributes)
    if text is not None:
        element.text = str(text)
    return element


def _copy_into(parent: etree._Element, element: etree._Element, namespace: str) -> None:
    """Append a copy of `element` to `parent`, unixref elements renamed into `namespace`."""
    name = etree.QName(element)
    if name.namespace != UNIXREF_NS:
        parent.append(copy.deepcopy(element))  # keeps its own tail
        return
    renamed = etree.SubElement(parent, etree.QName(namespace, name.localname), dict(element.attrib))
    renamed.text = element.text
    renamed.tail = element.tail
    for child in element:
        if isinstance(child.tag, str):
            _copy_into(renamed, child, namespace)


def _journal_issue(journal, namespace: str, *, volume, issue, year) -> None:
    journal_issue = _sub(journal, namespace, "journal_issue")
    if year:
        date = _sub(journal_issue, namespace, "publication_date", media_type="print")
        _sub(date, namespace, "year", year)
    if volume:
        _sub(_sub(journal_issue, namespace, "journal_volume"), namespace, "volume", volume)
    if issue:
        _sub(journal_issue, namespace, "issue", issue)


def _journal_article(journal, namespace: str, article: dict) -> None:
    unknown = set(article) - _ARTICLE_KEYS
    if unknown:
        raise ValueError(f"unknown article keys: {sorted(unknown)}")
    element = _sub(journal, namespace, "journal_article", publication_type="full_text")
    titles = _sub(element, namespace, "titles")
    _sub(titles, namespace, "title", article.get("title") or f"Article {article['doi']}")
    if article.get("authors"):
        contributors = _sub(element, namespace, "contributors")
        for index, (given, surname) in enumerate(article["authors"]):
            person = _sub(
                contributors,
                namespace,
                "person_name",
                contributor_role="author",
                sequence="first" if index == 0 else "additional",
            )
            if given:
                _sub(person, namespace, "given_name", given)
            _sub(person, namespace, "surname", surname)
    if article.get("year"):
        date = _sub(element, namespace, "publication_date", media_type="print")
        _sub(date, namespace, "year", article["year"])
    if article.get("first_page"):
        _sub(_sub(element, namespace, "pages"), namespace, "first_page", article["first_page"])
    doi_data = _sub(element, namespace, "doi_data")
    _sub(doi_data, namespace, "doi", article["doi"])
    if article.get("timestamp") is not None:
        _sub(doi_data, namespace, "timestamp", article["timestamp"])
    _sub(doi_data, namespace, "resource", f"https://example.org/articles/{article['doi']}")
    if article.get("references") is not None:
        _citation_list(element, namespace, article["references"])


def _citation_list(article, namespace: str, references: list[dict]) -> None:
    citation_list = _sub(article, namespace, "citation_list")
    for position, reference in enumerate(references, 1):
        unknown = set(reference) - _REFERENCE_KEYS
        if unknown:
            raise ValueError(f"unknown reference keys: {sorted(unknown)}")
        attributes = {"key": str(reference.get("key") or f"ref{position}")}
        if reference.get("type"):
            attributes["type"] = reference["type"]
        citation = _sub(citation_list, namespace, "citation", **attributes)
        for key, name in _CITATION_ELEMENTS.items():
            if reference.get(key) not in (None, ""):
                _sub(citation, namespace, name, reference[key])


def _serialised(root: etree._Element) -> bytes:
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
