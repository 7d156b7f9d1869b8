"""portal.front: cached machine reads answered before Django, with Django's own status, body and
every header (in Django's order), and anything it is not sure of left to Django."""
from __future__ import annotations

import json

import pytest

from tests.citations.widget_builders import SITE, cite, widget_key, work
from tests.front_client import FrontClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_cache(settings):
    """A cache outside the database (the front stands aside over the database's table)."""
    settings.CACHES = {name: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"front-test-{name}"}
                       for name in ("default", "ratelimit")}
    from django.core.cache import caches

    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def cited(press, society):
    article = work(press[0], "10.5555/cited.1", "The cited <i>article</i>")
    for n in range(2):
        cite(work(society[0], f"10.6666/citing.{n}", f"A citing work {n}"), article)
    return article


def _same_as_djangos(client, front, path: str, **headers):
    """The front's answer, after checking it is Django's byte for byte and header for header."""
    django = client.get(path, headers=headers)
    answer = front.get(path, headers=headers)
    assert answer.via_front, f"{path} {headers}: the front left it to Django"
    assert answer.status_code == django.status_code
    assert answer.status_line == f"{django.status_code} {django.reason_phrase}"
    assert answer.content == django.content
    assert answer.items() == list(django.items())
    return answer


def test_a_cached_widget_answer_is_djangos_own(client, press, cited, memory_cache):
    front = FrontClient(client)
    key = widget_key(press[0])
    path = f"/widget/v1/data/{cited.doi}?key={key.key}"
    first = front.get(path, headers={"origin": SITE})
    assert not first.via_front and first.status_code == 200  # nothing cached yet: Django answered, and cached
    answer = _same_as_djangos(client, front, path, origin=SITE)
    assert answer["Access-Control-Allow-Origin"] == SITE
    assert _same_as_djangos(client, front, path, origin=SITE, if_none_match=answer["ETag"]).status_code == 304
    # The portal's own pages (the documentation's preview): no CORS header.
    assert "Access-Control-Allow-Origin" not in _same_as_djangos(client, front, path, sec_fetch_site="same-origin")


