"""Properties over wild input: never an exception, scores in 0..1, an unmatched result links nothing."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citations.matching import CandidateQuery, ReferenceQuery, WorkRecord, candidate_query, index_text, match

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120)
bibliographic = st.one_of(
    text,
    st.sampled_from(["", "12", "345", "e1234", "2001", "1999–2001", "Phys. Rev. B", "Müller", "Correction to: x",
                     "doi:10.1000/abc", "10.1103/PhysRevB.12.345", "(2001)", "pp. 1-2", "vol. 3"]),
)
year = st.one_of(st.none(), st.integers(min_value=1500, max_value=2100))

works = st.builds(
    WorkRecord,
    id=st.integers(min_value=1, max_value=10_000),
    doi=st.one_of(st.just("10.1103/physrevb.12.345"), st.from_regex(r"10\.\d{4}/[a-z0-9.]{1,12}", fullmatch=True)),
    type=st.sampled_from(["journal-article", "posted-content", "book", "book-chapter"]),
    title=bibliographic, authors=st.lists(bibliographic, max_size=4).map(tuple),
    container_title=bibliographic, short_container_title=bibliographic,
    issn=st.lists(st.sampled_from(["2469-9950", "0028-3878", "x"]), max_size=2).map(tuple),
    year=year, volume=bibliographic, issue=bibliographic, first_page=bibliographic, last_page=bibliographic,
)
references = st.builds(
    ReferenceQuery,
    unstructured=st.one_of(text, st.just("J. Smith, Phys. Rev. B 12, 345 (2001). doi:10.1103/PhysRevB.12.345")),
    doi=st.one_of(st.just(""), bibliographic), journal_title=bibliographic, author=bibliographic,
    volume=bibliographic, issue=bibliographic, first_page=bibliographic, year=bibliographic,
    article_title=bibliographic, issn=bibliographic, isbn=bibliographic, volume_title=bibliographic,
    series_title=bibliographic,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reference=references)
def test_candidate_query_never_fails_and_asks_in_plain_words(reference):
    query = candidate_query(reference)
    assert isinstance(query, CandidateQuery)
    assert query.text == query.text.lower() and query.text.isascii()
    assert len(query.text.split()) <= 30
    assert all(word.isalnum() for word in query.text.split())
    assert all(doi == doi.lower() and doi.startswith("10.") for doi in query.dois)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reference=references, candidates=st.lists(works, max_size=6))
def test_match_never_fails_and_answers_consistently(reference, candidates):
    result = match(reference, candidates=candidates)
    assert 0.0 <= result.score <= 1.0 and 0.0 <= result.runner_up <= 1.0
    assert result.method in ("publisher-doi", "structured", "unstructured")
    if result.outcome == "unmatched":
        assert result.work is None and result.reason
    else:
        assert result.work in candidates
    if result.outcome == "contradicted":
        assert result.method == "publisher-doi"


@settings(max_examples=200, deadline=None)
@given(work=works)
def test_index_text_is_plain_lower_case_words(work):
    stored = index_text(work)
    assert stored == stored.lower() and stored.isascii()
    assert all(word.isalnum() for word in stored.split())
