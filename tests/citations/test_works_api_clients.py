"""Crossref's own Python client (habanero) pointed at the portal: it reads /works unchanged."""
import pytest
from habanero import Crossref
from habanero.exceptions import RequestError

from tests.citations.works_registry import GRAPHENE, GRAPHENE_REFERENCE, MUDFLATS, register_registry

pytestmark = pytest.mark.usefixtures("no_matching_tasks")


@pytest.fixture
def crossref(live_server, press, society):
    register_registry(press[0], society[0])  # committed: the live server's thread sees it
    return Crossref(base_url=live_server.url, mailto="tests@portal.example")


def test_habanero_bibliographic_query_gets_the_cited_work_first(crossref):
    answer = crossref.works(query_bibliographic=GRAPHENE_REFERENCE, limit=3)
    assert answer["status"] == "ok" and answer["message-type"] == "work-list"
    items = answer["message"]["items"]
    assert items[0]["DOI"] == GRAPHENE["doi"]
    assert items[0]["title"] == [GRAPHENE["title"]]
    assert [a["family"] for a in items[0]["author"]] == ["Lovelace", "Babbage"]
    assert all(first["score"] >= second["score"] for first, second in zip(items, items[1:]))


def test_habanero_field_queries_and_offset(crossref):
    answer = crossref.works(query_title="tidal rhythms of estuarine mudflats", query_author="Anning", limit=1)
    assert [i["DOI"] for i in answer["message"]["items"]] == [MUDFLATS["doi"]]
    second = crossref.works(query_bibliographic=GRAPHENE_REFERENCE, limit=1, offset=1)
    assert second["message"]["items"][0]["DOI"] != GRAPHENE["doi"]


def test_habanero_reports_the_rows_cap_as_crossref_words_it(crossref):
    with pytest.raises(RequestError) as refused:
        crossref.works(query_bibliographic="graphene", limit=1001)
    assert "less than or equal to 1000" in str(refused.value)
