"""Whatever a killed worker leaves behind, the portal converges by itself: real processes, SIGKILL.

The whole worker (main process and pool) is killed in the middle of a large deposit; a new
worker with the periodic reconciler (beat) starts; the deposit completes with every record and
reference stored once and every citation present, and nobody uploads anything again.
Run on the embedded default's file broker and on Redis.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from celery import Celery

from citations.models import Citation
from deposits.models import Deposit, RecordResult, Reference, Work
from deposits.services import deposit_create_from_bytes
from tests.builders import member_with_admin
from tests.conftest import start_worker, stop_worker, wait_for, worker_env
from tests.xmlbuild import journal_article_deposit

CITED_COUNT = 40
RECORDS = 2000

# Short lease and reconciler period, so a dead worker is noticed in seconds, not minutes.
FAST_RECONCILE = {
    "DEPOSIT_LEASE_SECONDS": "3",
    "DEPOSIT_QUEUE_PATIENCE_SECONDS": "3",
    "RECONCILE_EVERY_SECONDS": "1",
    "MATCHING_PENDING_GRACE_SECONDS": "2",
    "MATCHING_CHUNK_SIZE": "50",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server of this test's own (Debian's redis-server, installed by `make test`)."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: `make test` installs it (apt-get install redis-server)"
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    try:
        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return True
            except OSError:
                return False

        wait_for(answers, timeout=20, what="redis-server to start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _broker(kind: str, tmp_path, redis_url_factory) -> tuple[dict[str, str], Celery]:
    """Worker environment and a producer app for a broker of this test's own (never the current
    app: the portal's tasks must keep sending to the suite's broker after this test)."""
    if kind == "files":
        folder = tmp_path / "broker"
        for sub in ("queue", "control"):
            (folder / sub).mkdir(parents=True)
        producer = Celery("producer", broker="filesystem://localhost/", set_as_current=False)
        producer.conf.broker_transport = "portal.file_broker:Transport"  # as the portal sends
        producer.conf.broker_transport_options = {
            "data_folder_in": str(folder / "queue"), "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"), "store_processed": False,
        }
        return {"CELERY_BROKER_FOLDER": str(folder), "CELERY_BROKER_URL": "filesystem://localhost/"}, producer
    url = redis_url_factory()
    return {"REDIS_URL": url, "CELERY_BROKER_URL": url}, Celery("producer", broker=url, set_as_current=False)


def _large_deposit() -> bytes:
    articles = [
        {
            "doi": f"10.6666/citing.{n}",
            "title": f"Citing article {n}",
            "authors": [("Ana", "Citer")],
            "year": 2024,
            "references": [
                {"key": "a", "doi": f"10.5555/cited.{n % CITED_COUNT}"},
                {"key": "b", "doi": f"10.5555/cited.{(n + 7) % CITED_COUNT}"},
                {"key": "c", "unstructured": f"Nobody, N. ({1990 + n % 30}). Not registered {n}. Nowhere 1, {n}."},
            ],
        }
        for n in range(RECORDS)
    ]
    return journal_article_deposit(articles, journal_title="Citing Letters")


def _register_cited_works(press) -> None:
    cited = [{"doi": f"10.5555/cited.{n}", "title": f"Cited work {n}", "year": 2020} for n in range(CITED_COUNT)]
    deposit = deposit_create_from_bytes(member=press, content=journal_article_deposit(cited), filename="cited.xml")
    from deposits.services import deposit_process

    deposit_process(deposit_id=deposit.pk)
    assert Work.objects.filter(owner=press).count() == CITED_COUNT


@pytest.mark.parametrize("broker", ["files", "redis"])
def test_killed_worker_mid_deposit_converges_without_reupload(broker, transactional_db, tmp_path, request, monkeypatch):
    press, _ = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    society, _ = member_with_admin("Citing Society", "10.6666", "admin@citing-society.example")
    # The large deposit is sent to this test's own broker below, not to the suite's.
    monkeypatch.setattr("deposits.services._send_processing_task", lambda deposit_id: None)
    _register_cited_works(press)

    env_extra, producer = _broker(broker, tmp_path, lambda: request.getfixturevalue("redis_url"))
    env = worker_env(**FAST_RECONCILE, **env_extra)
    deposit = deposit_create_from_bytes(member=society, content=_large_deposit(), filename="large.xml")

    first = start_worker(tmp_path / "first.log", env, "--pool=prefork", "--concurrency=2")
    producer.send_task("deposits.tasks.process_deposit", args=[deposit.pk])
    try:
        wait_for(lambda: RecordResult.objects.filter(deposit=deposit).count() >= 100, timeout=120, what="records to be applied")
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the main process and its whole pool, no goodbye
        first.wait(timeout=10)
    time.sleep(1)
    stranded = Deposit.objects.get(pk=deposit.pk)
    assert stranded.status == Deposit.Status.PROCESSING, "the worker must die mid-deposit for this test to mean anything"
    assert RecordResult.objects.filter(deposit=deposit).count() < RECORDS

    second = start_worker(tmp_path / "second.log", env, "--pool=solo", "--beat", f"--schedule={tmp_path / 'beat'}")
    try:
        wait_for(lambda: Deposit.objects.get(pk=deposit.pk).is_final, timeout=180, what="the deposit to complete")
        done = Deposit.objects.get(pk=deposit.pk)
        assert (done.status, done.record_count, done.success_count, done.failure_count) == ("completed", RECORDS, RECORDS, 0)
        assert RecordResult.objects.filter(deposit=deposit).count() == RECORDS
        assert Reference.objects.filter(citing_work__owner=society).count() == 3 * RECORDS
        wait_for(
            lambda: Citation.objects.count() == 2 * RECORDS, timeout=180,
            what=f"every DOI reference to become a citation (have {Citation.objects.count()} of {2 * RECORDS})",
        )
        wait_for(lambda: not Work.objects.filter(match_pending=True).exists(), timeout=120, what="matching to finish")
    finally:
        stop_worker(second)
    assert not Reference.objects.filter(citing_work__owner=society).exclude(doi="").filter(citation__isnull=True).exists()
    assert Citation.objects.values("reference").distinct().count() == 2 * RECORDS
    counts = dict(Work.objects.filter(owner=press).values_list("doi", "cited_by_count"))
    assert sum(counts.values()) == 2 * RECORDS, counts
