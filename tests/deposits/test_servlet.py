"""Crossref's servlet: POST /servlet/deposit and /servlet/submissionDownload answer as Crossref
does, for passwords and API keys, say why they refuse, and show a member only its own work."""
import html

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from deposits.models import Deposit
from deposits.services import deposit_process
from members import login_throttle
from members.models import APIKey, Role
from members.services import api_key_create, api_key_revoke
from tests.builders import PASSWORD, user_in
from tests.deposits.test_uploads import HugeMultipartBody, post_body
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db

DEPOSIT_URL = "/servlet/deposit"
LOG_URL = "/servlet/submissionDownload"


def deposit_xml(doi="10.5555/servlet.1", batch="batch-servlet-1", **kwargs) -> bytes:
    return journal_article_deposit(
        [{"doi": doi, "title": "Sent by a platform", "year": 2024, "references": [{"key": "r1", "unstructured": "A. B. 2001."}]}],
        doi_batch_id=batch, **kwargs,
    )


def post_deposit(client, login_id, password, *, content=None, operation="doMDUpload", name="batch.xml", **extra):
    data = {"operation": operation, "login_id": login_id, "login_passwd": password,
            "fname": SimpleUploadedFile(name, content if content is not None else deposit_xml(), "text/xml")}
    data.update(extra)
    return client.post(DEPOSIT_URL, {k: v for k, v in data.items() if v is not None})


def test_deposit_with_password_is_queued_and_acknowledged_like_crossref(client, press):
    member, admin = press
    response = post_deposit(client, admin.email, PASSWORD)
    assert response.status_code == 200
    assert b"<h2>SUCCESS</h2>" in response.content and b"successfully received" in response.content
    deposit = Deposit.objects.get()
    assert (deposit.member, deposit.uploaded_by, deposit.status, deposit.doi_batch_id) == (member, admin, "queued", "batch-servlet-1")
    assert deposit.operation == "doMDUpload"


def test_reference_only_operation_is_passed_through(client, press):
    _, admin = press
    assert post_deposit(client, admin.email, PASSWORD, operation="doDOICitUpload").status_code == 200
    assert Deposit.objects.get().operation == "doDOICitUpload"


def test_deposit_with_api_key_records_the_key(client, press):
    member, admin = press
    new = api_key_create(member=member, name="OJS", scopes=["deposit"], created_by=admin)
    response = post_deposit(client, new.key.key_id, new.token)
    assert response.status_code == 200, response.content
    deposit = Deposit.objects.get()
    assert (deposit.member, deposit.uploaded_by, deposit.api_key) == (member, None, new.key)
    new.key.refresh_from_db()
    assert new.key.last_used is not None


@pytest.mark.parametrize("drop", ["operation", "login_id", "login_passwd", "fname"])
def test_missing_field_is_a_400_naming_it(client, press, drop):
    _, admin = press
    data = {"operation": "doMDUpload", "login_id": admin.email, "login_passwd": PASSWORD,
            "fname": SimpleUploadedFile("batch.xml", deposit_xml(), "text/xml")}
    del data[drop]
    response = client.post(DEPOSIT_URL, data)
    assert response.status_code == 400
    assert drop in response.content.decode()
    assert not Deposit.objects.exists()


def test_unknown_operation_is_a_400(client, press):
    _, admin = press
    response = post_deposit(client, admin.email, PASSWORD, operation="doQuery")
    assert response.status_code == 400 and "doQuery" in response.content.decode()


def test_wrong_password_is_401_unknown_credentials(client, press):
    _, admin = press
    response = post_deposit(client, admin.email, "wrong")
    assert response.status_code == 401
    assert response["X-Refusal-Reason"] == "unknown_credentials"
    assert "Unknown credentials" in response.content.decode()
    assert not Deposit.objects.exists()


def test_unknown_key_is_401_and_revoked_key_says_revoked(client, press):
    member, admin = press
    new = api_key_create(member=member, name="Old platform", scopes=["deposit"], created_by=admin)
    bad = post_deposit(client, new.key.key_id, new.token[:-2] + "xx")
    assert (bad.status_code, bad["X-Refusal-Reason"]) == (401, "unknown_credentials")
    api_key_revoke(key=new.key)
    revoked = post_deposit(client, new.key.key_id, new.token)
    assert (revoked.status_code, revoked["X-Refusal-Reason"]) == (401, "revoked_key")
    assert "revoked" in revoked.content.decode() and "Old platform" in revoked.content.decode()


def test_key_without_deposit_scope_is_403_missing_scope(client, press):
    member, admin = press
    new = api_key_create(member=member, name="Cited-by reader", scopes=["retrieve"], created_by=admin)
    response = post_deposit(client, new.key.key_id, new.token)
    assert (response.status_code, response["X-Refusal-Reason"]) == (403, "missing_scope")
    assert "deposit" in response.content.decode()


