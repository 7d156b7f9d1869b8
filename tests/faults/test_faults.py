"""Parts of the production stack fail; nothing is lost and nothing is applied twice.

Real processes throughout: Celery workers on the Redis broker, the project's own PostgreSQL
server (restarted under the worker's feet). The killed-worker case lives in tests/test_convergence.py
and runs in the main suite on both databases.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from citations.models import Citation
from deposits.models import Deposit, RecordResult, Reference, Work
from deposits.services import deposit_create_from_bytes, deposit_process
from deposits.tasks import process_deposit
from tests.builders import member_with_admin
from tests.conftest import start_worker, stop_worker, wait_for, worker_env
from tests.xmlbuild import journal_article_deposit

CITED = 30


@pytest.fixture
def members(transactional_db):
    press, _ = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    society, _ = member_with_admin("Citing Society", "10.6666", "admin@citing-society.example")
    cited = [{"doi": f"10.5555/cited.{n}", "title": f"Cited work {n}", "year": 2020} for n in range(CITED)]
    deposit_process(deposit_id=deposit_create_from_bytes(member=press, content=journal_article_deposit(cited), filename="cited.xml").pk)
    return press, society


def _citing_deposit(records: int) -> bytes:
    return journal_article_deposit(
        [
            {
                "doi": f"10.6666/citing.{n}", "title": f"Citing article {n}", "authors": [("Ana", "Citer")], "year": 2024,
                "references": [
                    {"key": "a", "doi": f"10.5555/cited.{n % CITED}"},
                    {"key": "b", "doi": f"10.5555/cited.{(n + 7) % CITED}"},
                ],
            }
            for n in range(records)
        ],
        journal_title="Citing Letters",
    )


def _assert_applied_once(deposit: Deposit, records: int, press) -> None:
    done = Deposit.objects.get(pk=deposit.pk)
    assert (done.status, done.record_count, done.success_count, done.failure_count) == ("completed", records, records, 0)
    assert RecordResult.objects.filter(deposit=deposit).count() == records
    assert Reference.objects.filter(citing_work__doi__startswith="10.6666/").count() == 2 * records
    assert Citation.objects.count() == Citation.objects.values("reference").distinct().count() == 2 * records
    assert sum(Work.objects.filter(owner=press).values_list("cited_by_count", flat=True)) == 2 * records


def test_the_same_deposit_taken_by_two_workers_at_once_is_applied_once(members, tmp_path):
    press, society = members
    records = 600
    env = worker_env(MATCHING_CHUNK_SIZE="50")
    workers = [start_worker(tmp_path / f"worker-{n}.log", env, "--pool=solo") for n in (1, 2)]
    try:
        deposit = deposit_create_from_bytes(member=society, content=_citing_deposit(records), filename="twice.xml")
        process_deposit.delay(deposit.pk)  # a second message for the same deposit: both workers take one
        wait_for(lambda: Deposit.objects.get(pk=deposit.pk).is_final, timeout=300, what="the deposit to complete")
        wait_for(lambda: not Work.objects.filter(match_pending=True).exists(), timeout=300, what="matching to finish")
    finally:
        for worker in workers:
            stop_worker(worker)
    _assert_applied_once(deposit, records, press)
    assert Deposit.objects.get(pk=deposit.pk).attempts <= 2
    logs = "".join((tmp_path / f"worker-{n}.log").read_text() for n in (1, 2))
    assert logs.count("Task deposits.tasks.process_deposit") >= 2  # both messages were taken


def _restart_postgres() -> None:
    data = os.environ.get("PORTAL_PG_DIR")
    assert data and Path(data, "PG_VERSION").exists(), "make test-faults sets PORTAL_PG_DIR to the project's PostgreSQL"
    command = f"pg_ctl -D {data} restart -m fast -w -t 60 >/dev/null"
    as_user = ["su", "portalpg", "-s", "/bin/sh", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]
    subprocess.run(as_user, check=True, timeout=120)
    connection.close()  # this process's own connection died with the server


def test_postgresql_restarted_during_matching_loses_nothing(members, tmp_path):
    assert connection.vendor == "postgresql", "this fault is PostgreSQL's: run it through make test-faults"
    press, society = members
    records = 800
    # Matching is held back until the deposit is in, then runs in many small tasks.
    deposit = deposit_create_from_bytes(member=society, content=_citing_deposit(records), filename="restart.xml")
    deposit_process(deposit_id=deposit.pk)
    assert Citation.objects.count() < 2 * records
    env = worker_env(MATCHING_CHUNK_SIZE="10", RECONCILE_EVERY_SECONDS="2", MATCHING_PENDING_GRACE_SECONDS="5")
    worker = start_worker(tmp_path / "worker.log", env, "--pool=solo", "--beat", f"--schedule={tmp_path / 'beat'}")
    try:
        wait_for(lambda: Citation.objects.count() >= 100, timeout=180, what="matching to be under way")
        assert Work.objects.filter(match_pending=True).exists(), "the restart must come in the middle of matching"
        _restart_postgres()
        wait_for(lambda: Citation.objects.count() == 2 * records, timeout=300,
                 what=f"every citation after the restart (have {Citation.objects.count()})")
        wait_for(lambda: not Work.objects.filter(match_pending=True).exists(), timeout=300, what="matching to finish")
    finally:
        stop_worker(worker)
    _assert_applied_once(deposit, records, press)
    log = (tmp_path / "worker.log").read_text()
    assert "OperationalError" in log or "InterfaceError" in log, "the worker never saw the database go away"


def _redis(command: str) -> None:
    port = os.environ["PORTAL_REDIS_PORT"]
    if command == "stop":
        subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], capture_output=True, timeout=30)
        wait_for(lambda: subprocess.run(["redis-cli", "-p", port, "ping"], capture_output=True).returncode != 0,
                 timeout=30, what="Redis to stop")
    else:
        subprocess.run(["redis-server", "--port", port, "--bind", "127.0.0.1", "--dir", os.environ["PORTAL_REDIS_DIR"],
                        "--daemonize", "yes", "--appendonly", "yes", "--save", ""], check=True, timeout=30)
        wait_for(lambda: subprocess.run(["redis-cli", "-p", port, "ping"], capture_output=True).returncode == 0,
                 timeout=30, what="Redis to start")


def test_an_upload_while_redis_is_down_is_kept_and_processed_once_it_is_back(client, members, tmp_path, settings):
    press, society = members
    settings.DEPOSIT_QUEUE_PATIENCE_SECONDS = 3  # how long the upload waits for its task before the reconciler sends it
    admin = society.memberships.get().user
    client.force_login(admin)
    _redis("stop")
    try:
        content = _citing_deposit(40)
        response = client.post(f"/members/{society.pk}/deposits/",
                               {"file": SimpleUploadedFile("while-down.xml", content, "text/xml")})
        assert response.status_code == 302, response.content.decode()[:2000]
        deposit = Deposit.objects.get(filename="while-down.xml")
        assert deposit.status == Deposit.Status.QUEUED  # kept, though its task could not be sent
    finally:
        _redis("start")
    env = worker_env(DEPOSIT_QUEUE_PATIENCE_SECONDS="3", RECONCILE_EVERY_SECONDS="1")
    worker = start_worker(tmp_path / "worker.log", env, "--pool=solo", "--beat", f"--schedule={tmp_path / 'beat'}")
    try:
        wait_for(lambda: Deposit.objects.get(pk=deposit.pk).is_final, timeout=180, what="the reconciler to queue it")
        wait_for(lambda: not Work.objects.filter(match_pending=True).exists(), timeout=180, what="matching to finish")
    finally:
        stop_worker(worker)
    _assert_applied_once(deposit, 40, press)
