"""The member's dashboard, participation report, charts and exports: what they show, that only
the member's users see them, and that pages cost no query per row."""
import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citations.models import Citation, UnmatchedReference
from deposits.models import Reference, Work
from tests.citations.cited_by_builders import link, work

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(press, society):
    """10.5555/target cited by two of the society's works (one this week, one last year), and by a flagged one."""
    target = work(press[0], "10.5555/target", title="The <i>target</i>", publication_year=2020, type="journal-article",
                  references_count=4, linked_references_count=1)
    work(press[0], "10.5555/lonely", title="Nobody cites me", publication_year=2019, type="book-chapter")
    recent = work(society[0], "10.6666/recent", title="Recent citer", container_title="Soc. J.", publication_year=2026,
                  contributors=[{"given_name": "Ada", "surname": "Lovelace", "role": "author"}])
    older = work(society[0], "10.6666/older", title="Older citer")
    link(target, recent, created=timezone.now() - datetime.timedelta(days=2))
    link(target, older, created=timezone.now() - datetime.timedelta(days=400))
    link(target, work(society[0], "10.6666/flagged"), status=Citation.Status.FLAGGED)
    Work.objects.filter(pk=target.pk).update(cited_by_count=2)
    unmatched = Reference.objects.create(citing_work=target, key="u", position=99, unstructured="Someone, 1901")
    UnmatchedReference.objects.create(reference=unmatched, reason="no-candidates")
    return target


def test_home_after_sign_in_is_the_dashboard_with_totals_newest_most_cited_and_chart(client, press, cited):
    client.force_login(press[1])
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/members/{press[0].pk}/"
    body = response.content.decode()
    assert "<dt>Citations received</dt><dd>2</dd>" in body
    assert "<dt>Citing works</dt><dd>2</dd>" in body and "<dt>Citing members</dt><dd>1</dd>" in body
    assert "<dt>Works with references deposited</dt><dd>1</dd>" in body
    newest = body.split('id="newest-heading"')[1].split('id="most-heading"')[0]
    assert "Recent citer" in newest and "https://doi.org/10.6666/recent" in newest and "Older citer" not in newest
    assert "<svg" in body and "<caption>Citations of Cited Press" in body
    assert "style=" not in body.split("<svg")[1].split("</svg>")[0]
    # The page's title names it, and nothing of the page body leaks into it.
    assert body.split("<title>")[1].split("</title>")[0].strip().startswith("Cited Press · Dashboard")
    assert body.count('id="export-heading"') == 1


def test_newest_window_widens_to_90_days_only_when_asked(client, press, cited):
    client.force_login(press[1])
    url = reverse("citations:dashboard", args=[press[0].pk])
    link(cited, work(press[0], "10.5555/mid", title="Mid citer"), created=timezone.now() - datetime.timedelta(days=60))
    assert "Mid citer" not in client.get(url).content.decode().split('id="most-heading"')[0]
    assert "Mid citer" in client.get(url + "?days=90").content.decode().split('id="most-heading"')[0]


def test_works_list_filters_by_cited_type_and_search_and_keeps_them_in_paging(client, press, cited):
    client.force_login(press[1])
    url = reverse("citations:dashboard", args=[press[0].pk])
    works = lambda query: client.get(url + query).content.decode().split('id="works-heading"')[1]  # noqa: E731
    assert "Nobody cites me" in works("?cited=uncited") and "10.5555/target" not in works("?cited=uncited")
    assert "Nobody cites me" in works("?type=book-chapter") and "10.5555/target" not in works("?type=book-chapter")
    assert "10.5555/target" in works("?q=TARGET") and "Nobody cites me" not in works("?q=target")
    assert "No works match these filters." in works("?year=1999")
    for i in range(60):
        work(press[0], f"10.5555/more{i:02}")
    paged = works("?sort=doi&cited=uncited")
    assert 'href="?page=2&amp;sort=doi&amp;cited=uncited' in paged


def test_cited_by_page_draws_the_works_chart_with_a_table(client, press, cited):
    client.force_login(press[1])
    body = client.get(reverse("citations:cited_by", args=[cited.doi])).content.decode()
    assert "<caption>Citations of this work per month</caption>" in body
    this_month = timezone.now().strftime("%b %Y")
    assert f'<th scope="row">{this_month}</th><td class="num">1</td>' in body


