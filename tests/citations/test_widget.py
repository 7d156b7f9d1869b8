"""The widget's data, iframe and script endpoints: who gets what, from where, how fast to revalidate."""
from __future__ import annotations

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citations.services import citation_reject
from members.services import widget_key_revoke, widget_key_set_origins
from tests.citations.widget_builders import SITE, cite, widget_key, work
from tests.front_client import FrontClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(press, society):
    member, _ = press
    citing_member, _ = society
    article = work(member, "10.5555/cited.1", "The cited article")
    for n in range(3):
        cite(work(citing_member, f"10.6666/citing.{n}", f"Citing <i>E. coli</i> {n}<script>alert(1)</script>",
                  container_title="Journal of Citing", publication_year=2020 + n), article)
    return article


def get_data(client, doi, key, **headers):
    return client.get(f"/widget/v1/data/{doi}", {"key": key.key if hasattr(key, "key") else key}, headers=headers)


def test_an_allowed_site_reads_the_count_and_the_citing_works(client, press, cited):
    key = widget_key(press[0])
    response = get_data(client, cited.doi, key, origin=SITE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "Origin" in response["Vary"]
    assert response["Cache-Control"] == "no-cache"
    assert response["ETag"].startswith('"')
    data = response.json()
    assert data["count"] == 3
    assert [item["doi"] for item in data["works"]] == ["10.6666/citing.2", "10.6666/citing.1", "10.6666/citing.0"]
    first = data["works"][0]
    assert first["title"] == "Citing E. coli 2"
    assert first["title_rich"] == ["Citing ", ["i", "E. coli"], " 2"]
    assert first["authors"] == "Ada Lovelace"
    assert (first["venue"], first["year"], first["url"]) == ("Journal of Citing", 2022, "https://doi.org/10.6666/citing.2")


def test_a_site_not_allowed_gets_no_data_and_no_cors(client, press, cited):
    key = widget_key(press[0])
    response = get_data(client, cited.doi, key, origin="https://elsewhere.example")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert b"citing" not in response.content


def test_a_request_saying_nothing_of_its_site_is_refused_but_the_portal_itself_is_served(client, press, cited):
    key = widget_key(press[0])
    assert get_data(client, cited.doi, key).status_code == 403
    own = get_data(client, cited.doi, key, sec_fetch_site="same-origin")
    assert own.status_code == 200
    assert "Access-Control-Allow-Origin" not in own


def test_a_key_shows_only_its_own_members_works(client, press, society, cited):
    other_key = widget_key(society[0])
    foreign = get_data(client, cited.doi, other_key, origin=SITE)
    unknown = get_data(client, "10.6666/never.registered", other_key, origin=SITE)
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.content == unknown.content
    assert b"citing" not in foreign.content


def test_an_unknown_key_is_refused(client, cited):
    assert get_data(client, cited.doi, "cbw_nope", origin=SITE).status_code == 403


def test_a_matching_etag_gets_304_until_the_work_gains_a_citation(client, press, society, cited, django_capture_on_commit_callbacks):
    key = widget_key(press[0])
    first = get_data(client, cited.doi, key, origin=SITE)
    again = get_data(client, cited.doi, key, origin=SITE, if_none_match=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == SITE
    with django_capture_on_commit_callbacks(execute=True):
        cite(work(society[0], "10.6666/newer", "A newer citing work"), cited)
    changed = get_data(client, cited.doi, key, origin=SITE, if_none_match=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed.json()["count"] == 4


def test_losing_a_citation_forgets_the_cached_list(client, press, cited, django_capture_on_commit_callbacks):
    key = widget_key(press[0])
    assert get_data(client, cited.doi, key, origin=SITE).json()["count"] == 3
    link = cited.citations_received.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        citation_reject(citation=link, by=press[1])
    assert get_data(client, cited.doi, key, origin=SITE).json()["count"] == 2


def test_a_cached_answer_reads_only_the_key_and_the_cache(client, press, society, cited):
    key = widget_key(press[0])
    get_data(client, cited.doi, key, origin=SITE)
    with CaptureQueriesContext(connection) as queries:
        assert get_data(client, cited.doi, key, origin=SITE).status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "deposits_work" not in tables and "citations_citation" not in tables
    assert len(queries) <= 2  # the key's row, and the cache entry (a table on the embedded default)


def test_the_iframe_renders_for_an_allowed_site_and_names_it_in_frame_ancestors(client, press, cited):
    key = widget_key(press[0])
    response = client.get(f"/widget/v1/embed/{cited.doi}", {"key": key.key, "max": 2, "theme": "dark"},
                          headers={"referer": f"{SITE}/articles/1", "sec_fetch_site": "cross-site", "sec_fetch_dest": "iframe"})
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert f"frame-ancestors 'self' {SITE}" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "Cited by 3" in html and "cb-dark" in html
    assert "<i>E. coli</i>" in html and "<script>" not in html
    assert "Show 1 more" in html


def test_the_iframe_refuses_other_sites_and_direct_visits(client, press, cited):
    key = widget_key(press[0])
    elsewhere = client.get(f"/widget/v1/embed/{cited.doi}", {"key": key.key}, headers={"referer": "https://elsewhere.example/a"})
    direct = client.get(f"/widget/v1/embed/{cited.doi}", {"key": key.key}, headers={"sec_fetch_site": "none"})
    for response in (elsewhere, direct):
        assert response.status_code == 403
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert "citing" not in response.content.decode().lower()


def test_zero_citations_show_nothing_or_the_text_asked_for(client, press):
    article = work(press[0], "10.5555/uncited")
    key = widget_key(press[0])
    headers = {"referer": f"{SITE}/a", "sec_fetch_site": "cross-site"}
    silent = client.get(f"/widget/v1/embed/{article.doi}", {"key": key.key}, headers=headers).content.decode()
    told = client.get(f"/widget/v1/embed/{article.doi}", {"key": key.key, "empty": "text"}, headers=headers).content.decode()
    assert "Cited by" not in silent.split("<body>")[1]
    assert "No citations yet." in told and "Cited by 0" in told


def test_the_script_is_small_self_contained_and_never_evaluates_strings(client):
    response = client.get("/widget/v1/cited-by.js", headers={"accept_encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) <= 10 * 1024
    source = gzip.decompress(response.content).decode()
    assert "__WIDGET_CSS__" not in source and ":host" in source and " msup " in source
    # Loads nothing from anywhere but the portal it came from (the MathML namespace is a name, not a load).
    code = source.split("*/", 1)[1].replace('"http://www.w3.org/1998/Math/MathML"', "")
    for forbidden in ("eval(", "new Function", "innerHTML", "insertAdjacentHTML", "document.write", "http://", "https://"):
        assert forbidden not in code, forbidden
    assert client.get("/widget/v1/cited-by.js", headers={"if_none_match": response["ETag"]}).status_code == 304


@pytest.fixture
def memory_cache(settings):
    """A cache outside the database, as Redis is in production: what it holds survives whatever
    the test's transaction does, so a stale entry would really be served."""
    settings.CACHES = {name: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"widget-test-{name}"}
                       for name in ("default", "ratelimit")}
    from django.core.cache import caches

    caches["default"].clear()
    yield
    caches["default"].clear()


def test_a_cached_answer_touches_no_database_when_the_cache_is_not_one(client, press, cited, memory_cache):
    key = widget_key(press[0])
    first = get_data(client, cited.doi, key, origin=SITE)
    with CaptureQueriesContext(connection) as queries:
        again = get_data(client, cited.doi, key, origin=SITE)
        revalidated = get_data(client, cited.doi, key, origin=SITE, if_none_match=first["ETag"])
    assert (again.status_code, revalidated.status_code) == (200, 304)
    assert again.content == first.content
    assert len(queries) == 0, [query["sql"] for query in queries.captured_queries]


@pytest.fixture(params=["django", "front"])
def asker(request, client):
    """Django's test client, or portal.front in front of it as gunicorn serves the portal."""
    return client if request.param == "django" else FrontClient(client)


def served_while_cached(asker, doi, key) -> None:
    """Asked twice: the key and the answer are cached (and the front, if there, answered)."""
    assert get_data(asker, doi, key, origin=SITE).status_code == 200
    again = get_data(asker, doi, key, origin=SITE)
    assert again.status_code == 200
    assert getattr(again, "via_front", False) == isinstance(asker, FrontClient)


# On the embedded default's cache (a database table) and on one outside the database, as Redis is.
@pytest.mark.parametrize("cache_kind", ["database", "memory"])
def test_a_revoked_key_is_refused_at_once_even_with_the_key_and_the_answer_cached(client, press, cited, cache_kind, request):
    if cache_kind == "memory":
        request.getfixturevalue("memory_cache")
    key = widget_key(press[0])
    assert get_data(client, cited.doi, key, origin=SITE).status_code == 200
    widget_key_revoke(key=key, by=press[1])
    response = get_data(client, cited.doi, key, origin=SITE)
    assert response.status_code == 403
    assert b"revoked" in response.content


# Committed, as in production: the key's record is cached again, revoked, and access reads it.
def test_a_revoked_key_is_refused_at_once_by_the_front_too(asker, press, cited, memory_cache, django_capture_on_commit_callbacks):
    key = widget_key(press[0])
    served_while_cached(asker, cited.doi, key)
    with django_capture_on_commit_callbacks(execute=True):
        widget_key_revoke(key=key, by=press[1])
    response = get_data(asker, cited.doi, key, origin=SITE)
    assert response.status_code == 403
    assert b"revoked" in response.content


def test_a_removed_site_is_refused_even_with_the_key_and_the_answer_cached(asker, press, cited, memory_cache,
                                                                          django_capture_on_commit_callbacks):
    key = widget_key(press[0], origins=f"{SITE}\nhttps://other.example")
    served_while_cached(asker, cited.doi, key)
    with django_capture_on_commit_callbacks(execute=True):
        widget_key_set_origins(key=key, origins="https://other.example")
    refused = get_data(asker, cited.doi, key, origin=SITE)
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused
    assert get_data(asker, cited.doi, key, origin="https://other.example").status_code == 200


def test_a_key_revoked_in_the_admin_is_refused_even_when_cached(asker, press, cited, memory_cache, django_capture_on_commit_callbacks):
    key = widget_key(press[0])
    served_while_cached(asker, cited.doi, key)
    key.revoked = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        key.save()  # as the Django admin's form does
    assert get_data(asker, cited.doi, key, origin=SITE).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        key.delete()
    assert get_data(asker, cited.doi, key, origin=SITE).status_code == 403


def test_a_copy_of_the_key_read_before_its_revocation_committed_is_overwritten_at_commit(
        client, press, cited, memory_cache, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from members.selectors import widget_key_cache_key

    key = widget_key(press[0])
    assert get_data(client, cited.doi, key, origin=SITE).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        widget_key_revoke(key=key, by=press[1])
        # A request that read the row just before the revocation committed caches what it read.
        cache.add(widget_key_cache_key(key.key), (key.pk, key.member_id, [SITE], None))
    assert get_data(client, cited.doi, key, origin=SITE).status_code == 403
