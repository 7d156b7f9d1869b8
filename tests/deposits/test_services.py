"""Registering works from deposits: per-record results, prefixes, timestamps, reference lists."""
import os
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from citations.models import Citation
from citations.services import match_works
from deposits.models import Deposit, RecordResult, Reference, Work
from deposits.services import (
    LeaseLost,
    _renew_lease,
    deposit_claim,
    deposit_create_from_bytes,
    deposit_files_purge,
    deposit_process,
    deposits_requeue_stale,
)
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db


def process(member, articles, **kwargs) -> Deposit:
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles, **kwargs), filename="batch.xml")
    return deposit_process(deposit_id=deposit.pk)


def test_deposit_registers_works_and_their_references(press):
    member, _ = press
    deposit = process(member, [
        {"doi": "10.5555/A.1", "title": "First", "authors": [("Ada", "Lovelace")], "year": 2020, "volume": "3",
         "issue": "2", "first_page": "101", "references": [
             {"key": "r1", "doi": "https://doi.org/10.1000/XYZ"},
             {"key": "r2", "unstructured": "Someone, A. (1999). A thing. J. Stuff 1, 2."}]},
    ])
    assert (deposit.status, deposit.record_count, deposit.success_count, deposit.failure_count) == ("completed", 1, 1, 0)
    work = Work.objects.get()
    assert (work.doi, work.title, work.publication_year, work.volume, work.issue, work.first_page) == (
        "10.5555/a.1", "First", 2020, "3", "2", "101")
    assert work.container_title == "Journal of Tests" and work.owner == member
    assert work.contributors[0]["surname"] == "Lovelace" and work.references_count == 2
    refs = list(work.references.order_by("position").values_list("key", "doi", "unstructured"))
    assert refs == [("r1", "10.1000/xyz", ""), ("r2", "", "Someone, A. (1999). A thing. J. Stuff 1, 2.")]
    assert RecordResult.objects.get(deposit=deposit).message == "Successfully added"


def test_doi_outside_members_prefixes_fails_alone(press, society):
    member, _ = press
    deposit = process(member, [
        {"doi": "10.5555/ok.1", "title": "Mine"},
        {"doi": "10.6666/theirs.1", "title": "Not mine"},
        {"doi": "10.7777/nobody.1", "title": "Nobody's"},
        {"doi": "10.5555/ok.2", "title": "Mine too"},
    ])
    assert (deposit.success_count, deposit.failure_count) == (2, 2)
    assert set(Work.objects.values_list("doi", flat=True)) == {"10.5555/ok.1", "10.5555/ok.2"}
    failures = {r.doi: r.message for r in deposit.results.filter(status="failure")}
    assert "not under a prefix of Cited Press" in failures["10.6666/theirs.1"]
    assert "belongs to another member" in failures["10.6666/theirs.1"]
    assert "is not assigned to any member" in failures["10.7777/nobody.1"]


def test_redeposit_with_newer_timestamp_replaces_metadata_and_references(press):
    member, _ = press
    target = {"doi": "10.5555/cited", "title": "Cited"}
    process(member, [target, {"doi": "10.5555/citing", "title": "Old title", "references": [{"key": "a", "doi": "10.5555/cited"}]}],
            timestamp=1)
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    assert Work.objects.get(doi="10.5555/cited").cited_by_count == 1

    deposit = process(member, [{"doi": "10.5555/citing", "title": "New title", "references": [{"key": "b", "unstructured": "x"}]}],
                      timestamp=2)
    assert deposit.success_count == 1 and deposit.results.get().message == "Successfully updated"
    assert Work.objects.get(doi="10.5555/citing").title == "New title"
    assert list(Reference.objects.values_list("key", flat=True)) == ["b"]
    assert Citation.objects.count() == 0
    assert Work.objects.get(doi="10.5555/cited").cited_by_count == 0


def test_redeposit_with_older_or_equal_timestamp_is_refused(press):
    member, _ = press
    process(member, [{"doi": "10.5555/x", "title": "Kept"}], timestamp=20240101)
    deposit = process(member, [{"doi": "10.5555/x", "title": "Refused"}], timestamp=20240101)
    assert deposit.failure_count == 1
    assert deposit.results.get().message == (  # Crossref's words first (clients parse them), then what to change
        "Record not processed because submitted version: 20240101 is less or equal to previously submitted version 20240101. "
        "To update 10.5555/x, deposit it with a <timestamp> greater than 20240101.")
    assert Work.objects.get().title == "Kept"


