"""Fixtures shared by the whole suite, among them a real Celery worker process."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app
from tests.builders import member_with_admin

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Production serves hashed files made by collectstatic; tests render pages without that step."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _fresh_shared_cache():
    """On the production stack the cache is Redis, which outlives each test's transaction
    (sign-in limits, heartbeats); the database cache is rolled back with the test anyway."""
    from django.core.cache import caches

    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        caches["default"].clear()
    # The public API's rate-limit counts live in memory (or Redis), outside any transaction too.
    caches["ratelimit"].clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_word_counts():
    """The search index's word counts are held per process (citations.search.base._STATS): counted
    in one test, they would carry another test's rolled-back works into the next one's queries,
    and which words a query chooses would depend on the order the tests ran in."""
    from citations.search import base

    base._STATS.clear()
    yield
    base._STATS.clear()


@pytest.fixture(autouse=True)
def _public_api_unlimited(settings):
    """The works API's rate limit counts in the cache (a database table in tests), which would
    add queries to the query-count tests; tests of the limit turn it on themselves."""
    settings.PUBLIC_API_REQUESTS_PER_MINUTE = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def press(db):
    """A member owning 10.5555 with its admin user."""
    return member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")


@pytest.fixture
def society(db):
    """A second member owning 10.6666 with its admin user."""
    return member_with_admin("Citing Society", "10.6666", "admin@citing-society.example")


def wait_for(condition: Callable[[], bool], *, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def _database_url() -> str:
    """The URL of the test database this process uses, for a worker process to share it."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"].endswith("postgresql"):
        auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else (f"{db['USER']}@" if db.get("USER") else "")
        return f"postgres://{auth}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"
    raise RuntimeError(f"no worker URL for database engine {db['ENGINE']}")


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker process sharing this test run's database and files."""
    env = dict(os.environ, DATABASE_URL=_database_url(), MEDIA_ROOT=str(settings.MEDIA_ROOT), SECRET_KEY=settings.SECRET_KEY)
    if getattr(settings, "CELERY_BROKER_FOLDER", None):
        env["CELERY_BROKER_FOLDER"] = str(settings.CELERY_BROKER_FOLDER)
    env.update(extra)
    return env


def start_worker(log_path: Path, env: dict[str, str], *args: str) -> subprocess.Popen:
    """A real `celery worker` process (in a process group of its own, so it can be killed whole)."""
    log = log_path.open("a")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel=INFO",
         "--without-mingle", "--without-gossip", "--without-heartbeat", *args],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    wait_for(lambda: "ready." in log_path.read_text() or worker.poll() is not None, timeout=60, what="the worker to start")
    if worker.poll() is not None:
        raise RuntimeError(f"the Celery worker exited at start:\n{log_path.read_text()}")
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)  # its pool too: orphaned children would keep their connections
        worker.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real `celery worker` process consuming the tests' broker and using the test database."""
    with django_db_blocker.unblock():
        celery_app.control.purge()  # messages left by earlier runs name rows that no longer exist
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    worker = start_worker(log_path, worker_env(), "--pool=solo")
    try:
        yield log_path
    finally:
        stop_worker(worker)


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db):
    """Use in tests that need the worker: data is committed so the worker process sees it."""
    return celery_worker_process
