"""The whole path on real parts: sign in, upload, a real Celery worker, citation shown to the owner only."""
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from deposits.models import Deposit, Work
from tests.builders import PASSWORD, member_with_admin
from tests.conftest import wait_for
from tests.xmlbuild import journal_article_deposit

CITING = {
    "doi": "10.6666/citing.1",
    "title": "Late links in citation graphs",
    "authors": [("Ana", "Citer"), ("Bo", "Second")],
    "year": 2024,
    "references": [
        {"key": "r1", "doi": "10.5555/CITED.1"},
        {"key": "r2", "unstructured": "Nobody, N. (2001). Unregistered. Nowhere 1, 1."},
    ],
}
CITED = {"doi": "10.5555/cited.1", "title": "The cited article", "authors": [("Cy", "Cited")], "year": 2020}


def upload(client, member, filename: str, content: bytes) -> Deposit:
    response = client.post(reverse("deposits:list", args=[member.pk]), {"file": SimpleUploadedFile(filename, content, "text/xml")})
    assert response.status_code == 302, response.content.decode()[:2000]
    deposit = Deposit.objects.filter(member=member).latest("pk")
    assert response.url == reverse("deposits:detail", args=[deposit.pk])
    return deposit


def finished(deposit: Deposit) -> Deposit:
    wait_for(lambda: Deposit.objects.get(pk=deposit.pk).is_final, what=f"deposit {deposit.pk} to finish")
    return Deposit.objects.get(pk=deposit.pk)


def test_sign_in_with_email_and_password_lands_on_the_members_page(client, press):
    member, admin = press
    response = client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("citations:dashboard", args=[member.pk])
    body = response.content.decode()
    assert "Cited Press" in body and "10.5555" in body


def test_upload_worker_citation_visible_to_owner_only_in_either_order(client, celery_worker):
    press, press_admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    society, society_admin = member_with_admin("Citing Society", "10.6666", "admin@citing-society.example")

    # The citing work arrives first, with a DOI outside the society's prefixes in the same batch.
    client.force_login(society_admin)
    stray = {"doi": "10.5555/not-ours", "title": "Wrong prefix"}
    deposit = finished(upload(client, society, "citing.xml", journal_article_deposit([CITING, stray], journal_title="Citing Letters")))
    assert (deposit.status, deposit.success_count, deposit.failure_count) == ("completed", 1, 1)
    log = client.get(reverse("deposits:detail", args=[deposit.pk])).content.decode()
    assert "Successfully added" in log and "not under a prefix of Citing Society" in log
    # A finished deposit stops refreshing once its references are linked (until then it shows progress).
    wait_for(lambda: not Work.objects.filter(doi="10.6666/citing.1", match_pending=True).exists(), what="linking")
    log = client.get(reverse("deposits:detail", args=[deposit.pk])).content.decode()
    assert "hx-trigger" not in log and "References linked" in log

    # Then the cited work: the waiting reference becomes a citation.
    client.force_login(press_admin)
    finished(upload(client, press, "cited.xml", journal_article_deposit([CITED])))
    wait_for(lambda: Work.objects.get(doi="10.5555/cited.1").cited_by_count == 1, what="the citation")

    page = client.get(reverse("citations:cited_by", args=["10.5555/cited.1"]))
    body = page.content.decode()
    assert page.status_code == 200
    for shown in ["Late links in citation graphs", "Ana Citer", "Bo Second", "Citing Letters", "(2024)",
                  'href="https://doi.org/10.6666/citing.1"']:
        assert shown in body, shown

    client.force_login(society_admin)
    assert client.get(reverse("citations:cited_by", args=["10.5555/cited.1"])).status_code == 404
    public = client.get(reverse("citations:work", args=["10.5555/cited.1"])).content.decode()
    assert "Cited by 1" in public and "Late links" not in public


def test_deposit_page_fragment_refreshes_while_queued(client, press):
    member, admin = press
    client.force_login(admin)
    deposit = upload(client, member, "q.xml", journal_article_deposit([CITED]))  # no worker here: stays queued
    fragment = client.get(reverse("deposits:detail", args=[deposit.pk]), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="deposit-progress"')
    assert 'hx-trigger="every 2s"' in fragment and "Queued" in fragment
    assert "<html" not in fragment


def test_deposit_command_waits_for_the_worker_and_reports_each_record(celery_worker, tmp_path):
    press, _ = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    good = tmp_path / "good.xml"
    good.write_bytes(journal_article_deposit([CITED]))
    out = StringIO()
    call_command("deposit", str(good), member=press.pk, wait=True, stdout=out)
    assert "Success  10.5555/cited.1  Successfully added" in out.getvalue()
    assert "1 records, 1 succeeded" in out.getvalue()

    bad = tmp_path / "bad.xml"
    bad.write_bytes(journal_article_deposit([{"doi": "10.6666/elsewhere"}]))
    out = StringIO()
    with pytest.raises(CommandError, match="1 record\\(s\\) failed"):
        call_command("deposit", str(bad), member=press.pk, wait=True, stdout=out)
    assert "Failure  10.6666/elsewhere" in out.getvalue()


def test_deposit_history_refreshes_only_while_a_deposit_is_unfinished(client, press):
    member, admin = press
    client.force_login(admin)
    deposit = upload(client, member, "q.xml", journal_article_deposit([CITED]))  # no worker here: stays queued
    history = reverse("deposits:list", args=[member.pk])
    assert 'hx-select="#deposit-history"' in client.get(history).content.decode()
    Deposit.objects.filter(pk=deposit.pk).update(status=Deposit.Status.COMPLETED)
    assert 'hx-select="#deposit-history"' not in client.get(history).content.decode()