def test_over_https_the_front_sends_djangos_security_headers(client, press, cited, memory_cache, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    front = FrontClient(client)
    key = widget_key(press[0])
    path = f"/widget/v1/data/{cited.doi}?key={key.key}"
    django = client.get(path, headers={"origin": SITE}, secure=True)
    answer = front.get(path, headers={"origin": SITE}, secure=True)
    assert answer.via_front
    assert answer.items() == list(django.items())
    assert answer["Strict-Transport-Security"].startswith("max-age=3600")


@pytest.mark.parametrize("case", ["other site", "no key", "unknown DOI", "cookie", "another member's DOI"])
def test_what_the_front_is_not_sure_of_is_left_to_django(client, press, society, cited, memory_cache, case):
    front = FrontClient(client)
    key = widget_key(press[0])
    path = f"/widget/v1/data/{cited.doi}?key={key.key}"
    front.get(path, headers={"origin": SITE})  # cached by Django
    headers, extra = {"origin": SITE}, {}
    if case == "other site":
        headers = {"origin": "https://elsewhere.example"}
    elif case == "no key":
        path = f"/widget/v1/data/{cited.doi}"
    elif case == "unknown DOI":
        path = f"/widget/v1/data/10.5555/none?key={key.key}"
    elif case == "cookie":
        extra = {"HTTP_COOKIE": "sessionid=x"}
    elif case == "another member's DOI":
        citing = "10.6666/citing.0"
        widget_key(society[0])
        front.get(f"/widget/v1/data/{citing}?key={key.key}", headers={"origin": SITE})
        path = f"/widget/v1/data/{citing}?key={key.key}"
    answer = front.get(path, headers=headers, **extra)
    assert not answer.via_front
    assert answer.status_code in (200, 403, 404)


@pytest.fixture
def database_cache(settings):
    """The embedded default's cache, a table in the database, whatever this run is configured with."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "front-test-ratelimit"},
    }
    from django.core.management import call_command

    call_command("createcachetable")  # (on PostgreSQL + Redis the test database has none; rolled back with the test)


def test_the_front_stands_aside_over_the_database_cache(client, press, cited, database_cache):
    front = FrontClient(client)
    key = widget_key(press[0])
    path = f"/widget/v1/data/{cited.doi}?key={key.key}"
    assert front.get(path, headers={"origin": SITE}).status_code == 200
    assert not front.get(path, headers={"origin": SITE}).via_front


def test_a_new_citation_is_shown_at_once_through_the_front(client, press, society, cited, memory_cache,
                                                           django_capture_on_commit_callbacks):
    front = FrontClient(client)
    key = widget_key(press[0])
    path = f"/widget/v1/data/{cited.doi}?key={key.key}"
    front.get(path, headers={"origin": SITE})
    before = front.get(path, headers={"origin": SITE})
    assert before.via_front
    with django_capture_on_commit_callbacks(execute=True):
        cite(work(society[0], "10.6666/newer", "A newer citing work"), cited)
    after = front.get(path, headers={"origin": SITE, "if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert b'"count":3' in after.content


# --- /works/{doi} ------------------------------------------------------------------------------------


def _cached_by_django(front, path: str, **headers) -> None:
    first = front.get(path, headers=headers)
    assert not first.via_front and first.status_code == 200


def test_a_cached_work_is_djangos_own_json(client, press, society, cited, memory_cache):
    front = FrontClient(client)
    _cached_by_django(front, "/works/10.5555/cited.1")
    for accept in ({}, {"accept": "application/json"}, {"accept": "text/html, */*;q=0.8"}):
        answer = _same_as_djangos(client, front, "/works/10.5555/cited.1", **accept)
        assert answer.status_code == 200
    # Any form of the DOI names the same work.
    assert _same_as_djangos(client, front, "/works/10.5555/CITED.1").content == answer.content


@pytest.mark.parametrize("path", ["/works/10.5555/cited.1/", "/works/10.5555/never", "/works/https://doi.org/10.5555/cited.1",
                                  "/works/10.5555/cited.1?format=api"])
def test_works_paths_the_front_is_not_sure_of_are_left_to_django(client, press, society, cited, memory_cache, path):
    front = FrontClient(client)
    _cached_by_django(front, "/works/10.5555/cited.1")
    assert not front.get(path).via_front
    assert not front.get("/works/10.5555/cited.1", headers={"accept": "application/xml"}).via_front


def test_the_rate_limit_counts_each_request_once_front_or_django(client, press, society, cited, memory_cache, settings):
    from django.core.cache import caches

    settings.PUBLIC_API_REQUESTS_PER_MINUTE = 4
    front = FrontClient(client)
    answers = [front.get("/works/10.5555/cited.1") for _ in range(4)]
    assert [a.via_front for a in answers] == [False, True, True, True]
    refused = front.get("/works/10.5555/cited.1")
    assert refused.status_code == 429 and "Retry-After" in refused
    counters = caches["ratelimit"]
    [count] = [counters.get(key.removeprefix(":1:")) for key in counters._cache if "throttle:public" in key]
    assert count == 5


def test_a_works_json_follows_its_citations_links_and_redeposits(client, press, society, cited, memory_cache,
                                                                 django_capture_on_commit_callbacks):
    from citations.services import refresh_linked_counts
    from deposits.signals import works_registered

    front = FrontClient(client)
    citing = work(society[0], "10.6666/citing.9", "Later")
    for path in ("/works/10.5555/cited.1", "/works/10.6666/citing.9"):
        _cached_by_django(front, path)
        assert front.get(path).via_front
    with django_capture_on_commit_callbacks(execute=True):
        link = cite(citing, cited)
        refresh_linked_counts(work_ids=[citing.pk])  # as matching does with every link it makes
    cited_json = front.get("/works/10.5555/cited.1")
    assert not cited_json.via_front and b'"is-referenced-by-count":3' in cited_json.content
    assert not front.get("/works/10.6666/citing.9").via_front
    assert link.pk
    assert front.get("/works/10.5555/cited.1").via_front
    works_registered.send(sender=None, work_ids=[cited.pk])  # a re-deposit, once committed
    assert not front.get("/works/10.5555/cited.1").via_front
    with django_capture_on_commit_callbacks(execute=True):
        cited.title = "A new title"
        cited.save()  # the Django admin
    assert b"A new title" in front.get("/works/10.5555/cited.1").content


# --- On Redis, as in production: one pipeline reads the answer and counts the request --------------

from tests.test_convergence import redis_url  # noqa: E402, F401  (a redis-server of the test's own)


@pytest.fixture
def redis_cache(settings, redis_url):  # noqa: F811
    settings.CACHES = {"default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": redis_url}}
    settings.CACHES["ratelimit"] = {**settings.CACHES["default"], "KEY_PREFIX": "ratelimit"}
    yield
    from django.core.cache import caches

    caches["default"].clear()


def test_on_redis_the_front_answers_as_django_and_counts_once(client, press, society, cited, redis_cache, settings):
    from django.core.cache import caches

    settings.PUBLIC_API_REQUESTS_PER_MINUTE = 3
    front = FrontClient(client)
    key = widget_key(press[0])
    path = f"/widget/v1/data/{cited.doi}?key={key.key}"
    front.get(path, headers={"origin": SITE})
    _same_as_djangos(client, front, path, origin=SITE)
    answers = [front.get("/works/10.5555/cited.1") for _ in range(3)]
    assert [(a.via_front, a.status_code) for a in answers] == [(False, 200), (True, 200), (True, 200)]
    assert front.get("/works/10.5555/cited.1").status_code == 429
    client_redis = caches["ratelimit"]._cache.get_client(write=True)
    [counter] = client_redis.keys("ratelimit:*throttle:public*")
    assert int(client_redis.get(counter)) == 4


def test_on_redis_a_counted_read_is_one_round_trip_and_survives_a_forgotten_script(client, press, society, cited, redis_cache,
                                                                                     settings):
    from django.core.cache import caches

    settings.PUBLIC_API_REQUESTS_PER_MINUTE = 100
    front = FrontClient(client)
    assert not front.get("/works/10.5555/cited.1").via_front  # Django: caches the JSON, starts the counter
    redis = caches["default"]._cache.get_client(write=True)
    redis.script_flush()  # as a restarted server: the counting script is unknown
    redis.config_resetstat()
    answers = [front.get("/works/10.5555/cited.1") for _ in range(3)]
    assert [(a.via_front, a.status_code) for a in answers] == [(True, 200)] * 3
    scripting = {name: stats["calls"] for name, stats in redis.info("commandstats").items() if name.startswith("cmdstat_script")}
    assert scripting == {"cmdstat_script|load": 1}  # loaded again once; never asked about on each read
    [counter] = redis.keys("ratelimit:*throttle:public*")
    assert int(redis.get(counter)) == 4  # counted once each, the refused first try included none


# --- The first cited-by page, for one of the owner's own API keys ------------------------------------

from members import login_throttle  # noqa: E402
from members.models import APIKey  # noqa: E402
from members.services import api_key_create, api_key_revoke  # noqa: E402

CITED_BY = "/api/v1/works/10.5555/cited.1/cited-by"
PREFIX_CITED_BY = "/api/v1/prefixes/10.5555/cited-by"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a step as its own transaction would: its after-commit work (cached key records,
    forgotten answers) is done when it returns."""
    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)
    return run


