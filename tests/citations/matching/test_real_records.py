"""The matcher on the 86 real Crossref records and their 2,365 real references.

Candidates come from `ToyIndex` (bm25 over `index_text`, OR-ed `candidate_query` terms, plus the
volume/page and DOI lookups), as the portal's index would give them.
"""
from __future__ import annotations

import dataclasses

import pytest

from citations.matching import ReferenceQuery, WorkRecord, match
from citations.matching.text import iso4_abbreviation, without_identifiers
from tests.citations.matching import styles
from tests.citations.matching.realdata import ToyIndex, real_citations, real_works


@pytest.fixture(scope="module")
def works() -> list[WorkRecord]:
    return real_works()


@pytest.fixture(scope="module")
def index(works) -> ToyIndex:
    return ToyIndex(works)


def test_real_records_and_citations_are_read(works):
    assert len(works) == 86
    assert len(real_citations()) == 2365
    assert {w.type for w in works} == {"journal-article", "book-chapter", "posted-content"}
    assert sum(1 for c in real_citations() if c.reference.unstructured) == 247  # of 249 elements, 2 are empty


def test_references_crossref_linked_to_a_real_record_match_it(works, index):
    """Crossref's own answer key: a reference it linked to one of the 86 records must match it.

    (In this corpus no reference cites another of the 86 records, so the set is empty today;
    the check stands for when records are added.)
    """
    by_doi = {w.doi: w for w in works}
    for citation in real_citations():
        if citation.crossref_doi in by_doi:
            result = match(citation.reference, candidates=index.candidates(citation.reference))
            assert result.outcome == "matched" and result.work.doi == citation.crossref_doi, citation


def test_no_real_reference_is_linked_to_a_record_it_does_not_cite(index):
    """All 2,365 references cite works outside the 86: every one must stay unmatched, no crash."""
    outcomes = {}
    for citation in real_citations():
        result = match(citation.reference, candidates=index.candidates(citation.reference))
        assert result.outcome == "unmatched", (citation, result)
        assert result.work is None and 0.0 <= result.score <= 1.0
        outcomes[result.reason] = outcomes.get(result.reason, 0) + 1
    assert outcomes["doi-not-registered"] > 1000  # publisher DOIs wait for their works


def test_real_references_stripped_of_their_doi_are_still_not_fuzzy_linked(index):
    """Without the DOI, the fields alone must not link a work that is not in the registry."""
    for citation in real_citations():
        reference = dataclasses.replace(
            citation.reference, doi="", unstructured=without_identifiers(citation.reference.unstructured)
        )
        result = match(reference, candidates=index.candidates(reference))
        assert result.outcome == "unmatched", (citation, result)


def test_real_unstructured_strings_match_the_work_crossref_found(works, index):
    """Real strings in their publishers' styles against the work Crossref linked them to.

    The cited work is described by the reference's own deposited fields (journal, first author,
    volume, issue, first page, year; no title), the string alone is matched, with the 86 real
    records as distractors.
    """
    checked = 0
    for number, citation in enumerate(real_citations()):
        ref = citation.reference
        if not (ref.unstructured and citation.crossref_doi and ref.journal_title and ref.first_page and ref.year and ref.author):
            continue
        cited = WorkRecord(
            id=100_000 + number, doi=citation.crossref_doi, title=ref.article_title,
            authors=(ref.author.split()[-1],), container_title=ref.journal_title, year=int(ref.year[:4]),
            volume=ref.volume, issue=ref.issue, first_page=ref.first_page,
        )
        string_only = ReferenceQuery(unstructured=ref.unstructured)
        result = match(string_only, candidates=[*index.candidates(string_only), cited])
        assert result.outcome == "matched" and result.work == cited, (ref.unstructured, result.details)
        checked += 1
    assert checked >= 150


STYLES = {
    "apa": lambda w: styles.apa(w),
    "vancouver": lambda w: styles.vancouver(w),
    "chicago": lambda w: styles.chicago(w),
    "ieee": lambda w: styles.ieee(w, iso4_abbreviation(w.container_title)),
    "nature": lambda w: styles.nature(w, iso4_abbreviation(w.container_title)),
    "aip-no-title": lambda w: styles.aip(w, iso4_abbreviation(w.container_title)),
    "elsevier-no-title": lambda w: styles.elsevier_no_title(w, iso4_abbreviation(w.container_title)),
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_real_records_rendered_in_a_style_match_themselves(works, index, style):
    """Each of the 86 records cited in a style finds itself among the others (titled styles: all).

    Title-less styles need volume and first page: records without them (online-only articles,
    an erratum the string does not name as one) rightly stay unmatched, never linked elsewhere.
    """
    title_less = style.endswith("no-title")
    matched = 0
    expected = 0
    for work in works:
        if work.type == "posted-content":
            continue  # its rendering names a container and year, not a journal: checked below
        reference = ReferenceQuery(unstructured=STYLES[style](work))
        result = match(reference, candidates=index.candidates(reference))
        assert result.outcome == "unmatched" or result.work == work, (reference, result.details)
        if not title_less or (work.volume and work.first_page and not work.title.startswith("Corrigendum")):
            expected += 1
            matched += result.outcome == "matched"
    assert matched == expected


def test_real_posted_content_matches_a_reference_to_the_preprint(works, index):
    preprint = next(w for w in works if w.type == "posted-content")
    text = f"{preprint.authors[0]} {preprint.given_names[0][0]}, et al. {preprint.title}. {preprint.container_title} preprint ({preprint.year})."
    result = match(ReferenceQuery(unstructured=text), candidates=index.candidates(ReferenceQuery(unstructured=text)))
    assert result.outcome == "matched" and result.work == preprint


def test_real_records_as_structured_references_match_themselves(works, index):
    for work in works:
        if not (work.authors and work.title and work.year) or work.type == "posted-content":
            continue
        if len(work.title.split()) < 3:
            # "Kaleidoscope": a monthly column by the same author in the same journal; title, author,
            # year and journal cannot tell one month's from another's, so it must not match.
            reference = ReferenceQuery(article_title=work.title, author=work.authors[0], year=str(work.year),
                                       journal_title=work.container_title)
            assert match(reference, candidates=index.candidates(reference)).outcome == "unmatched"
            continue
        reference = ReferenceQuery(
            article_title=work.title, author=f"{work.given_names[0][:1]} {work.authors[0]}", year=str(work.year),
            journal_title=work.container_title,
        )
        result = match(reference, candidates=index.candidates(reference))
        assert result.outcome == "matched" and result.work == work, (reference, result.details)
