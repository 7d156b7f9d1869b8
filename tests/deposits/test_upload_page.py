"""The upload form checks a file before queueing it: structural problems are shown on the page with
their lines and nothing is queued; the same file deposited again is recognised and needs a choice."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deposits.models import Deposit
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db

GOOD = journal_article_deposit([{"doi": "10.5555/up.1", "title": "Uploaded"}])


def upload(client, member, content: bytes, name: str = "batch.xml", **fields):
    url = reverse("deposits:list", args=[member.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content, "text/xml"), **fields})


def test_a_broken_file_is_not_queued_and_its_problems_are_shown_inline_with_lines(client, press):
    member, admin = press
    client.force_login(admin)
    broken = GOOD.replace(b"<title>Uploaded</title>", b"<title>Uploaded</titel>")
    response = upload(client, member, broken, name="broken.xml")
    assert response.status_code == 400 and Deposit.objects.count() == 0
    body = response.content.decode()
    assert "broken.xml was not queued: 1 problem in its structure" in body
    assert "<strong>Line 2:</strong>" in body
    assert "the element &lt;title&gt; opened on line 2 is closed by &lt;/titel&gt;" in body
    assert "<details><summary>The XML parser’s own message</summary><code>Opening and ending tag mismatch" in body
    assert 'id="upload-problems" role="alert" tabindex="-1" data-focus-on-load' in body
    assert 'aria-describedby="id_file_helptext upload-problems" aria-invalid="true"' in body
    assert 'id="id_file_helptext"' in body


def test_a_file_with_unknown_records_is_not_queued(client, press):
    member, admin = press
    client.force_login(admin)
    response = upload(client, member, GOOD.replace(b"journal>", b"jornal>"))
    assert response.status_code == 400 and Deposit.objects.count() == 0
    assert "&lt;jornal&gt; is not a content type the portal registers" in response.content.decode()


def test_a_sound_file_is_queued(client, press):
    member, admin = press
    client.force_login(admin)
    response = upload(client, member, GOOD)
    deposit = Deposit.objects.get()
    assert response.status_code == 302 and response.url == reverse("deposits:detail", args=[deposit.pk])


def test_the_same_file_again_is_recognised_and_linked_and_not_queued_without_a_choice(client, press):
    member, admin = press
    client.force_login(admin)
    upload(client, member, GOOD, name="first.xml")
    earlier = Deposit.objects.get()
    response = upload(client, member, GOOD, name="again.xml")
    assert response.status_code == 409 and Deposit.objects.count() == 1
    body = response.content.decode()
    assert "again.xml was deposited before" in body
    assert f'<a href="{reverse("deposits:detail", args=[earlier.pk])}">first.xml</a>' in body
    assert f'name="again_of" value="{earlier.pk}"' in body and "Deposit it again anyway" in body


def test_depositing_the_same_file_again_is_a_deliberate_choice(client, press):
    member, admin = press
    client.force_login(admin)
    upload(client, member, GOOD, name="first.xml")
    earlier = Deposit.objects.get()
    # the button on the notice: the earlier stored copy is queued anew under the new name
    response = client.post(reverse("deposits:list", args=[member.pk]), {"again_of": earlier.pk, "filename": "again.xml"})
    again = Deposit.objects.exclude(pk=earlier.pk).get()
    assert response.status_code == 302 and (again.filename, again.sha256) == ("again.xml", earlier.sha256)
    with again.file.open("rb") as handle:
        assert handle.read() == GOOD
    # or choosing the file again with the box ticked
    assert upload(client, member, GOOD, name="third.xml", deposit_again="on").status_code == 302
    assert Deposit.objects.count() == 3


def test_another_members_deposit_cannot_be_deposited_again(client, press, society):
    member, admin = press
    other, other_admin = society
    client.force_login(other_admin)
    upload(client, other, GOOD.replace(b"10.5555", b"10.6666"))
    theirs = Deposit.objects.get()
    client.force_login(admin)
    response = client.post(reverse("deposits:list", args=[member.pk]), {"again_of": theirs.pk, "filename": "x.xml"})
    assert response.status_code == 400 and Deposit.objects.count() == 1
    body = response.content.decode()
    assert "no longer kept" in body and 'name="deposit_again"' in body