def test_duplicate_citation_keys_keep_both_references_under_a_suffixed_key_with_a_warning(press):
    member, _ = press
    deposit = process(member, [
        {"doi": "10.5555/dup", "references": [{"key": "k", "unstructured": "a"}, {"key": "k", "unstructured": "b"}]},
        {"doi": "10.5555/fine", "references": [{"key": "k", "unstructured": "a"}]},
    ])
    assert (deposit.success_count, deposit.warning_count, deposit.failure_count) == (1, 1, 0)
    assert deposit.outcome == "completed-with-warnings"
    warning = deposit.results.get(status="warning")
    assert warning.doi == "10.5555/dup" and "citation key “k” is given twice" in warning.message
    assert "Successfully added" in warning.message and "“k-2”" in warning.message
    dup = Work.objects.get(doi="10.5555/dup")
    assert list(dup.references.order_by("position").values_list("key", "unstructured")) == [("k", "a"), ("k-2", "b")]
    assert dup.references_count == 2


def test_malformed_file_fails_whole_deposit_with_line_and_registers_nothing(press):
    member, _ = press
    content = journal_article_deposit([{"doi": "10.5555/a"}, {"doi": "10.5555/b"}]).replace(b"</body>", b"</bdy></body>")
    deposit = deposit_create_from_bytes(member=member, content=content, filename="broken.xml")
    deposit = deposit_process(deposit_id=deposit.pk)
    assert deposit.status == "failed"
    assert deposit.message.startswith("broken.xml, line ")
    assert Work.objects.count() == 0


def test_processing_again_after_a_crash_applies_nothing_twice(press):
    member, _ = press
    deposit = process(member, [{"doi": "10.5555/a"}, {"doi": "10.5555/b"}])
    # A redelivered task (worker killed after the work was done) finds the deposit final.
    Deposit.objects.filter(pk=deposit.pk).update(status="processing")
    again = deposit_process(deposit_id=deposit.pk)
    assert (again.status, again.success_count, again.failure_count) == ("completed", 2, 0)
    assert RecordResult.objects.filter(deposit=deposit).count() == 2


@override_settings(DEPOSIT_MAX_BYTES=1000)
def test_file_over_the_size_limit_is_refused_at_upload(press):
    member, _ = press
    with pytest.raises(ValidationError) as refused:
        deposit_create_from_bytes(member=member, content=b"x" * 1001, filename="big.xml")
    assert refused.value.messages == [
        "big.xml is 1001\xa0bytes; a deposit file may be at most 1000\xa0bytes. Split it into several files."]
    assert Deposit.objects.count() == 0


def test_deposit_whose_file_is_gone_fails_with_a_message(press):
    member, _ = press
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/a"}]), filename="gone.xml")
    deposit.file.delete(save=False)
    deposit = deposit_process(deposit_id=deposit.pk)
    assert (deposit.status, deposit.message) == ("failed", "gone.xml: the stored file is missing.")


def test_unexpected_error_marks_the_deposit_failed_instead_of_stuck(press, monkeypatch):
    member, _ = press
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/a"}]), filename="bug.xml")
    monkeypatch.setattr("deposits.services._apply_chunk", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        deposit_process(deposit_id=deposit.pk)
    deposit.refresh_from_db()
    assert deposit.status == "failed" and "internal error" in deposit.message


def test_database_outage_leaves_the_deposit_to_be_retried_not_failed(press, monkeypatch):
    from django.db import OperationalError

    member, _ = press
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/a"}]), filename="db.xml")

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("deposits.services._checked_work", database_gone)  # both the bulk and the one-by-one path
    with pytest.raises(OperationalError):
        deposit_process(deposit_id=deposit.pk)
    deposit.refresh_from_db()
    assert deposit.status == "processing" and deposit.message == ""
    assert not deposit.results.exists()  # no record is blamed: all are redone on retry


def test_a_deposit_is_applied_by_one_task_at_a_time(press):
    member, _ = press
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/one"}]), filename="a.xml")
    first = deposit_claim(deposit_id=deposit.pk)
    assert first and deposit_claim(deposit_id=deposit.pk) is None  # the live lease holds
    Deposit.objects.filter(pk=deposit.pk).update(lease_expires=timezone.now() - timedelta(seconds=1))
    second = deposit_claim(deposit_id=deposit.pk)
    assert second and second != first  # a lease that ran out is taken over...
    with pytest.raises(LeaseLost):
        _renew_lease(deposit, first)  # ...and the presumed-dead task can no longer commit a chunk


def test_reconciler_requeues_deposits_no_live_task_holds(press, monkeypatch):
    member, _ = press
    sent: list[int] = []
    monkeypatch.setattr("deposits.tasks.process_deposit.delay", sent.append)
    fresh = deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/a"}]), filename="a.xml")
    lost = deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/b"}]), filename="b.xml")
    dead = deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/c"}]), filename="c.xml")
    sent.clear()
    past = timezone.now() - timedelta(seconds=1)
    Deposit.objects.filter(pk=lost.pk).update(lease_expires=past)  # queued past its patience
    deposit_claim(deposit_id=dead.pk)
    Deposit.objects.filter(pk=dead.pk).update(lease_expires=past)  # processing, lease ran out
    assert sorted(deposits_requeue_stale()) == sorted([lost.pk, dead.pk]) == sorted(sent)
    assert fresh.pk not in sent
    assert deposits_requeue_stale() == []  # once per lease period, not at every tick


def test_upload_is_kept_when_the_broker_is_down(press, monkeypatch, django_capture_on_commit_callbacks):
    member, _ = press

    def broker_down(deposit_id):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("deposits.tasks.process_deposit.delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/a"}]), filename="a.xml")
    assert Deposit.objects.get(pk=deposit.pk).status == Deposit.Status.QUEUED