def _key(committed, member, scopes=(APIKey.Scope.RETRIEVE,)):
    return committed(api_key_create, member=member, name="platform", scopes=list(scopes), created_by=None)


def _bearer(made) -> dict:
    return {"authorization": f"Bearer {made.token}"}


def _fresh(committed, made) -> None:
    """The key's use recorded just now and its record rewritten: only the access rules can refuse it."""
    from django.utils import timezone

    APIKey.objects.filter(pk=made.key.pk).update(last_used=timezone.now())
    made.key.refresh_from_db()
    committed(made.key.save)


def front_request():
    """A request from the address FrontClient's requests come from (RequestFactory's)."""
    from django.test import RequestFactory

    return RequestFactory().get("/")


@pytest.mark.parametrize("path", [CITED_BY, PREFIX_CITED_BY])
def test_an_owners_key_first_page_is_djangos_own(client, press, cited, memory_cache, committed, path):
    front = FrontClient(client)
    made = _key(committed, press[0])
    first = committed(front.get, path, headers=_bearer(made))  # records the key's use, caches the page
    assert not first.via_front and first.status_code == 200
    answer = _same_as_djangos(client, front, path, **_bearer(made))
    assert [r["citing_doi"] for r in json.loads(answer.content)["results"]] == ["10.6666/citing.1", "10.6666/citing.0"]
    # A key's answer is JSON whatever its Accept (members.api_auth), so the front's too.
    _same_as_djangos(client, front, path, accept="text/html", **_bearer(made))


