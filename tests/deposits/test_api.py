"""The JSON API of deposits: by API key (Bearer) or session, its member's deposits only, errors in
one JSON shape naming the reason, and an OpenAPI 3 schema generated from the code."""
from datetime import timedelta

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deposits.models import Deposit
from deposits.services import deposit_create_from_bytes, deposit_process
from members import login_throttle
from members.models import Role
from members.services import api_key_create, api_key_revoke
from tests.doi_citations_xml import doi_citations_deposit
from tests.builders import user_in
from tests.deposits.test_uploads import BOUNDARY, HugeMultipartBody
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db

URL = "/api/v1/deposits/"


def deposit_xml(doi="10.5555/api.1", batch="api-batch-1") -> bytes:
    return journal_article_deposit([{"doi": doi, "title": "Posted as JSON", "year": 2024}], doi_batch_id=batch)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def key(press):
    member, admin = press
    return api_key_create(member=member, name="platform", scopes=["deposit"], created_by=admin)


def upload(name="batch.xml", content=None):
    return SimpleUploadedFile(name, content if content is not None else deposit_xml(), "text/xml")


def test_post_with_a_key_queues_the_deposit(client, press, key):
    member, _ = press
    response = client.post(URL, {"file": upload()}, **bearer(key.token))
    assert response.status_code == 201, response.content
    body = response.json()
    deposit = Deposit.objects.get()
    assert (body["id"], body["status"], body["operation"], body["doi_batch_id"]) == (deposit.pk, "queued", "doMDUpload", "api-batch-1")
    assert response["Location"].endswith(f"/api/v1/deposits/{deposit.pk}/")
    assert (deposit.member, deposit.api_key) == (member, key.key)


def test_post_passes_the_reference_only_operation(client, key):
    references = doi_citations_deposit({"10.5555/api.1": [{"key": "r1", "unstructured": "A reference."}]})
    response = client.post(URL, {"file": upload(content=references), "operation": "doDOICitUpload"}, **bearer(key.token))
    assert response.status_code == 201 and Deposit.objects.get().operation == "doDOICitUpload"


def test_post_without_operation_reads_it_from_the_file(client, key):
    references = doi_citations_deposit({"10.5555/api.1": [{"key": "r1", "unstructured": "A reference."}]})
    assert client.post(URL, {"file": upload(content=references)}, **bearer(key.token)).status_code == 201
    assert client.post(URL, {"file": upload()}, **bearer(key.token)).status_code == 201
    assert list(Deposit.objects.order_by("pk").values_list("operation", flat=True)) == ["doDOICitUpload", "doMDUpload"]


def test_post_with_an_operation_contradicting_the_file_is_a_400(client, key):
    response = client.post(URL, {"file": upload(), "operation": "doDOICitUpload"}, **bearer(key.token))
    assert response.status_code == 400 and "doDOICitUpload" in str(response.json()) and not Deposit.objects.exists()


def test_detail_shows_status_counts_and_results(client, key):
    created = client.post(URL, {"file": upload()}, **bearer(key.token)).json()
    deposit_process(deposit_id=created["id"])
    body = client.get(f"{URL}{created['id']}/", **bearer(key.token)).json()
    assert (body["status"], body["outcome"], body["record_count"], body["success_count"]) == ("completed", "completed", 1, 1)
    assert body["results"] == [{"position": 1, "doi": "10.5555/api.1", "status": "success", "message": "Successfully added", "line": body["results"][0]["line"]}]


def test_list_is_the_members_own_filtered_and_paginated(client, press, society, key):
    member, admin = press
    other, other_admin = society
    mine = [deposit_create_from_bytes(member=member, content=deposit_xml(batch=f"b{i}"), filename=f"{i}.xml") for i in range(3)]
    deposit_create_from_bytes(member=other, content=deposit_xml(doi="10.6666/x"), filename="theirs.xml")
    deposit_process(deposit_id=mine[0].pk)
    Deposit.objects.filter(pk=mine[1].pk).update(created=timezone.now() - timedelta(days=10))
    body = client.get(URL, **bearer(key.token)).json()
    assert body["count"] == 3 and {d["filename"] for d in body["results"]} == {"0.xml", "1.xml", "2.xml"}
    assert [d["filename"] for d in client.get(URL, {"status": "completed"}, **bearer(key.token)).json()["results"]] == ["0.xml"]
    day = (timezone.now() - timedelta(days=5)).date().isoformat()
    assert {d["filename"] for d in client.get(URL, {"created_from": day}, **bearer(key.token)).json()["results"]} == {"0.xml", "2.xml"}
    assert [d["filename"] for d in client.get(URL, {"created_until": day}, **bearer(key.token)).json()["results"]] == ["1.xml"]
    paged = client.get(URL, {"page_size": 2}, **bearer(key.token)).json()
    assert len(paged["results"]) == 2 and paged["next"]