def test_editor_password_may_not_deposit(client, press):
    member, _ = press
    editor = user_in(member, "editor@cited-press.example", Role.EDITOR)
    response = post_deposit(client, editor.email, PASSWORD)
    assert (response.status_code, response["X-Refusal-Reason"]) == (403, "missing_scope")
    assert "editor" in response.content.decode()


def test_user_of_several_members_must_name_one(client, press, society):
    member, admin = press
    other, _ = society
    user_in(other, admin.email, Role.DEPOSITOR)
    ambiguous = post_deposit(client, admin.email, PASSWORD)
    assert (ambiguous.status_code, ambiguous["X-Refusal-Reason"]) == (403, "member_ambiguous")
    assert f"{admin.email}/<member id>" in html.unescape(ambiguous.content.decode())
    named = post_deposit(client, f"{admin.email}/{other.pk}", PASSWORD)
    assert named.status_code == 200
    assert Deposit.objects.get().member == other


def test_naming_a_member_one_does_not_belong_to_is_refused(client, press, society):
    _, admin = press
    other, _ = society
    response = post_deposit(client, f"{admin.email}/{other.pk}", PASSWORD)
    assert (response.status_code, response["X-Refusal-Reason"]) == (403, "not_a_member")


def test_user_of_no_member_is_refused(client, django_user_model):
    django_user_model.objects.create_user(email="loner@example.org", password=PASSWORD)
    response = post_deposit(client, "loner@example.org", PASSWORD)
    assert (response.status_code, response["X-Refusal-Reason"]) == (403, "not_a_member")