@pytest.mark.parametrize("case", ["page_size", "from", "session cookie", "another address", "agent's key", "unknown secret",
                                  "another key's id", "failures counted", "use due to be recorded", "another spelling", "not cached"])
def test_what_the_front_cannot_decide_on_a_cited_by_page_is_left_to_django(client, press, society, cited, memory_cache,
                                                                           committed, case):
    from members.models import AgentGrant
    from members.services import agent_grant

    front = FrontClient(client)
    made = _key(committed, press[0])
    committed(front.get, CITED_BY, headers=_bearer(made))
    assert front.get(CITED_BY, headers=_bearer(made)).via_front
    path, headers, extra = CITED_BY, _bearer(made), {}
    if case in ("page_size", "from"):
        path += "?page_size=50" if case == "page_size" else "?from=2000-01-01"
    elif case == "session cookie":
        extra = {"HTTP_COOKIE": "sessionid=x"}
    elif case == "another address":
        extra = {"HTTP_HOST": "localhost"}
    elif case == "agent's key":
        agent_grant(principal=press[0], agent=society[0], scopes=[AgentGrant.Scope.RETRIEVE], granted_by=press[1])
        agent_key = _key(committed, society[0])
        _fresh(committed, agent_key)
        headers = _bearer(agent_key)
    elif case == "unknown secret":
        headers = {"authorization": f"Bearer {made.token[:-4]}abcd"}
    elif case == "another key's id":  # the secret is right, but for another key's id: a made-up token
        headers = {"authorization": "Bearer cbp_000000000000_" + made.token.split("_", 2)[2]}
    elif case == "failures counted":
        login_throttle.record_failure(front_request(), made.key.key_id)
    elif case == "use due to be recorded":
        from datetime import timedelta

        from django.utils import timezone

        APIKey.objects.filter(pk=made.key.pk).update(last_used=timezone.now() - timedelta(minutes=2))
        made.key.refresh_from_db()
        committed(made.key.save)
    elif case == "another spelling":
        path = "/api/v1/works/10.5555/CITED.1/cited-by"
    elif case == "not cached":
        from django.core.cache import cache

        from citations.work_json import cited_by_page_key

        cache.delete(cited_by_page_key(doi="10.5555/cited.1"))
    answer = committed(front.get, path, headers=headers, **extra)
    assert not answer.via_front
    if case == "use due to be recorded":  # Django recorded it: the front answers again
        assert front.get(CITED_BY, headers=_bearer(made)).via_front
    if case in ("unknown secret", "another key's id"):
        assert answer.status_code == 401