def test_files_of_deposits_that_registered_nothing_are_removed_after_retention(press):
    member, _ = press
    failed = process(member, [{"doi": "10.6666/not-ours"}])
    good = process(member, [{"doi": "10.5555/ours"}])
    assert failed.success_count == 0 and good.success_count == 1
    path = failed.file.path
    assert deposit_files_purge(older_than=timedelta(days=30)) == 0  # not old enough yet
    Deposit.objects.update(finished=timezone.now() - timedelta(days=31))
    assert deposit_files_purge(older_than=timedelta(days=30)) == 1
    failed.refresh_from_db()
    good.refresh_from_db()
    assert not failed.file and not os.path.exists(path)
    assert good.file and failed.results.count() == 1  # the log stays


def test_reuploading_an_identical_file_warns_instead_of_failing(press):
    member, _ = press
    articles = [{"doi": "10.5555/same", "title": "Same"}]
    first = process(member, articles)
    again = process(member, articles)
    assert (first.success_count, again.success_count, again.warning_count, again.failure_count) == (1, 0, 1, 0)
    warning = again.results.get()
    assert warning.status == "warning" and "identical file" in warning.message and "nothing changed" in warning.message
    changed = process(member, [{"doi": "10.5555/same", "title": "Changed"}])  # same timestamp, other content
    message = changed.results.get().message
    assert changed.failure_count == 1 and "less or equal" in message and "with a <timestamp> greater than 20240101000000" in message


def test_a_doi_given_twice_in_one_chunk_is_added_then_updated_as_when_applied_one_by_one(press):
    member, _ = press
    deposit = process(member, [
        {"doi": "10.5555/twice", "title": "Old", "timestamp": 20240101000001, "references": [{"key": "a", "doi": "10.1000/a"}]},
        {"doi": "10.5555/other", "title": "Other"},
        {"doi": "10.5555/twice", "title": "New", "timestamp": 20240101000002, "references": [{"key": "b", "doi": "10.1000/b"}]},
    ])
    messages = list(deposit.results.order_by("position").values_list("status", "message"))
    assert messages == [("success", "Successfully added"), ("success", "Successfully added"), ("success", "Successfully updated")]
    work = Work.objects.get(doi="10.5555/twice")
    assert (work.title, list(work.references.values_list("key", "doi"))) == ("New", [("b", "10.1000/b")])


def test_refused_records_in_a_chunk_leave_the_others_registered_with_their_references(press):
    member, _ = press
    deposit = process(member, [
        {"doi": "10.5555/good", "references": [{"key": f"k{n}", "unstructured": f"Ref {n}"} for n in range(1, 4)]},
        {"doi": "10.9999/not-ours"},
        {"doi": "10.5555/long", "references": [{"key": "x" * 300}]},
        {"doi": "10.5555/fine", "references": [{"key": "z", "doi": "https://doi.org/10.1000/Z"}]},
    ])
    statuses = list(deposit.results.order_by("position").values_list("status", flat=True))
    assert statuses == ["success", "failure", "failure", "success"]
    assert "citation “" + "x" * 80 + "” of 10.5555/long: " in deposit.results.get(position=3).message
    assert sorted(Work.objects.values_list("doi", "references_count")) == [("10.5555/fine", 1), ("10.5555/good", 3)]
    assert list(Reference.objects.filter(citing_work__doi="10.5555/good").order_by("position").values_list("key", "position")) == [
        ("k1", 1), ("k2", 2), ("k3", 3)]
    assert Reference.objects.get(citing_work__doi="10.5555/fine").doi == "10.1000/z"
