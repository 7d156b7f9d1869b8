"""The members-only cited-by JSON API: who may read it (owner, its keys with `retrieve`, its
agents), what each link says, dates, cursor paging, and queries that do not grow with a page."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import AgentGrant, APIKey
from members.services import agent_grant, agent_revoke, api_key_create, api_key_revoke
from tests.builders import member_with_admin, user_in
from tests.citations.cited_by_builders import link, work

pytestmark = pytest.mark.django_db
UTC = datetime.timezone.utc


@pytest.fixture
def cited(press, society):
    """10.5555/target (the press's) cited by two society articles, found on different days."""
    target = work(press[0], "10.5555/target")
    first = work(society[0], "10.6666/first", title="The first citer", container_title="Journal of Citing", volume="4",
                 publication_year=2025, contributors=[{"given_name": "Ana", "surname": "Silva", "sequence": "first"}])
    second = work(society[0], "10.6666/second", title="The second citer")
    link(target, first, key="ref7", created=datetime.datetime(2026, 10, 1, 12, tzinfo=UTC))
    link(target, second, created=datetime.datetime(2026, 11, 1, 12, tzinfo=UTC), method="structured", score=0.93)
    return target


def bearer(member, scopes, *, revoked=False):
    created = api_key_create(member=member, name="platform", scopes=scopes, created_by=None)
    if revoked:
        api_key_revoke(key=created.key)
    return {"HTTP_AUTHORIZATION": f"Bearer {created.token}"}


def test_owner_session_reads_the_citing_works_with_details_method_and_when_found(client, press, cited):
    client.force_login(press[1])
    answer = client.get("/api/v1/works/10.5555/target/cited-by")
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["citing_doi"] for r in results] == ["10.6666/second", "10.6666/first"]
    first = results[1]
    assert first["cited_doi"] == "10.5555/target"
    assert first["citing_work"]["title"] == ["The first citer"]
    assert first["citing_work"]["container-title"] == ["Journal of Citing"]
    assert first["citing_work"]["author"][0]["family"] == "Silva"
    assert first["reference_key"] == "ref7"
    assert first["match"] == {"method": "publisher-doi", "score": None, "status": "linked"}
    assert first["found"].startswith("2026-10-01T12:00:00")
    assert results[0]["match"] == {"method": "structured", "score": 0.93, "status": "linked"}


def test_owner_key_with_retrieve_reads_by_doi_and_by_prefix(client, press, cited):
    headers = bearer(press[0], [APIKey.Scope.RETRIEVE])
    by_doi = client.get("/api/v1/works/https://doi.org/10.5555/TARGET/cited-by", **headers)
    by_prefix = client.get("/api/v1/prefixes/10.5555/cited-by", **headers)
    assert by_doi.status_code == by_prefix.status_code == 200
    assert len(by_doi.json()["results"]) == len(by_prefix.json()["results"]) == 2


def test_from_and_until_limit_the_links_by_the_day_they_were_found(client, press, cited):
    client.force_login(press[1])
    october = client.get("/api/v1/works/10.5555/target/cited-by", {"from": "2026-10-01", "until": "2026-10-01"})
    november = client.get("/api/v1/prefixes/10.5555/cited-by", {"from": "2026-10-02"})
    assert [r["citing_doi"] for r in october.json()["results"]] == ["10.6666/first"]
    assert [r["citing_doi"] for r in november.json()["results"]] == ["10.6666/second"]


def test_a_bad_date_is_a_json_error_naming_the_parameter(client, press, cited):
    client.force_login(press[1])
    answer = client.get("/api/v1/works/10.5555/target/cited-by", {"from": "yesterday"})
    assert answer.status_code == 400
    assert answer.json()["reason"] == "invalid" and "yesterday" in answer.json()["fields"]["from"][0]


