"""References with a DOI decided a chunk at a time (citations.doi_links) make exactly the decisions
the matcher makes one reference at a time through the candidate search."""
import pytest

from citations import matching
from citations.doi_links import decide_doi_references, works_by_doi
from citations.matching.records import ReferenceQuery
from citations.models import Citation, UnmatchedReference
from citations.search import work_index
from citations.services import match_works
from deposits.models import Work
from tests.citations.test_pipeline import CITED, OTHER, cite, deposit

pytestmark = pytest.mark.django_db

GLACIER_STRING = (
    "Halvorsen I, Okafor T. Seasonal velocity of outlet glaciers in southeast Greenland. "
    "Journal of Glaciology Letters. 2019;47(3):211-229."
)

# One of each thing the DOI rules decide, and the DOI forms references bring.
QUERIES = {
    "alone": ReferenceQuery(doi="10.5555/glacier.1"),
    "capitals": ReferenceQuery(doi="10.5555/GLACIER.1"),
    "url": ReferenceQuery(doi="https://doi.org/10.5555/Glacier.1"),
    "doi-prefix": ReferenceQuery(doi="doi:10.5555/glacier.1"),
    "agreeing-fields": ReferenceQuery(doi="10.5555/glacier.1", journal_title="J. Glaciol. Lett.", volume="47",
                                      first_page="211", year="2019", author="Halvorsen"),
    "year-off-by-one": ReferenceQuery(doi="10.5555/glacier.1", year="2020"),
    "in-string": ReferenceQuery(unstructured=f"{GLACIER_STRING} https://doi.org/10.5555/glacier.1"),
    "string-and-field": ReferenceQuery(unstructured=GLACIER_STRING, doi="10.5555/glacier.1"),
    "other-year": ReferenceQuery(doi="10.5555/glacier.1", year="2011"),
    "other-page": ReferenceQuery(doi="10.5555/glacier.1", first_page="230"),
    "other-journal": ReferenceQuery(doi="10.5555/glacier.1", journal_title="Annals of Cardiac Surgery"),
    "other-title": ReferenceQuery(doi="10.5555/glacier.1", article_title="Microbial carbon turnover in boreal peat soils"),
    "unrelated-string": ReferenceQuery(
        unstructured="Nakamura K, Quantum dots in lattice chromodynamics and the proton spin puzzle revisited, "
                     "doi:10.5555/glacier.1"),
    "unregistered": ReferenceQuery(doi="10.5555/not-yet"),
    "unregistered-then-registered": ReferenceQuery(unstructured="See 10.5555/not-yet and 10.5555/soil.2"),
    "not-a-doi-reference": ReferenceQuery(unstructured=GLACIER_STRING),
}


@pytest.fixture
def registry(press):
    deposit(press[0], [CITED, OTHER])


def one_at_a_time(queries):
    """The path every reference took before: the candidate search (a DOI asks for its works), then `match`."""
    index = work_index()
    return [matching.match(query, candidates=index.search(matching.candidate_query(query))) for query in queries]


def comparable(result):
    if result is None:
        return None
    work = result.work.doi if result.work else None
    return (result.outcome, result.method, work, result.score, result.agreed, result.reason, result.details)


def test_the_chunk_decides_every_doi_reference_as_the_matcher_does_one_by_one(registry):
    queries = list(QUERIES.values()) + [QUERIES["alone"], QUERIES["other-year"]]  # duplicates in one chunk
    dois = [matching.candidate_query(query).dois for query in queries]
    chunk = decide_doi_references(queries, dois)
    single = one_at_a_time(queries)
    by_name = dict(zip(QUERIES, chunk))
    assert by_name["not-a-doi-reference"] is None  # left to the candidate search
    for name, got, expected in zip(list(QUERIES) + ["alone again", "other-year again"], chunk, single):
        if got is not None:
            assert comparable(got) == comparable(expected), name
    outcomes = {name: (result.outcome, result.reason) for name, result in by_name.items() if result is not None}
    # The set covers every rule: linked, each contradiction, a DOI that waits, the second DOI of a string.
    assert outcomes["url"] == outcomes["capitals"] == outcomes["doi-prefix"] == ("matched", "doi")
    assert outcomes["in-string"] == outcomes["year-off-by-one"] == ("matched", "doi")
    for name in ("other-year", "other-page", "other-journal", "other-title", "unrelated-string"):
        assert outcomes[name] == ("contradicted", "contradicted"), name
    assert outcomes["unregistered"] == ("unmatched", "doi-not-registered")
    assert by_name["unregistered-then-registered"].work.doi == OTHER["doi"]


def test_works_are_found_by_any_form_of_their_doi_in_one_lookup(registry, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = works_by_doi(["https://doi.org/10.5555/GLACIER.1", "10.5555/soil.2", "10.5555/not-yet", ""])
    assert {key: work.doi for key, work in found.items()} == {"10.5555/glacier.1": CITED["doi"], "10.5555/soil.2": OTHER["doi"]}


def test_a_chunk_of_doi_references_links_flags_and_waits_once_however_often_it_runs(press, society, registry):
    citing = cite(society, [
        {"key": "linked", "doi": "10.5555/GLACIER.1"},
        {"key": "again", "doi": "https://doi.org/10.5555/glacier.1"},
        {"key": "flagged", "doi": "10.5555/glacier.1", "year": "2011"},
        {"key": "waits", "doi": "10.5555/not-yet"},
    ])
    cited = Work.objects.get(doi=CITED["doi"])
    rows = lambda: sorted(Citation.objects.values_list("reference__key", "cited_work_id", "status", "method"))  # noqa: E731
    first = rows()
    assert first == sorted([
        ("linked", cited.pk, "linked", "publisher-doi"), ("again", cited.pk, "linked", "publisher-doi"),
        ("flagged", cited.pk, "flagged", "publisher-doi"),
    ])
    assert UnmatchedReference.objects.get(reference__key="waits").reason == "doi-not-registered"
    linked, flagged = Citation.objects.get(reference__key="linked"), Citation.objects.get(reference__key="flagged")
    assert (linked.score, linked.agreed, linked.note) == (1.0, ["doi"], "doi") and linked.created and linked.counted_since
    assert flagged.agreed[0] == "doi" and flagged.note == "contradicted by the reference's year" and flagged.counted_since is None
    cited.refresh_from_db()
    citing.refresh_from_db()
    assert (cited.cited_by_count, citing.linked_references_count) == (1, 2)  # one citing work; flags never count

    match_works(work_ids=[citing.pk, cited.pk])  # a chunk run again (acks_late: a lost worker's chunk comes back)
    assert rows() == first
    cited.refresh_from_db()
    assert cited.cited_by_count == 1 and UnmatchedReference.objects.filter(reference__key="waits").count() == 1


def test_a_chunk_run_again_after_it_stopped_before_its_recount_puts_the_counts_right(press, society, registry):
    citing = cite(society, [{"key": "linked", "doi": CITED["doi"]}, {"key": "other", "doi": OTHER["doi"]}])
    # As a worker killed between a batch's links and the chunk's recount leaves them: links made, counts not.
    Work.objects.update(cited_by_count=0, linked_references_count=0)
    match_works(work_ids=[citing.pk])  # the chunk again (acks_late): its references are linked already
    counts = dict(Work.objects.values_list("doi", "cited_by_count"))
    assert (counts[CITED["doi"]], counts[OTHER["doi"]]) == (1, 1)
    assert Work.objects.get(pk=citing.pk).linked_references_count == 2