def test_repeated_failures_are_throttled_with_retry_after(client, press):
    _, admin = press
    for _ in range(login_throttle.FREE_FAILURES["pair"] + 1):
        post_deposit(client, admin.email, "wrong")
    response = post_deposit(client, admin.email, PASSWORD)  # even the right password waits
    assert (response.status_code, response["X-Refusal-Reason"]) == (429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert not Deposit.objects.exists()


def test_repeated_bad_keys_are_throttled(client, press):
    member, admin = press
    new = api_key_create(member=member, name="k", scopes=["deposit"], created_by=admin)
    for _ in range(login_throttle.FREE_FAILURES["pair"] + 1):
        post_deposit(client, new.key.key_id, new.token[:-3] + "bad")
    response = post_deposit(client, new.key.key_id, new.token)
    assert (response.status_code, response["X-Refusal-Reason"]) == (429, "throttled")


def test_file_over_ten_megabytes_is_413_cut_unread(client, press, settings):
    body = HugeMultipartBody(200 * 1024 * 1024)
    response = post_body(client, DEPOSIT_URL, body, content_length=body.size)
    assert response.status_code == 413
    assert body.read_bytes < 1024 * 1024
    assert not Deposit.objects.exists()


def test_file_over_the_limit_without_content_length_is_413(client, press, settings):
    settings.DEPOSIT_MAX_BYTES = 1000
    body = HugeMultipartBody(5_000_000)
    response = post_body(client, DEPOSIT_URL, body, content_length=None)
    assert response.status_code in (400, 413)  # no length: the cut comes mid-body
    assert body.read_bytes < 1_000_000
    assert not Deposit.objects.exists()


def test_get_is_not_allowed_on_deposit(client):
    assert client.get(DEPOSIT_URL).status_code == 405


def log_of(client, usr, pwd, **params):
    return client.get(LOG_URL, {"usr": usr, "pwd": pwd, "type": "result", **params})


def test_submission_download_reports_queued_then_completed_with_records(client, press):
    _, admin = press
    post_deposit(client, admin.email, PASSWORD, content=deposit_xml() )
    queued = etree.fromstring(log_of(client, admin.email, PASSWORD, doi_batch_id="batch-servlet-1").content)
    deposit = Deposit.objects.get()
    assert queued.get("status") == "queued"
    assert queued.findtext("submission_id") == str(deposit.pk)
    deposit_process(deposit_id=deposit.pk)
    response = log_of(client, admin.email, PASSWORD, doi_batch_id="batch-servlet-1")
    assert response["Content-Type"].startswith("application/xml")
    done = etree.fromstring(response.content)
    assert done.tag == "doi_batch_diagnostic" and done.get("status") == "completed"
    assert done.findtext("batch_id") == "batch-servlet-1"
    record = done.find("record_diagnostic")
    assert (record.get("status"), record.findtext("doi"), record.findtext("msg")) == ("Success", "10.5555/servlet.1", "Successfully added")
    counts = {child.tag: child.text for child in done.find("batch_data")}
    assert counts == {"record_count": "1", "success_count": "1", "warning_count": "0", "failure_count": "0"}


def test_failed_records_are_failures_in_the_log(client, press):
    _, admin = press
    post_deposit(client, admin.email, PASSWORD, content=deposit_xml(doi="10.9999/not.ours"))
    deposit_process(deposit_id=Deposit.objects.get().pk)
    done = etree.fromstring(log_of(client, admin.email, PASSWORD, file_name="batch.xml").content)
    record = done.find("record_diagnostic")
    assert record.get("status") == "Failure" and "not under a prefix" in record.findtext("msg")
    assert done.findtext("batch_data/failure_count") == "1"


def test_whole_file_failure_is_one_failure_diagnostic(client, press):
    _, admin = press
    post_deposit(client, admin.email, PASSWORD, content=b"<doi_batch><head>")
    deposit_process(deposit_id=Deposit.objects.get().pk)
    done = etree.fromstring(log_of(client, admin.email, PASSWORD, file_name="batch.xml").content)
    assert done.get("status") == "completed"
    assert done.find("record_diagnostic").get("status") == "Failure"
    assert "batch.xml" in done.findtext("record_diagnostic/msg")


def test_contents_returns_the_file_as_deposited(client, press):
    _, admin = press
    content = deposit_xml()
    post_deposit(client, admin.email, PASSWORD, content=content)
    response = client.post(LOG_URL, {"usr": admin.email, "pwd": PASSWORD, "doi_batch_id": "batch-servlet-1", "type": "contents"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content


def test_another_members_submission_is_not_found(client, press, society):
    _, admin = press
    _, other_admin = society
    post_deposit(client, admin.email, PASSWORD)
    for kind in ("result", "contents"):
        response = client.get(LOG_URL, {"usr": other_admin.email, "pwd": PASSWORD, "doi_batch_id": "batch-servlet-1", "type": kind})
        assert response.status_code == 404
        assert b"batch-servlet-1" not in b"".join(getattr(response, "streaming_content", [response.content])).replace(
            b"doi_batch_id batch-servlet-1", b"")


def test_another_members_key_cannot_read_the_log(client, press, society):
    _, admin = press
    other, other_admin = society
    post_deposit(client, admin.email, PASSWORD)
    new = api_key_create(member=other, name="theirs", scopes=["deposit"], created_by=other_admin)
    response = log_of(client, new.key.key_id, new.token, doi_batch_id="batch-servlet-1")
    assert response.status_code == 404


def test_submission_download_refusals(client, press):
    member, admin = press
    assert log_of(client, admin.email, "wrong", doi_batch_id="x").status_code == 401
    assert client.get(LOG_URL, {"usr": admin.email, "pwd": PASSWORD}).status_code == 400
    assert log_of(client, admin.email, PASSWORD, doi_batch_id="x", type="everything").status_code == 400
    reader = api_key_create(member=member, name="reader", scopes=["retrieve"], created_by=admin)
    response = log_of(client, reader.key.key_id, reader.token, doi_batch_id="x")
    assert (response.status_code, response["X-Refusal-Reason"]) == (403, "missing_scope")


def test_finished_deposit_emails_the_log_to_the_uploader(client, press, django_capture_on_commit_callbacks):
    _, admin = press
    post_deposit(client, admin.email, PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        deposit_process(deposit_id=Deposit.objects.get().pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [admin.email] and "Completed" in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/xml"
    assert etree.fromstring(content).findtext("batch_data/success_count") == "1"


def test_key_deposit_emails_the_keys_creator(client, press, django_capture_on_commit_callbacks):
    member, admin = press
    new = api_key_create(member=member, name="OJS", scopes=["deposit"], created_by=admin)
    post_deposit(client, new.key.key_id, new.token)
    with django_capture_on_commit_callbacks(execute=True):
        deposit_process(deposit_id=Deposit.objects.get().pk)
    assert [m.to for m in mail.outbox] == [[admin.email]]


def test_no_email_before_the_deposit_is_final(client, press, django_capture_on_commit_callbacks):
    _, admin = press
    with django_capture_on_commit_callbacks(execute=True):
        post_deposit(client, admin.email, PASSWORD)
    assert mail.outbox == []
    assert APIKey.objects.count() == 0


def test_fields_may_come_in_the_query_string(client, press):
    _, admin = press
    query = f"?operation=doMDUpload&login_id={admin.email}&login_passwd={PASSWORD}"
    response = client.post(DEPOSIT_URL + query, {"fname": SimpleUploadedFile("q.xml", deposit_xml(), "text/xml")})
    assert response.status_code == 200, response.content
    assert Deposit.objects.get().filename == "q.xml"


def test_deposit_page_links_the_log_which_only_the_member_reads(client, press, society):
    member, admin = press
    _, other_admin = society
    post_deposit(client, admin.email, PASSWORD)
    deposit = Deposit.objects.get()
    deposit_process(deposit_id=deposit.pk)
    client.force_login(admin)
    assert f'href="/deposits/{deposit.pk}/log.xml"'.encode() in client.get(f"/deposits/{deposit.pk}/").content
    response = client.get(f"/deposits/{deposit.pk}/log.xml")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert etree.fromstring(response.content).findtext("batch_data/success_count") == "1"
    client.force_login(other_admin)
    assert client.get(f"/deposits/{deposit.pk}/log.xml").status_code == 404