def test_unknown_doi_and_prefix_are_json_404s(client, press):
    client.force_login(press[1])
    for url in ("/api/v1/works/10.5555/nothing/cited-by", "/api/v1/prefixes/10.9999/cited-by"):
        answer = client.get(url)
        assert answer.status_code == 404 and answer.json()["reason"] == "not_found"


def test_cursor_paging_walks_every_link_once(client, press, society):
    target = work(press[0], "10.5555/many")
    start = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(7):
        link(target, work(society[0], f"10.6666/c{n}"), created=start + datetime.timedelta(days=n % 3))  # ties on purpose
    client.force_login(press[1])
    seen, url = [], "/api/v1/works/10.5555/many/cited-by?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [r["citing_doi"] for r in page["results"]]
        url = page["next"]
    assert sorted(seen) == [f"10.6666/c{n}" for n in range(7)]


def test_queries_per_page_do_not_grow_with_the_page_size(client, press, society, django_assert_max_num_queries):
    target = work(press[0], "10.5555/popular")
    for n in range(40):
        link(target, work(society[0], f"10.6666/p{n}"))
    headers = bearer(press[0], [APIKey.Scope.RETRIEVE])
    client.get("/api/v1/prefixes/10.5555/cited-by?page_size=1", **headers)  # a key's first use records it (once a minute)
    counts = {}
    for size in (2, 40):
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(f"/api/v1/prefixes/10.5555/cited-by?page_size={size}", **headers).json()["results"]) == size
        counts[size] = len(queries)
    assert counts[2] == counts[40]
    with django_assert_max_num_queries(counts[2]):
        client.get("/api/v1/works/10.5555/popular/cited-by?page_size=40", **headers)


# --- Owner only, proven ------------------------------------------------------------------------

def test_another_members_user_cannot_read_the_list_by_doi_or_by_prefix(client, society, cited):
    client.force_login(society[1])
    for url in ("/api/v1/works/10.5555/target/cited-by", "/api/v1/prefixes/10.5555/cited-by"):
        answer = client.get(url)
        assert answer.status_code == 403
        assert answer.json()["reason"] == "not_owner"
        assert "10.6666" not in answer.content.decode()


def test_another_members_key_cannot_read_the_list(client, society, cited):
    headers = bearer(society[0], [APIKey.Scope.RETRIEVE, APIKey.Scope.DEPOSIT])
    for url in ("/api/v1/works/10.5555/target/cited-by", "/api/v1/prefixes/10.5555/cited-by"):
        assert client.get(url, **headers).json()["reason"] == "not_owner"


def test_the_owners_revoked_key_is_refused(client, press, cited):
    answer = client.get("/api/v1/works/10.5555/target/cited-by", **bearer(press[0], [APIKey.Scope.RETRIEVE], revoked=True))
    assert answer.status_code == 401 and answer.json()["reason"] == "revoked_key"


def test_the_owners_key_without_retrieve_is_refused(client, press, cited):
    answer = client.get("/api/v1/prefixes/10.5555/cited-by", **bearer(press[0], [APIKey.Scope.DEPOSIT]))
    assert answer.status_code == 403 and answer.json()["reason"] == "missing_scope"


def test_nobody_signed_in_is_refused(client, cited):
    answer = client.get("/api/v1/works/10.5555/target/cited-by")
    assert answer.status_code in (401, 403) and "results" not in answer.json()


# --- Agents --------------------------------------------------------------------------------------

@pytest.fixture
def platform(db):
    return member_with_admin("Hosting Platform", "10.7777", "admin@platform.example")


def test_an_agent_with_retrieve_reads_its_principals_list_by_user_and_by_key(client, press, platform, cited):
    agent_grant(principal=press[0], agent=platform[0], scopes=[AgentGrant.Scope.RETRIEVE], granted_by=press[1])
    client.force_login(user_in(platform[0], "editor@platform.example"))
    assert len(client.get("/api/v1/prefixes/10.5555/cited-by").json()["results"]) == 2
    client.logout()
    answer = client.get("/api/v1/works/10.5555/target/cited-by", **bearer(platform[0], [APIKey.Scope.RETRIEVE]))
    assert len(answer.json()["results"]) == 2


