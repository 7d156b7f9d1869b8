"""Matching DOI-bearing references, in either deposit order, with counts kept."""
import pytest

from citations.models import Citation
from citations.services import match_works
from deposits.models import Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db


def register(member, articles, timestamp=1) -> list[int]:
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles, timestamp=timestamp), filename="b.xml")
    deposit_process(deposit_id=deposit.pk)
    return list(Work.objects.filter(last_deposit=deposit).values_list("pk", flat=True))


def test_reference_doi_links_to_registered_work_case_insensitively(press, society):
    cited_ids = register(press[0], [{"doi": "10.5555/Cited.1", "title": "Cited"}])
    citing_ids = register(society[0], [{"doi": "10.6666/c1", "references": [{"key": "r", "doi": "doi:10.5555/CITED.1"}]}])
    assert match_works(work_ids=cited_ids + citing_ids) == 1
    citation = Citation.objects.get()
    assert (citation.citing_work.doi, citation.cited_work.doi, citation.method) == ("10.6666/c1", "10.5555/cited.1", "publisher-doi")
    assert Work.objects.get(doi="10.5555/cited.1").cited_by_count == 1


def test_citation_appears_when_cited_work_is_registered_after_the_citing_one(press, society):
    citing_ids = register(society[0], [{"doi": "10.6666/early", "references": [{"key": "r", "doi": "10.5555/late"}]}])
    assert match_works(work_ids=citing_ids) == 0
    cited_ids = register(press[0], [{"doi": "10.5555/late"}])
    assert match_works(work_ids=cited_ids) == 1
    assert Work.objects.get(doi="10.5555/late").cited_by_count == 1


def test_matching_twice_changes_nothing(press, society):
    ids = register(press[0], [{"doi": "10.5555/t"}]) + register(society[0], [{"doi": "10.6666/s", "references": [{"key": "r", "doi": "10.5555/t"}]}])
    match_works(work_ids=ids)
    assert match_works(work_ids=ids) == 0
    assert Citation.objects.count() == 1


def test_count_is_of_distinct_citing_works(press, society):
    ids = register(press[0], [{"doi": "10.5555/t"}]) + register(society[0], [
        {"doi": "10.6666/twice", "references": [{"key": "a", "doi": "10.5555/t"}, {"key": "b", "doi": "10.5555/t"}]},
        {"doi": "10.6666/once", "references": [{"key": "a", "doi": "10.5555/t"}]},
    ])
    match_works(work_ids=ids)
    assert Citation.objects.count() == 3
    assert Work.objects.get(doi="10.5555/t").cited_by_count == 2


def test_reference_to_unregistered_doi_waits_unlinked(press):
    ids = register(press[0], [{"doi": "10.5555/a", "references": [{"key": "r", "doi": "10.9999/not-here"}]}])
    assert match_works(work_ids=ids) == 0
    assert Citation.objects.count() == 0