def test_a_key_asking_for_html_is_answered_in_json(client, key):
    # (The browsable API once failed with a 500 on the key's stand-in user.)
    answer = client.get(URL, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8", **bearer(key.token))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    assert answer.json()["count"] == 0


def test_a_keys_stand_in_user_belongs_to_no_member():
    # Pages' navigation asks for the user's memberships: a key's stand-in has none (no row to ask by).
    from members.api_auth import APIKeyUser
    from members.selectors import memberships_for

    assert list(memberships_for(APIKeyUser(login=None))) == []


def test_bad_filters_are_400_naming_the_field(client, key):
    response = client.get(URL, {"status": "done", "created_from": "2024-13-45"}, **bearer(key.token))
    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["reason"]) == (400, "invalid")
    assert set(body["fields"]) == {"status", "created_from"}


def test_another_members_deposit_is_not_found(client, society, key):
    other, _ = society
    theirs = deposit_create_from_bytes(member=other, content=deposit_xml(doi="10.6666/x"), filename="theirs.xml")
    response = client.get(f"{URL}{theirs.pk}/", **bearer(key.token))
    assert response.status_code == 404 and response.json()["status"] == 404


def test_session_users_use_the_api_too(client, press):
    member, admin = press
    client.force_login(admin)
    response = client.post(URL, {"file": upload()})
    assert response.status_code == 201
    assert Deposit.objects.get().uploaded_by == admin
    assert client.get(URL).json()["count"] == 1


def test_session_user_of_several_members_names_one(client, press, society):
    member, admin = press
    other, _ = society
    admin = user_in(other, admin.email, Role.DEPOSITOR)  # the same account, now in two members
    client.force_login(admin)
    ambiguous = client.get(URL)
    assert (ambiguous.status_code, ambiguous.json()["reason"]) == (403, "member_ambiguous")
    assert client.post(URL, {"file": upload(), "member": other.pk}).status_code == 201
    assert Deposit.objects.get().member == other
    assert client.get(URL, {"member": other.pk}).json()["count"] == 1


def test_session_editor_may_not_deposit(client, press):
    member, _ = press
    editor = user_in(member, "ed@cited-press.example", Role.EDITOR)
    client.force_login(editor)
    response = client.post(URL, {"file": upload()})
    assert (response.status_code, response.json()["reason"]) == (403, "missing_scope")


@pytest.mark.parametrize("case", ["none", "unknown", "revoked", "scope", "malformed"])
def test_refusals_are_json_with_their_reason(client, press, key, case):
    member, admin = press
    headers = {
        "none": {},
        "unknown": bearer(key.token[:-4] + "abcd"),
        "revoked": bearer(key.token),
        "scope": bearer(api_key_create(member=member, name="reader", scopes=["retrieve"], created_by=admin).token),
        "malformed": {"HTTP_AUTHORIZATION": "Bearer two words"},
    }[case]
    if case == "revoked":
        api_key_revoke(key=key.key)
    response = client.get(URL, **headers)
    expected = {"none": (401, "not_authenticated"), "unknown": (401, "unknown_credentials"), "revoked": (401, "revoked_key"),
                "scope": (403, "missing_scope"), "malformed": (401, "unknown_credentials")}[case]
    body = response.json()
    assert (response.status_code, body["reason"]) == expected
    assert body["status"] == expected[0] and body["message"]


def test_throttled_keys_get_429_with_retry_after(client, key):
    for _ in range(login_throttle.FREE_FAILURES["pair"] + 1):
        client.get(URL, **bearer(key.token[:-4] + "abcd"))
    response = client.get(URL, **bearer(key.token))
    assert (response.status_code, response.json()["reason"]) == (429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_missing_file_is_400_naming_it(client, key):
    response = client.post(URL, {"operation": "doMDUpload"}, **bearer(key.token))
    assert response.status_code == 400 and "file" in response.json()["fields"]


def test_a_file_that_cannot_be_processed_is_400_with_its_lines_and_nothing_queued(client, key):
    broken = deposit_xml().replace(b"</titles>", b"</title>", 1)
    response = client.post(URL, {"file": upload(content=broken)}, **bearer(key.token))
    assert response.status_code == 400, response.content
    [problem] = response.json()["fields"]["file"]
    assert problem.startswith("line ") and "title" in problem
    assert not Deposit.objects.exists()


def test_over_the_limit_is_413_cut_unread(client, key):
    body = HugeMultipartBody(200 * 1024 * 1024)
    response = client.generic("POST", URL, data=b"-", content_type=f"multipart/form-data; boundary={BOUNDARY}",
                              **{"wsgi.input": body, "CONTENT_LENGTH": str(body.size), "HTTP_AUTHORIZATION": f"Bearer {key.token}"})
    assert response.status_code == 413
    assert response.json()["reason"] == "too_large"
    assert body.read_bytes < 1024 * 1024
    assert not Deposit.objects.exists()


def test_schema_is_openapi_3_generated_from_the_code(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/deposits/", "/api/v1/deposits/{id}/"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    assert "results" in schema["components"]["schemas"]["DepositDetail"]["properties"]


def test_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html
