"""Crossref's Python clients, unmodified, pointed at the portal: habanero, crossrefapi, crossref-commons.

Each reads a work at /works/{doi}, is told "not found" for an unknown DOI in the way it expects,
and pages through /works with cursor=* over more than one page, as it would against api.crossref.org.
"""
import ssl

import crossref.restful
import crossref_commons.iteration
import crossref_commons.retrieval
import httpx2
import pytest
import trustme
from crossref_commons.iteration import iterate_publications_as_json
from crossref_commons.retrieval import get_publication_as_json
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from habanero import Crossref
from habanero.exceptions import RequestError

from deposits.models import Work
from tests.citations.works_registry import GRAPHENE, GRAPHENE_REFERENCE, GRAPHENE_TITLE, MUDFLATS, register_registry

pytestmark = pytest.mark.usefixtures("no_matching_tasks")

# Enough works of each kind that every client needs several pages at its own page size:
# habanero at limit=20, crossrefapi at its fixed 100 rows, crossref-commons at its 1000.
CHAPTERS, PROCEEDINGS, ARTICLES = 45, 230, 800


@pytest.fixture
def registry(live_server, press, society):
    register_registry(press[0], society[0])  # committed: the live server's thread sees it
    kinds = ["book-chapter"] * CHAPTERS + ["proceedings-article"] * PROCEEDINGS + ["journal-article"] * ARTICLES
    Work.objects.bulk_create(
        Work(doi=f"10.5555/bulk.{i}", title=f"Bulk work {i}", type=kind, owner=press[0], publication_year=1950 + i % 70,
             cited_by_count=i % 11, match_pending=False)
        for i, kind in enumerate(kinds)
    )
    return live_server


@pytest.fixture
def habanero(registry):
    return Crossref(base_url=registry.url, mailto="tests@portal.example")


# --- habanero ---------------------------------------------------------------------------------


def test_habanero_bibliographic_query_gets_the_cited_work_first(habanero):
    answer = habanero.works(query_bibliographic=GRAPHENE_REFERENCE, limit=3)
    assert answer["status"] == "ok" and answer["message-type"] == "work-list"
    items = answer["message"]["items"]
    assert items[0]["DOI"] == GRAPHENE["doi"]
    assert items[0]["title"] == [GRAPHENE["title"]]
    assert [a["family"] for a in items[0]["author"]] == ["Lovelace", "Babbage"]
    assert all(first["score"] >= second["score"] for first, second in zip(items, items[1:]))


def test_habanero_field_queries_and_offset(habanero):
    answer = habanero.works(query_title="tidal rhythms of estuarine mudflats", query_author="Anning", limit=1)
    assert [i["DOI"] for i in answer["message"]["items"]] == [MUDFLATS["doi"]]
    second = habanero.works(query_bibliographic=GRAPHENE_TITLE, limit=1, offset=1)
    assert second["message"]["items"][0]["DOI"] != GRAPHENE["doi"]


def test_habanero_reports_the_rows_cap_as_crossref_words_it(habanero):
    with pytest.raises(RequestError) as refused:
        habanero.works(query_bibliographic="graphene", limit=1001)
    assert "less than or equal to 1000" in str(refused.value)


def test_habanero_reads_a_work_by_doi_in_any_case(habanero):
    answer = habanero.works(ids="10.5555/GRAPHENE.1")
    assert answer["message-type"] == "work"
    assert answer["message"]["DOI"] == GRAPHENE["doi"] and answer["message"]["is-referenced-by-count"] == 1


def test_habanero_is_told_an_unknown_doi_is_not_found(habanero):
    with pytest.raises(httpx2.HTTPStatusError) as missing:
        habanero.works(ids="10.5555/no-such-work")
    assert missing.value.response.status_code == 404
    with pytest.warns(UserWarning, match="404"):
        assert habanero.works(ids="10.5555/no-such-work", warn=True) is None


