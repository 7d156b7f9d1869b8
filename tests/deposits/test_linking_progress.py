"""The deposit page says when its works' references are still being linked, and what was linked."""
import pytest
from django.urls import reverse

from citations.services import match_works
from deposits.models import Deposit, Work
from deposits.selectors import deposit_linking
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.doi_citations_xml import doi_citations_deposit
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db


def process(member, content: bytes) -> Deposit:
    deposit = deposit_create_from_bytes(member=member, content=content, filename="batch.xml", operation=None)
    return deposit_process(deposit_id=deposit.pk)


def works_and_citing(member) -> Deposit:
    process(member, journal_article_deposit([{"doi": "10.5555/cited", "title": "Cited"}]))
    return process(member, journal_article_deposit([
        {"doi": "10.5555/citing.1", "references": [{"key": "a", "doi": "10.5555/cited"}, {"key": "b", "unstructured": "Nobody (1900)."}]},
        {"doi": "10.5555/citing.2", "references": [{"key": "a", "unstructured": "Nobody else (1901)."}]},
    ]))


def page(client, deposit: Deposit, **params) -> str:
    return client.get(reverse("deposits:detail", args=[deposit.pk]), params).content.decode()


def fragment(client, deposit: Deposit, since: str) -> str:
    url = reverse("deposits:detail", args=[deposit.pk])
    return client.get(url, {"since": since}, headers={"HX-Request": "true"}).content.decode()


def test_completed_deposit_says_linking_runs_and_keeps_refreshing(client, press):
    member, admin = press
    deposit = works_and_citing(member)
    assert deposit.status == "completed"
    client.force_login(admin)
    body = page(client, deposit)
    assert "Linking references…" in body and "0 of 3 checked" in body and "(0 of 2 works)" in body
    assert "Cited-by counts may still change" in body
    assert 'hx-trigger="every 2s"' in body and "since=final" in body
    assert "References linked" not in body

    # One of the two works matched: the figure moves with it.
    match_works(work_ids=[Work.objects.get(doi="10.5555/citing.2").pk])
    assert "1 of 3 checked" in page(client, deposit)


def test_after_linking_the_page_says_what_was_linked_and_stops_refreshing(client, press):
    member, admin = press
    deposit = works_and_citing(member)
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    client.force_login(admin)
    body = page(client, deposit)
    assert "References linked:" in body and "1 of the 3 references" in body and "cites a registered work (2 works checked)" in body
    assert "Linking references…" not in body and "hx-trigger" not in body
    progress = deposit_linking(deposit.pk)
    assert (progress.works, progress.works_pending, progress.references, progress.references_linked) == (2, 0, 3, 1)


def test_polls_after_completion_leave_the_results_in_place(client, press):
    member, admin = press
    deposit = works_and_citing(member)
    client.force_login(admin)
    # The page rendered while processing learns of the end once: results come out of band then...
    assert 'id="results" hx-swap-oob="true"' in fragment(client, deposit, "running")
    # ...and the page rendered after it, still polling for linking, keeps its results (and focus).
    later = fragment(client, deposit, "final")
    assert "hx-swap-oob" not in later and "Linking references…" in later


def test_reference_only_deposit_shows_linking_too(client, press):
    member, admin = press
    works_and_citing(member)
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    deposit = process(member, doi_citations_deposit({"10.5555/citing.2": [{"key": "z", "doi": "10.5555/cited"}]}))
    assert deposit.operation == "doDOICitUpload"
    client.force_login(admin)
    assert "0 of 1 checked" in page(client, deposit)
    match_works(work_ids=[Work.objects.get(doi="10.5555/citing.2").pk])
    assert "1 of the 1 reference cites a registered work (1 work checked)" in " ".join(page(client, deposit).split())
    assert Work.objects.get(doi="10.5555/cited").cited_by_count == 2


def test_failed_deposit_shows_no_linking(client, press):
    member, admin = press
    deposit = process(member, b"<doi_batch xmlns='http://www.crossref.org/schema/5.4.0'><head>")
    client.force_login(admin)
    body = page(client, deposit)
    assert deposit.status == "failed" and "Linking" not in body and "References linked" not in body



def test_deposit_history_marks_deposits_still_linking_and_refreshes_until_done(client, press):
    member, admin = press
    works_and_citing(member)
    client.force_login(admin)
    history = reverse("deposits:list", args=[member.pk])
    body = client.get(history).content.decode()
    assert body.count("linking references…") == 2 and 'hx-select="#deposit-history"' in body
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    body = client.get(history).content.decode()
    assert "linking references…" not in body and 'hx-select="#deposit-history"' not in body