def test_participation_report_gives_shares_reasons_and_what_more_would_add(client, press, cited):
    client.force_login(press[1])
    body = client.get(reverse("citations:participation", args=[press[0].pk])).content.decode()
    assert "50% (1 of 2)" in body and "25% (1 of 4)" in body
    assert "No registered work resembles it" in body
    assert "would add about 1 citations" in body


def test_exports_stream_the_counted_citing_list_as_csv_and_json(client, press, cited):
    client.force_login(press[1])
    url = reverse("citations:export", args=[press[0].pk, "csv"])
    response = client.get(url)
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["citing_doi"] for row in rows] == ["10.6666/older", "10.6666/recent"]  # flagged one left out
    assert rows[1]["citing_authors"] == "Ada Lovelace" and rows[1]["citing_venue"] == "Soc. J."
    since = (timezone.now() - datetime.timedelta(days=30)).date().isoformat()
    response = client.get(reverse("citations:export", args=[press[0].pk, "json"]), {"since": since, "work": "10.5555/TARGET"})
    assert response.streaming
    data = json.loads(b"".join(response.streaming_content))
    assert [item["citing_doi"] for item in data] == ["10.6666/recent"]
    assert json.loads(b"".join(client.get(url.replace(".csv", ".json"), {"prefix": "10.5555"}).streaming_content))
    assert json.loads(b"".join(client.get(url.replace(".csv", ".json"), {"until": "2000-01-01"}).streaming_content)) == []


def test_dashboard_export_form_sends_empty_fields_as_no_filter(client, press, cited):
    """The form on the dashboard submits every field, blank ones too: blank means all."""
    client.force_login(press[1])
    assert 'id="export-since"' in client.get(reverse("citations:dashboard", args=[press[0].pk])).content.decode()
    response = client.get(reverse("citations:export", args=[press[0].pk, "json"]), {"prefix": "", "since": "", "until": ""})
    assert len(json.loads(b"".join(response.streaming_content))) == 2


def test_csv_export_keeps_a_title_that_looks_like_a_formula_as_text(client, press, society, cited):
    Work.objects.filter(doi="10.6666/recent").update(title='=HYPERLINK("http://evil.example")')
    client.force_login(press[1])
    response = client.get(reverse("citations:export", args=[press[0].pk, "csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1]["citing_title"] == "'=HYPERLINK(\"http://evil.example\")"
    json_response = client.get(reverse("citations:export", args=[press[0].pk, "json"]))
    assert json.loads(b"".join(json_response.streaming_content))[1]["citing_title"].startswith("=HYPERLINK")


def test_export_with_a_bad_date_says_which_and_how(client, press, cited):
    client.force_login(press[1])
    response = client.get(reverse("citations:export", args=[press[0].pk, "csv"]), {"until": "yesterday"})
    assert response.status_code == 400 and "“yesterday” in until is not a date" in response.content.decode()


def test_another_member_gets_404_for_dashboard_report_and_every_export(client, press, society, cited):
    client.force_login(society[1])
    member = press[0].pk
    for url in [
        reverse("citations:dashboard", args=[member]),
        reverse("citations:participation", args=[member]),
        reverse("citations:export", args=[member, "csv"]),
        reverse("citations:export", args=[member, "json"]) + "?work=10.5555/target",
        reverse("citations:export", args=[member, "csv"]) + "?prefix=10.5555",
    ]:
        assert client.get(url).status_code == 404, url
    # Its own exports do not reach the other member's works or prefixes either.
    own = reverse("citations:export", args=[society[0].pk, "csv"])
    assert client.get(own, {"work": "10.5555/target"}).status_code == 404
    assert client.get(own, {"prefix": "10.5555"}).status_code == 404


def test_old_member_url_name_still_lands_on_the_dashboard(client, press):
    client.force_login(press[1])
    response = client.get(reverse("deposits:member", args=[press[0].pk]) + "?sort=doi")
    assert response.status_code == 302 and response["Location"] == f"/members/{press[0].pk}/?sort=doi"


def test_dashboard_costs_the_same_queries_for_5_works_as_for_55(client, press, society, cited):
    client.force_login(press[1])
    url = reverse("citations:dashboard", args=[press[0].pk]) + "?days=90"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for i in range(3):
        link(cited, work(society[0], f"10.6666/a{i}", title=f"A{i}"))
    queries()  # the first visit counts and stores the member's figures; later ones read them
    few = queries()
    for i in range(50):
        cited_work = work(press[0], f"10.5555/m{i}", title=f"M{i}", cited_by_count=1)
        link(cited_work, work(society[0], f"10.6666/b{i}", title=f"B{i}"))
    assert queries() == few