def test_habanero_pages_with_a_cursor_through_every_matching_work(habanero):
    pages = habanero.works(filter={"type": "book-chapter"}, sort="published", order="asc", cursor="*", limit=20)
    assert [len(page["message"]["items"]) for page in pages] == [20, 20, 5]
    dois = [item["DOI"] for page in pages for item in page["message"]["items"]]
    assert len(set(dois)) == CHAPTERS and all(d.startswith("10.5555/bulk.") for d in dois)
    years = [item["issued"]["date-parts"][0][0] for page in pages for item in page["message"]["items"]]
    assert years == sorted(years)


# --- crossrefapi: it builds https://{crossref.restful.API}/… itself, so it meets the portal over TLS


class TLSLiveServerThread(LiveServerThread):
    """Django's live test server behind TLS."""

    def __init__(self, *args, context: ssl.SSLContext, **kwargs):
        super().__init__(*args, **kwargs)
        self.context = context

    def _create_server(self, connections_override=None):
        server = super()._create_server(connections_override)
        server.socket = self.context.wrap_socket(server.socket, server_side=True)
        return server


@pytest.fixture
def crossrefapi(registry, monkeypatch, tmp_path):
    """crossref.restful.API is the client's base address (host[:port]); requests trusts the
    test CA through REQUESTS_CA_BUNDLE, its documented setting."""
    authority = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("localhost").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    server = TLSLiveServerThread("localhost", static_handler=_StaticFilesHandler, context=context)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.setattr(crossref.restful, "API", f"localhost:{server.port}")
    yield crossref.restful.Works(etiquette=crossref.restful.Etiquette("portal-tests", "1", "https://portal.example", "tests@portal.example"))
    server.terminate()


def test_crossrefapi_reads_a_work_by_doi(crossrefapi):
    message = crossrefapi.doi("https://doi.org/10.5555/graphene.1")
    assert message["DOI"] == GRAPHENE["doi"] and message["title"] == [GRAPHENE["title"]]
    assert message["reference"] == []


def test_crossrefapi_is_told_an_unknown_doi_is_not_found(crossrefapi):
    assert crossrefapi.doi("10.5555/no-such-work") is None
    assert crossrefapi.doi_exists("10.5555/no-such-work") is False
    assert crossrefapi.doi_exists(GRAPHENE["doi"]) is True


def test_crossrefapi_iterates_with_a_cursor_through_every_matching_work(crossrefapi):
    chosen = crossrefapi.filter(type="proceedings-article").sort("is-referenced-by-count").order("desc")
    assert chosen.count() == PROCEEDINGS
    items = list(chosen)  # pages of the client's 100 rows, cursor=* on, until a page is empty
    assert len(items) == len({item["DOI"] for item in items}) == PROCEEDINGS
    counts = [item["is-referenced-by-count"] for item in items]
    assert counts == sorted(counts, reverse=True)


# --- crossref-commons: its base address is crossref_commons.config.API_URL, which each module
# copies at import, so it is set where retrieval and iteration read it.


@pytest.fixture
def commons(registry, monkeypatch):
    for module in (crossref_commons.retrieval, crossref_commons.iteration):
        monkeypatch.setattr(module, "API_URL", registry.url)


def test_crossref_commons_reads_a_work_by_doi(commons):
    message = get_publication_as_json("10.5555/Graphene.1")  # sent URL-encoded: 10.5555%2FGraphene.1
    assert message["DOI"] == GRAPHENE["doi"] and message["page"] == GRAPHENE["first_page"]


def test_crossref_commons_is_told_an_unknown_doi_is_not_found(commons):
    with pytest.raises(ValueError, match="does not exist"):
        get_publication_as_json("10.5555/no-such-work")


def test_crossref_commons_iterates_with_a_cursor_over_more_than_one_page(commons):
    # It asks for rows=min(1000, max_results): over a thousand works take it two pages and an empty one.
    items = list(iterate_publications_as_json(filter={"prefix": "10.5555"}, queries={}, max_results=5000))
    total = Work.objects.filter(doi__startswith="10.5555/").count()
    assert total > 1000
    assert len(items) == len({item["DOI"] for item in items}) == total
