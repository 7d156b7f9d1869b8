"""portal.machine_paths: the machine read paths skip the middleware of people's pages, and answer
with the same status, body and headers as through the full stack."""
from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from members.services import api_key_create
from portal.machine_paths import URLCONF, takes_short_stack
from tests.citations.widget_builders import SITE, cite, widget_key, work

pytestmark = pytest.mark.django_db
# The full stack is taken by any request with a cookie; one no middleware reads changes nothing else.
UNREAD_COOKIE = {"HTTP_COOKIE": "unrelated=1"}


@pytest.fixture
def cited(press, society):
    article = work(press[0], "10.5555/cited.1", "The cited article")
    cite(work(society[0], "10.6666/citing.1", "A citing work"), article)
    return article


@pytest.mark.parametrize(("method", "path", "cookie", "short"), [
    ("GET", "/widget/v1/data/10.5555/x", False, True),
    ("GET", "/works/10.5555/x", False, True),
    ("GET", "/api/v1/works/10.5555/x/cited-by", False, False),  # no key: a session's, maybe
    ("GET", "/works/10.5555/x/", False, False),  # maybe an old page address: browsers are redirected
    ("GET", "/works/10.5555/x", True, False),  # maybe a signed-in user
    ("POST", "/works/10.5555/x", False, False),
    ("GET", "/widget/v1/embed/10.5555/x", False, False),  # an HTML page
    ("GET", "/doi/10.5555/x", False, False),
])
def test_only_cookieless_reads_of_the_machine_paths_take_the_short_stack(method, path, cookie, short):
    request = RequestFactory().generic(method, path, **(UNREAD_COOKIE if cookie else {}))
    assert takes_short_stack(request) is short


@pytest.mark.parametrize("path", ["/api/v1/works/10.5555/x/cited-by", "/api/v1/prefixes/10.5555/cited-by"])
def test_cited_by_takes_the_short_stack_with_a_key_only(path):
    assert takes_short_stack(RequestFactory().get(path, HTTP_AUTHORIZATION="Bearer cbp_x.y"))
    assert not takes_short_stack(RequestFactory().get(path))


def _same_answer(client, path: str, **headers) -> None:
    short = client.get(path, **headers)
    full = client.get(path, **headers, **UNREAD_COOKIE)
    assert short.status_code == full.status_code
    assert short.content == full.content
    assert sorted(short.items()) == sorted(full.items())
    assert not hasattr(short.wsgi_request, "session")  # the short stack really was taken
    assert hasattr(full.wsgi_request, "session")


def test_the_widgets_answers_are_those_of_the_full_stack(client, press, cited):
    key = widget_key(press[0])
    path = f"/widget/v1/data/{cited.doi}?key={key.key}"
    _same_answer(client, path, HTTP_ORIGIN=SITE)
    etag = client.get(path, HTTP_ORIGIN=SITE)["ETag"]
    _same_answer(client, path, HTTP_ORIGIN=SITE, HTTP_IF_NONE_MATCH=etag)  # 304
    _same_answer(client, path, HTTP_ORIGIN="https://elsewhere.example")  # 403
    _same_answer(client, f"/widget/v1/data/10.5555/none?key={key.key}", HTTP_ORIGIN=SITE)  # 404


def test_the_works_api_answers_are_those_of_the_full_stack(client, cited):
    _same_answer(client, "/works/10.5555/cited.1")
    _same_answer(client, "/works/10.5555/never.registered")


def test_the_cited_by_api_answers_are_those_of_the_full_stack(client, press, cited):
    token = api_key_create(member=press[0], name="platform", scopes=["retrieve"], created_by=None).token
    _same_answer(client, "/api/v1/works/10.5555/cited.1/cited-by", HTTP_AUTHORIZATION=f"Bearer {token}")
    _same_answer(client, "/api/v1/works/10.5555/cited.1/cited-by", HTTP_AUTHORIZATION="Bearer cbp_nope.nope")
    _same_answer(client, "/api/v1/prefixes/10.5555/cited-by", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_security_headers_are_sent_on_the_short_stack(client, cited):
    answer = client.get("/works/10.5555/cited.1")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in answer["Content-Security-Policy"]


@pytest.mark.parametrize("path", [
    "/works/10.5555/x", "/works/10.5555/X.Y", "/works/10.5555/x/", "/works/10.5555/x/cited-by", "/works/10.5555/../x",
    "/works/https://doi.org/10.5555/x", "/works/https:/doi.org/10.5555/x", "/works/10.5555/api/v1/works/y/cited-by",
    "/api/v1/works/10.5555/x/cited-by", "/api/v1/works/10.5555/x/cited-by/cited-by", "/api/v1/works/10.5555/../x/cited-by",
    "/api/v1/prefixes/10.5555/cited-by", "/api/v1/prefixes/not-a-prefix/cited-by",
    "/widget/v1/data/10.5555/x", "/widget/v1/data/10.5555/x/cited-by", "/widget/v1/data/10.5555/works/y",
])
def test_the_machine_urlconf_routes_as_the_root_urlconf_does(path):
    ours, roots = resolve(path, urlconf=URLCONF), resolve(path)
    assert (ours.func, ours.args, ours.kwargs, ours.url_name, ours.namespaces, ours.route) == (
        roots.func, roots.args, roots.kwargs, roots.url_name, roots.namespaces, roots.route)


@pytest.mark.parametrize("path", ["/widget/v1/data/10.5555", "/widget/v1/data/not-a-doi"])
def test_a_machine_path_without_a_route_is_a_404(client, path):
    assert takes_short_stack(RequestFactory().get(path))
    for urlconf in (URLCONF, None):
        with pytest.raises(Resolver404):
            resolve(path, urlconf=urlconf)
    assert client.get(path).status_code == 404
