"""A reference giving a DOI and nothing else is decided without scoring: the same answer as the
full DOI rules give, field by field, for every kind of work."""
from __future__ import annotations

import pytest

from citations.matching import ReferenceQuery, WorkRecord, match
from citations.matching import matcher

ARTICLE = WorkRecord(
    id=1, doi="10.1103/physrevb.12.345", title="Electron transport in disordered thin metallic films",
    authors=("Smith", "Jones"), given_names=("John", "Karen"), container_title="Physical Review B",
    issn=("2469-9950",), year=2001, volume="12", issue="3", first_page="345", last_page="351",
)
PREPRINT = WorkRecord(
    id=2, doi="10.1101/2009.12.01.123456", type="posted-content", title="Diabetes and vascular dementia",
    authors=("Ahtiluoto",), container_title="bioRxiv", year=2010,
)
BOOK = WorkRecord(
    id=3, doi="10.7758/9781610441384", type="book", title="The Handbook of Research Synthesis",
    authors=("Cooper", "Hedges"), isbn=("9780871542267",), year=1994,
)
BARE = WorkRecord(id=4, doi="10.5555/bare")  # registered with nothing but its DOI
WORKS = (ARTICLE, PREPRINT, BOOK, BARE)


def full_rules(query: ReferenceQuery, candidates) -> matcher.MatchResult:
    """The answer of the DOI rules without the short cut (every field scored against the work)."""
    shortcut = matcher._doi_only
    matcher._doi_only = lambda view: False
    try:
        return match(query, candidates=candidates)
    finally:
        matcher._doi_only = shortcut


@pytest.mark.parametrize("work", WORKS, ids=lambda work: work.doi)
@pytest.mark.parametrize("given", ["{doi}", "https://doi.org/{doi}", "doi:{doi}", "{upper}"])
def test_doi_only_reference_gets_the_answer_of_the_full_rules(work, given):
    query = ReferenceQuery(doi=given.format(doi=work.doi, upper=work.doi.upper()))
    candidates = [BARE, work] if work is not BARE else [work]

    fast, full = match(query, candidates=candidates), full_rules(query, candidates)

    assert fast == full
    assert fast.details == full.details
    assert list(fast.details["fields"]) == list(full.details["fields"])  # the same order, as stored
    assert (fast.outcome, fast.work, fast.agreed, fast.score) == ("matched", work, ("doi",), 1.0)


def test_doi_only_reference_builds_no_features_of_the_work(monkeypatch):
    def refuse(work):
        raise AssertionError("a DOI-only reference needs no features of its work")

    monkeypatch.setattr(matcher, "work_features", refuse)

    assert match(ReferenceQuery(doi=ARTICLE.doi), candidates=[ARTICLE]).outcome == "matched"


def test_unregistered_doi_still_waits_for_its_work():
    result = match(ReferenceQuery(doi="10.5555/not-yet"), candidates=[ARTICLE])

    assert (result.outcome, result.reason, result.work) == ("unmatched", "doi-not-registered", None)


@pytest.mark.parametrize("field, value, expected", [
    ("year", "1987", "contradicted"),
    ("first_page", "999", "contradicted"),
    ("journal_title", "Journal of Marine Biology", "contradicted"),
    ("year", "2001", "matched"),
    ("unstructured", "Smith J, Phys. Rev. B 12, 345 (2001)", "matched"),
])
def test_a_doi_with_other_fields_is_still_checked_against_them(field, value, expected):
    query = ReferenceQuery(doi=ARTICLE.doi, **{field: value})

    result = match(query, candidates=[ARTICLE])

    assert result.outcome == expected
    assert result == full_rules(query, [ARTICLE])
    if expected == "matched":
        assert len(result.agreed) > 1  # the fields given were scored, not skipped
