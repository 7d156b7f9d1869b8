"""Reference-only deposits (doDOICitUpload) and reference lists replaced as a difference."""
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from citations.models import Citation
from citations.services import match_works
from deposits.models import Deposit, RecordResult, Reference, Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.doi_citations_xml import doi_citations_deposit
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db
REAL_SHAPED = Path(__file__).parent / "data" / "doi_citations_4.4.2.xml"


def register(member, articles, **kwargs) -> Deposit:
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles, **kwargs), filename="works.xml")
    return deposit_process(deposit_id=deposit.pk)


def deposit_references(member, content: bytes, *, operation="doDOICitUpload") -> Deposit:
    deposit = deposit_create_from_bytes(member=member, content=content, filename="refs.xml", operation=operation)
    return deposit_process(deposit_id=deposit.pk)


def keys(doi: str) -> list[str]:
    return list(Reference.objects.filter(citing_work__doi=doi).order_by("position").values_list("key", flat=True))


def test_reference_only_deposit_replaces_the_reference_lists_of_registered_works(press):
    member, _ = press
    register(member, [{"doi": "10.5555/doi_citations.1", "references": [{"key": "old", "unstructured": "Old ref"}]},
                      {"doi": "10.5555/doi_citations.2", "timestamp": 20240505}])
    deposit = deposit_references(member, REAL_SHAPED.read_bytes())
    assert (deposit.status, deposit.outcome, deposit.record_count, deposit.success_count) == ("completed", "completed", 2, 2)
    assert deposit.doi_batch_id == "refs_20241104_0001"
    assert keys("10.5555/doi_citations.1") == ["ref1", "ref2", "ref=3"]
    assert keys("10.5555/doi_citations.2") == ["key-1"]
    messages = dict(deposit.results.values_list("doi", "message"))
    assert messages["10.5555/doi_citations.1"] == "Reference list replaced: 3 references (3 new, 1 removed)"
    first = Work.objects.get(doi="10.5555/doi_citations.1")
    assert first.references_count == 3 and first.match_pending
    # The metadata's timestamp is the metadata's: a reference list neither needs nor changes it.
    assert Work.objects.get(doi="10.5555/doi_citations.2").deposit_timestamp == 20240505


def test_unregistered_dois_and_other_members_works_fail_naming_doi_and_line(press, society):
    member, _ = press
    other, _ = society
    register(member, [{"doi": "10.5555/mine"}])
    register(other, [{"doi": "10.6666/theirs", "references": [{"key": "k", "unstructured": "kept"}]}])
    deposit = deposit_references(member, doi_citations_deposit({
        "10.5555/mine": [{"key": "k", "unstructured": "new"}],
        "10.6666/theirs": [{"key": "k", "unstructured": "stolen"}],
        "10.5555/never-registered": [{"key": "k", "unstructured": "x"}],
    }))
    assert (deposit.outcome, deposit.success_count, deposit.failure_count) == ("completed-with-failures", 1, 2)
    failures = {r.doi: r.message for r in deposit.results.filter(status=RecordResult.Status.FAILURE)}
    assert failures["10.6666/theirs"].startswith("line ")
    assert "10.6666/theirs is registered by another member" in failures["10.6666/theirs"]
    assert "10.5555/never-registered is not registered" in failures["10.5555/never-registered"]
    assert "Deposit the work's metadata" in failures["10.5555/never-registered"]
    assert list(Reference.objects.filter(citing_work__doi="10.6666/theirs").values_list("unstructured", flat=True)) == ["kept"]


def test_reference_only_deposit_starts_matching(press, django_capture_on_commit_callbacks, monkeypatch):
    member, _ = press
    register(member, [{"doi": "10.5555/cited", "title": "Cited"}, {"doi": "10.5555/citing"}])
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    queued = []
    monkeypatch.setattr("citations.receivers.match_works_task.delay", queued.append)  # the broker (outside world)
    with django_capture_on_commit_callbacks(execute=True):
        deposit_references(member, doi_citations_deposit({"10.5555/citing": [{"key": "c", "doi": "10.5555/cited"}]}))
    assert queued == [[Work.objects.get(doi="10.5555/citing").pk]]
    match_works(work_ids=queued[0])
    assert Work.objects.get(doi="10.5555/cited").cited_by_count == 1
    assert not Work.objects.get(doi="10.5555/citing").match_pending


