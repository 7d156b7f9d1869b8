"""Builders over the real Crossref records in shared/data/crossref-unixsd, and a toy index.

`real_works()` turns each record into the `WorkRecord` the Django side would build;
`real_citations()` yields each `citation` of their citation lists as a `ReferenceQuery` (the
DOIs Crossref's own matcher added, provider="crossref", are kept apart as the answer key, never
given to the matcher). `ToyIndex` imitates the portal's candidate retrieval: an OR-of-terms
full-text query ranked by bm25 over `index_text`, plus the direct (volume, page) and DOI lookups.
"""
from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from citations.matching import CandidateQuery, ReferenceQuery, WorkRecord, candidate_query, index_text
from citations.matching.text import normalize_doi, norm_number

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "crossref-unixsd"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
TYPES = {"journal_article": "journal-article", "posted_content": "posted-content", "book_content": "book-chapter"}


def data_dir() -> Path:
    for candidate in (DATA.resolve(), Path("/work/shared/data/crossref-unixsd")):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("shared/data/crossref-unixsd is not beside the work tree")


def _local(element) -> str:
    return etree.QName(element).localname


def _first(element, *path: str) -> str:
    xpath = "/".join(f"*[local-name()='{name}']" for name in path)
    found = element.xpath(xpath)
    return " ".join("".join(found[0].itertext()).split()) if found else ""


def _all(element, name: str):
    return element.xpath(f".//*[local-name()='{name}']")


@dataclass(frozen=True)
class RealCitation:
    source_doi: str  # the citing record
    key: str
    reference: ReferenceQuery
    crossref_doi: str  # what Crossref's matcher linked it to ("" when nothing)


@functools.lru_cache(maxsize=1)
def _records() -> tuple[tuple[WorkRecord, tuple[RealCitation, ...]], ...]:
    records = []
    for number, path in enumerate(sorted(data_dir().glob("*.xml")), start=1):
        root = etree.parse(str(path), PARSER).getroot()
        query = root.xpath("//*[local-name()='query']")[0]
        doi_element = query.xpath("*[local-name()='doi']")[0]
        doi = doi_element.text.strip().lower()
        work = _work(number, doi, TYPES.get(doi_element.get("type"), "other"), root)
        citations = tuple(_citation(doi, c) for c in _all(root, "citation"))
        records.append((work, citations))
    return tuple(records)


def real_works() -> list[WorkRecord]:
    return [work for work, _ in _records()]


def real_citations() -> list[RealCitation]:
    return [citation for _, citations in _records() for citation in citations]


def _work(number: int, doi: str, type_: str, root) -> WorkRecord:
    crossref = root.xpath("//*[local-name()='crossref']")[0]
    container, short, volume, issue, issns, isbns = "", "", "", "", [], []
    if type_ == "journal-article":
        item = _all(crossref, "journal_article")[0]
        container = _first(crossref, "journal", "journal_metadata", "full_title")
        short = _first(crossref, "journal", "journal_metadata", "abbrev_title")
        volume = _first(crossref, "journal", "journal_issue", "journal_volume", "volume")
        issue = _first(crossref, "journal", "journal_issue", "issue")
        issns = [e.text.strip() for e in crossref.xpath("*/*[local-name()='journal_metadata']/*[local-name()='issn']")]
    elif type_ == "book-chapter":
        item = _all(crossref, "content_item")[0]
        container = _first(crossref, "book", "book_metadata", "titles", "title")
        isbns = [e.text.strip() for e in _all(crossref, "isbn")]
    else:
        item = crossref[0]
        container = _first(item, "institution", "institution_name")
    people = [p for p in item.xpath("*[local-name()='contributors']/*") if p.get("contributor_role", "author") == "author"]
    authors = tuple(_first(p, "surname") or " ".join("".join(p.itertext()).split()) for p in people)
    given = tuple(_first(p, "given_name") for p in people)
    title = _first(item, "titles", "title")
    subtitle = _first(item, "titles", "subtitle")
    years = [int(y.text) for y in _all(item, "year") if y.text and y.text.strip().isdigit()]
    return WorkRecord(
        id=number, doi=doi, type=type_, title=f"{title}: {subtitle}" if subtitle else title,
        authors=authors, given_names=given, container_title=container, short_container_title=short,
        issn=tuple(issns), isbn=tuple(isbns), year=min(years) if years else None, volume=volume, issue=issue,
        first_page=_first(item, "pages", "first_page"), last_page=_first(item, "pages", "last_page"),
    )


def _citation(source_doi: str, element) -> RealCitation:
    fields = {_local(child): " ".join("".join(child.itertext()).split()) for child in element}
    crossref_doi = ""
    publisher_doi = ""
    for doi in element.xpath("*[local-name()='doi']"):
        if doi.get("provider") == "crossref":
            crossref_doi = normalize_doi(doi.text or "")
        else:
            publisher_doi = doi.text or ""
    reference = ReferenceQuery(
        unstructured=fields.get("unstructured_citation", ""), doi=publisher_doi,
        journal_title=fields.get("journal_title", ""), author=fields.get("author", ""),
        volume=fields.get("volume", ""), issue=fields.get("issue", ""), first_page=fields.get("first_page", ""),
        year=fields.get("cYear", ""), article_title=fields.get("article_title", ""), issn=fields.get("issn", ""),
        isbn=fields.get("isbn", ""), volume_title=fields.get("volume_title", ""),
        series_title=fields.get("series_title", ""),
    )
    return RealCitation(source_doi=source_doi, key=element.get("key", ""), reference=reference, crossref_doi=crossref_doi)


class ToyIndex:
    """The portal's candidate retrieval in miniature: bm25 over OR-ed terms, plus direct lookups."""

    def __init__(self, works: list[WorkRecord]):
        self.works = list(works)
        self.terms = [index_text(w).split() for w in self.works]
        self.frequency = Counter(term for terms in self.terms for term in set(terms))
        self.average_length = sum(map(len, self.terms)) / max(1, len(self.terms))
        self.by_volume_page = defaultdict(list)
        self.by_doi = {}
        for work in self.works:
            self.by_doi[work.doi.lower()] = work
            if work.volume and work.first_page:
                self.by_volume_page[(norm_number(work.volume), norm_number(work.first_page))].append(work)

    def search(self, query: CandidateQuery, limit: int = 20) -> list[WorkRecord]:
        found: dict[int, WorkRecord] = {}
        for doi in query.dois:
            if doi in self.by_doi:
                found[self.by_doi[doi].id] = self.by_doi[doi]
        for pair in query.volume_pages:
            for work in self.by_volume_page.get(pair, []):
                found[work.id] = work
        for work in self.ranked(query.text)[:limit]:
            if len(found) >= limit:
                break
            found.setdefault(work.id, work)
        return list(found.values())

    def ranked(self, text: str) -> list[WorkRecord]:
        words = set(text.split())
        n = len(self.works)
        scores = []
        for work, terms in zip(self.works, self.terms):
            counts = Counter(t for t in terms if t in words)
            score = 0.0
            for term, tf in counts.items():
                idf = math.log(1 + (n - self.frequency[term] + 0.5) / (self.frequency[term] + 0.5))
                score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(terms) / self.average_length))
            if score > 0:
                scores.append((score, work))
        scores.sort(key=lambda s: -s[0])
        return [work for _, work in scores]

    def candidates(self, reference: ReferenceQuery, limit: int = 20) -> list[WorkRecord]:
        return self.search(candidate_query(reference), limit)
