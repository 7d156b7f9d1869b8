"""Any valid DOI has pages that route to it, and a 404 never tells a member's things exist."""
import re

import pytest
from django.urls import reverse

from citations.links import work_url
from citations.services import match_works
from deposits.models import Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db

TRICKY = ["10.5555/x", "10.5555/x/cited-by", "10.5555/../../etc/passwd", "10.5555/a..b", "10.5555/q?a=1#frag", "10.5555/100%"]


@pytest.fixture
def tricky_works(press, society):
    articles = [{"doi": doi, "title": f"Title of {doi}"} for doi in TRICKY]
    deposit = deposit_create_from_bytes(member=press[0], content=journal_article_deposit(articles), filename="t.xml")
    deposit_process(deposit_id=deposit.pk)
    assert Work.objects.filter(doi__in=TRICKY).count() == len(TRICKY), list(deposit.results.values_list("message", flat=True))
    citing = [{"doi": "10.6666/c", "title": "Citing", "references": [{"key": f"r{i}", "doi": doi} for i, doi in enumerate(TRICKY)]}]
    deposit = deposit_create_from_bytes(member=society[0], content=journal_article_deposit(citing), filename="c.xml")
    deposit_process(deposit_id=deposit.pk)
    match_works(work_ids=Work.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("doi", TRICKY)
def test_every_valid_doi_routes_to_its_own_pages(client, press, tricky_works, doi):
    public = client.get(work_url(doi))
    assert public.status_code == 200 and f"Title of {doi}" in public.content.decode()
    client.force_login(press[1])
    cited_by = client.get(work_url(doi, page="cited_by"))
    assert cited_by.status_code == 200
    body = cited_by.content.decode()
    assert f"Title of {doi}" in body.replace("&amp;", "&").replace("&#x27;", "'") or doi in body


# What Chromium and Firefox send for a page; /works/<doi> is Crossref's JSON for anything else.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def test_old_work_urls_redirect_browsers_to_the_right_page(client, press, tricky_works):
    def old(url):
        response = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)
        assert response.status_code == 301
        return response.url

    assert old("/works/10.5555/x/") == work_url("10.5555/x")
    assert old("/works/10.5555/x/cited-by/") == work_url("10.5555/x/cited-by")  # a work of its own
    assert old("/works/10.5555/a..b/cited-by/") == work_url("10.5555/a..b", page="cited_by")


def test_a_url_that_is_no_doi_is_not_found(client, db):
    assert client.get("/doi/not-a-doi").status_code == 404
    assert client.get("/doi/10.12/x").status_code == 404


@pytest.mark.parametrize("debug", [False, True])
def test_member_pages_404_the_same_whether_the_thing_exists_or_not(client, press, society, settings, debug, tricky_works):
    settings.DEBUG = debug
    client.force_login(society[1])
    other_member, missing_member = reverse("citations:dashboard", args=[press[0].pk]), reverse("citations:dashboard", args=[99999])
    pages = [
        (other_member, missing_member),
        (reverse("deposits:list", args=[press[0].pk]), reverse("deposits:list", args=[99999])),
        (reverse("deposits:detail", args=[press[0].deposits.first().pk]), reverse("deposits:detail", args=[99999])),
        (work_url("10.5555/x", page="cited_by"), work_url("10.5555/nothing-here", page="cited_by")),
    ]
    for existing, missing in pages:
        seen, unseen = client.get(existing), client.get(missing)
        assert seen.status_code == unseen.status_code == 404
        assert _comparable(seen, existing) == _comparable(unseen, missing)


def _comparable(response, url: str) -> str:
    """The page without what differs by nature: the URL asked for and the per-render CSRF mask."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return body.replace(url, "URL").replace(url.lstrip("/"), "URL")
