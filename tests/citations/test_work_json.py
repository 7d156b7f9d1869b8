"""citations.work_json: one hook forgets every cached answer about a work (its Crossref JSON, the
widget's data, its cited-by page and its prefix's), by id or by DOI, and nothing else."""
import pytest
from django.core.cache import cache

from citations.widget import data as widget_data
from citations.work_json import cache_key, cited_by_page_key, forget_public_answers
from tests.citations.widget_builders import work

pytestmark = pytest.mark.django_db


def _answers(doi: str) -> list[str]:
    return [cache_key(doi), widget_data.cache_key(doi), cited_by_page_key(doi=doi), cited_by_page_key(prefix=doi.split("/")[0])]


@pytest.mark.parametrize("by", ["id", "doi"])
def test_forgetting_a_work_forgets_all_its_answers_and_its_prefixs_page(press, society, by):
    mine = work(press[0], "10.5555/forgotten")
    other = work(society[0], "10.6666/kept")
    for key in _answers(mine.doi) + _answers(other.doi):
        cache.set(key, "cached", 60)
    forget_public_answers(**({"work_ids": [mine.pk]} if by == "id" else {"dois": [mine.doi]}))
    assert cache.get_many(_answers(mine.doi)) == {}
    assert set(cache.get_many(_answers(other.doi))) == set(_answers(other.doi))


def test_a_prefix_saved_or_deleted_forgets_its_page(press, society, django_capture_on_commit_callbacks):
    from members.models import Prefix

    prefix = Prefix.objects.get(value="10.5555")
    cache.set(cited_by_page_key(prefix="10.5555"), "cached", 60)
    with django_capture_on_commit_callbacks(execute=True):
        prefix.member = society[0]
        prefix.save()
    assert cache.get(cited_by_page_key(prefix="10.5555")) is None