def test_file_contradicting_the_operation_is_refused_before_queueing(press):
    member, _ = press
    with pytest.raises(ValidationError) as refused:
        deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/a"}]),
                                  filename="works.xml", operation="doDOICitUpload")
    assert "works.xml is a metadata deposit" in refused.value.messages[0]
    assert "Send it with operation doMDUpload" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        deposit_create_from_bytes(member=member, content=REAL_SHAPED.read_bytes(), filename="refs.xml", operation="doMDUpload")
    assert "Send it with operation doDOICitUpload" in refused.value.messages[0]
    assert not Deposit.objects.exists()


def test_upload_form_detects_a_reference_only_file(client, press):
    member, admin = press
    register(member, [{"doi": "10.5555/doi_citations.1"}, {"doi": "10.5555/doi_citations.2"}])
    client.force_login(admin)
    response = client.post(reverse("deposits:list", args=[member.pk]),
                           {"file": SimpleUploadedFile("refs.xml", REAL_SHAPED.read_bytes(), "text/xml")})
    assert response.status_code == 302
    deposit = Deposit.objects.latest("pk")
    assert deposit.operation == "doDOICitUpload"
    page = client.get(reverse("deposits:detail", args=[deposit.pk])).content.decode()
    assert "References only" in page


def test_deposit_command_detects_or_takes_the_operation(press, tmp_path):
    member, _ = press
    path = tmp_path / "refs.xml"
    path.write_bytes(REAL_SHAPED.read_bytes())
    out = StringIO()
    call_command("deposit", str(path), "--member", str(member.pk), stdout=out)
    assert "doDOICitUpload" in out.getvalue()
    call_command("deposit", str(path), "--member", str(member.pk), "--operation", "doDOICitUpload", stdout=StringIO())
    assert list(Deposit.objects.values_list("operation", flat=True)) == ["doDOICitUpload", "doDOICitUpload"]


# --- replacing a reference list as a difference -------------------------------------------------


def test_redeposit_keeps_unchanged_references_and_their_citations(press):
    member, _ = press
    cited = [{"doi": f"10.5555/cited.{n}", "title": f"Cited work number {n}"} for n in range(3)]
    register(member, cited, timestamp=1)
    register(member, [{"doi": "10.5555/citing", "references": [
        {"key": "keep", "doi": "10.5555/cited.0"},
        {"key": "change", "doi": "10.5555/cited.1"},
        {"key": "drop", "doi": "10.5555/cited.2"},
    ]}], timestamp=1)
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    before = {c.reference.key: (c.pk, c.reference_id) for c in Citation.objects.select_related("reference")}
    assert set(before) == {"keep", "change", "drop"}

    deposit = register(member, [{"doi": "10.5555/citing", "references": [
        {"key": "new", "unstructured": "Someone else (2001)."},
        {"key": "keep", "doi": "10.5555/cited.0"},
        {"key": "change", "doi": "10.5555/cited.2"},
    ]}], timestamp=2)
    assert deposit.results.get().message == "Successfully updated"
    assert keys("10.5555/citing") == ["new", "keep", "change"]
    after = {c.reference.key: (c.pk, c.reference_id) for c in Citation.objects.select_related("reference")}
    assert after == {"keep": before["keep"]}  # the same row: never deleted and made again
    assert Reference.objects.get(key="keep").position == 2
    assert [Work.objects.get(doi=w["doi"]).cited_by_count for w in cited] == [1, 0, 0]


def test_reference_only_redeposit_reports_what_changed(press):
    member, _ = press
    register(member, [{"doi": "10.5555/w", "references": [{"key": "a", "unstructured": "A"}, {"key": "b", "unstructured": "B"}]}])
    deposit = deposit_references(member, doi_citations_deposit({"10.5555/w": [
        {"key": "a", "unstructured": "A"}, {"key": "b", "unstructured": "B, corrected"}, {"key": "c", "unstructured": "C"}]}))
    assert deposit.results.get().message == "Reference list replaced: 3 references (1 unchanged, 1 changed, 1 new)"
    assert list(Reference.objects.order_by("position").values_list("key", "unstructured")) == [
        ("a", "A"), ("b", "B, corrected"), ("c", "C")]