def test_an_agent_for_depositing_only_cannot_read_the_list(client, press, platform, cited):
    agent_grant(principal=press[0], agent=platform[0], scopes=[AgentGrant.Scope.DEPOSIT], granted_by=press[1])
    answer = client.get("/api/v1/works/10.5555/target/cited-by", **bearer(platform[0], [APIKey.Scope.RETRIEVE]))
    assert answer.status_code == 403 and answer.json()["reason"] == "not_owner"


def test_an_agents_key_still_needs_retrieve_itself(client, press, platform, cited):
    agent_grant(principal=press[0], agent=platform[0], scopes=[AgentGrant.Scope.RETRIEVE], granted_by=press[1])
    answer = client.get("/api/v1/works/10.5555/target/cited-by", **bearer(platform[0], [APIKey.Scope.DEPOSIT]))
    assert answer.status_code == 403 and answer.json()["reason"] == "missing_scope"


def test_revoking_an_agent_takes_effect_at_the_next_request(client, press, platform, cited):
    grant = agent_grant(principal=press[0], agent=platform[0], scopes=[AgentGrant.Scope.RETRIEVE], granted_by=press[1])
    headers = bearer(platform[0], [APIKey.Scope.RETRIEVE])
    assert client.get("/api/v1/prefixes/10.5555/cited-by", **headers).status_code == 200
    agent_revoke(grant=grant)
    assert client.get("/api/v1/prefixes/10.5555/cited-by", **headers).status_code == 403


def test_an_agent_of_one_member_cannot_read_another_members_list(client, press, society, platform, cited):
    agent_grant(principal=society[0], agent=platform[0], scopes=[AgentGrant.Scope.RETRIEVE], granted_by=society[1])
    answer = client.get("/api/v1/prefixes/10.5555/cited-by", **bearer(platform[0], [APIKey.Scope.RETRIEVE]))
    assert answer.status_code == 403


# --- Bad input and other renderers ---------------------------------------------------------------

# Not base64; base64 of nothing; "p=notadate" (the 500: a ValidationError from the query); "o=notanumber"; "r=x".
@pytest.mark.parametrize("cursor", ["not-a-cursor", "%%%", "cD1ub3RhZGF0ZQ==", "bz1ub3RhbnVtYmVy", "cj14"])
def test_a_malformed_cursor_is_a_json_error_naming_the_parameter(client, press, cited, cursor):
    headers = bearer(press[0], [APIKey.Scope.RETRIEVE])
    for url in ("/api/v1/works/10.5555/target/cited-by", "/api/v1/prefixes/10.5555/cited-by"):
        answer = client.get(url, {"cursor": cursor}, **headers)
        assert answer.status_code == 400, answer.content
        assert answer.json()["reason"] == "invalid"
        assert "cursor" in answer.json()["fields"]


def test_a_key_asking_for_html_is_answered_in_json(client, press, cited):
    """A key is a program's credential: the browsable API (a page for signed-in people) once
    failed with a 500 on the key's stand-in user."""
    headers = bearer(press[0], [APIKey.Scope.RETRIEVE])
    for url in ("/api/v1/works/10.5555/target/cited-by", "/api/v1/prefixes/10.5555/cited-by?format=api"):
        for accept in ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"):
            answer = client.get(url, HTTP_ACCEPT=accept, **headers)
            assert answer.status_code == 200, answer.content[:2000]
            assert answer["Content-Type"] == "application/json"
            assert [r["citing_doi"] for r in answer.json()["results"]] == ["10.6666/second", "10.6666/first"]


def test_a_signed_in_user_asking_for_html_gets_the_browsable_api(client, press, cited):
    client.force_login(press[1])
    answer = client.get("/api/v1/works/10.5555/target/cited-by", HTTP_ACCEPT="text/html")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/html")
    assert b"10.6666/first" in answer.content