@pytest.mark.parametrize("case", ["another member's key", "revoked key", "key without retrieve"])
def test_only_the_owners_own_key_reads_a_cached_page(client, press, society, cited, memory_cache, committed, case):
    """Owner only, through the front too: with the owner's page cached and each key's use freshly
    recorded, another member's key, the owner's revoked key and its key without `retrieve` get
    Django's refusal and never a citing work."""
    front = FrontClient(client)
    owners = _key(committed, press[0])
    for path in (CITED_BY, PREFIX_CITED_BY):
        committed(front.get, path, headers=_bearer(owners))
        assert front.get(path, headers=_bearer(owners)).via_front
    if case == "another member's key":
        made = _key(committed, society[0], scopes=(APIKey.Scope.RETRIEVE, APIKey.Scope.DEPOSIT))
    elif case == "revoked key":
        made = owners
        committed(api_key_revoke, key=owners.key)
    else:
        made = _key(committed, press[0], scopes=(APIKey.Scope.DEPOSIT,))
    _fresh(committed, made)
    for path in (CITED_BY, PREFIX_CITED_BY):
        answer = committed(front.get, path, headers=_bearer(made))
        assert not answer.via_front
        assert answer.status_code in (401, 403)
        assert b"10.6666" not in answer.content and b"results" not in answer.content


def test_a_new_link_or_an_editors_decision_forgets_the_page_at_once(client, press, society, cited, memory_cache, committed):
    from citations.models import Citation
    from citations.services import citation_confirm

    front = FrontClient(client)
    made = _key(committed, press[0])
    for path in (CITED_BY, PREFIX_CITED_BY):
        committed(front.get, path, headers=_bearer(made))
    newer = committed(cite, work(society[0], "10.6666/newer", "A newer citing work"), cited)
    for path in (CITED_BY, PREFIX_CITED_BY):
        answer = committed(front.get, path, headers=_bearer(made))
        assert not answer.via_front and json.loads(answer.content)["results"][0]["citing_doi"] == "10.6666/newer"
        assert front.get(path, headers=_bearer(made)).via_front
    committed(citation_confirm, citation=Citation.objects.get(pk=newer.pk), by=press[1])
    for path in (CITED_BY, PREFIX_CITED_BY):
        answer = committed(front.get, path, headers=_bearer(made))
        assert not answer.via_front and json.loads(answer.content)["results"][0]["match"]["status"] == "confirmed"


def test_a_citing_works_new_title_shows_once_the_page_expires_within_a_minute(client, press, society, cited, memory_cache,
                                                                             committed, monkeypatch):
    """The decision (citations.work_json): a citing work's metadata does not forget the pages of
    the works it cites; they live 60 s."""
    import time
    from types import SimpleNamespace

    from citations.work_json import CITED_BY_PAGE_SECONDS
    from deposits.models import Work
    from django.core.cache.backends import locmem

    front = FrontClient(client)
    made = _key(committed, press[0])
    committed(front.get, CITED_BY, headers=_bearer(made))
    citing = Work.objects.get(doi="10.6666/citing.0")
    citing.title = "A retitled citing work"
    committed(citing.save)
    still = front.get(CITED_BY, headers=_bearer(made))
    assert still.via_front and b"A retitled citing work" not in still.content
    assert CITED_BY_PAGE_SECONDS <= 60
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: time.time() + CITED_BY_PAGE_SECONDS + 1))
    later = front.get(CITED_BY, headers=_bearer(made))
    assert not later.via_front and b"A retitled citing work" in later.content


def test_on_redis_an_owners_key_page_is_djangos_own(client, press, cited, redis_cache, committed):
    front = FrontClient(client)
    made = _key(committed, press[0])
    committed(front.get, CITED_BY, headers=_bearer(made))
    _same_as_djangos(client, front, CITED_BY, **_bearer(made))
    committed(api_key_revoke, key=made.key)
    refused = front.get(CITED_BY, headers=_bearer(made))
    assert not refused.via_front and refused.status_code == 401


def test_on_redis_any_key_is_kept_and_read_without_memcached_s_rules(redis_cache):
    import warnings

    from django.core.cache import cache

    # Memcached would refuse both (a space, control characters, over 250 characters); Redis keeps them.
    keys = ["a key with spaces\tand a tab", "10.5555/" + "x" * 300]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's base class warns (CacheKeyWarning) of each
        cache.set_many({key: n for n, key in enumerate(keys)})
        assert cache.get_many(keys) == {keys[0]: 0, keys[1]: 1}
        cache.delete_many(keys)
    assert cache.get_many(keys) == {}
