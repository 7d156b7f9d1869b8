"""The production stack's own parts: /health, the admin's view of background work, gunicorn with
WhiteNoise, the security settings and the Content-Security-Policy in a real browser."""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django_celery_results.models import TaskResult

from portal.celery import HEARTBEAT_KEY, app as celery_app, heartbeat
from tests.builders import PASSWORD
from tests.conftest import REPO, start_worker, stop_worker, wait_for, worker_env
from tests.test_browser import headless_chromium, sign_in

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_health_reports_every_part_and_is_ok_once_a_worker_beats(client, db):
    cache.delete(HEARTBEAT_KEY)
    before = client.get("/health").json()
    assert before["status"] == "degraded"
    assert before["checks"]["worker"]["status"] == "unknown"
    assert before["checks"]["database"]["status"] == before["checks"]["cache"]["status"] == "ok"
    assert before["checks"]["broker"]["status"] == "ok"
    assert before["checks"]["broker"]["queued_tasks"]["celery"] >= 0

    heartbeat()
    after = client.get("/health")
    assert after.status_code == 200
    assert after.json()["status"] == "ok"
    assert after.json()["checks"]["worker"]["last_heartbeat_seconds_ago"] < 5


def test_health_is_unavailable_503_when_the_cache_cannot_be_reached(client, db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT}}
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["cache"]["status"] == "unavailable"


def test_health_is_degraded_but_serving_when_the_broker_is_down(client, db):
    cache.set(HEARTBEAT_KEY, time.time())
    saved = celery_app.conf.broker_url, celery_app.conf.broker_transport
    # A Redis URL nothing answers; the embedded default's transport class would override its scheme.
    celery_app.conf.broker_url, celery_app.conf.broker_transport = CLOSED_PORT, None
    try:
        response = client.get("/health")
    finally:
        celery_app.conf.broker_url, celery_app.conf.broker_transport = saved
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"]["status"] == "unavailable"


def test_a_real_worker_with_beat_stamps_the_heartbeat_and_its_failures_reach_the_admin(
    client, transactional_db, tmp_path
):
    cache.delete(HEARTBEAT_KEY)
    env = worker_env(WORKER_HEARTBEAT_SECONDS="1", CELERY_BEAT_SCHEDULE_FILENAME=str(tmp_path / "beat-schedule"))
    worker = start_worker(tmp_path / "worker.log", env, "--pool=solo", "--beat")
    try:
        wait_for(lambda: client.get("/health").json()["checks"]["worker"]["status"] == "ok", timeout=60,
                 what="beat's heartbeat to run on the worker")
        sent = celery_app.send_task("portal.heartbeat", args=["an argument it does not take"])  # fails in the worker
        # (By its id: the suite's shared worker consumes the same queue, and may store a failure of
        # an earlier test's leftover task meanwhile.)
        wait_for(lambda: TaskResult.objects.filter(task_id=sent.id, status="FAILURE").exists(), timeout=60,
                 what="the failure to be stored")
    finally:
        stop_worker(worker)

    failure = TaskResult.objects.get(task_id=sent.id)
    assert failure.task_name == "portal.heartbeat"
    assert "TypeError" in failure.result

    get_user_model().objects.create_superuser(email="staff@agency.example", password=PASSWORD)
    client.login(email="staff@agency.example", password=PASSWORD)
    front = client.get("/admin/").content.decode()
    assert "Background work" in front
    assert "Tasks waiting in “celery”" in front
    assert f'status__exact=FAILURE">{TaskResult.objects.filter(status="FAILURE").count()}</a>' in front
    listed = client.get("/admin/django_celery_results/taskresult/?status__exact=FAILURE").content.decode()
    assert failure.task_id in listed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _production_env(**extra: str) -> dict[str, str]:
    return worker_env(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), **extra)


def test_gunicorn_serves_pages_static_files_and_health_with_security_headers(transactional_db):
    env = _production_env()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=REPO, env=env, check=True,
                   timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )

    def get(path: str):
        return urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)

    try:
        def answering() -> bool:
            try:
                return get("/health").status == 200
            except OSError:
                return False

        wait_for(answering, timeout=60, what="gunicorn to serve")
        home = get("/")
        assert home.headers["Server"].startswith("gunicorn")
        assert "script-src 'self'" in home.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
        assert home.headers["X-Frame-Options"] == "DENY"
        static = get("/static/portal/focus-on-load.js")
        assert static.status == 200
        assert "javascript" in static.headers["Content-Type"]
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)


def test_deploy_check_is_clean_with_the_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), HTTPS="1", BEHIND_PROXY="1")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_production_is_flagged_by_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "HTTPS"}}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stderr + result.stdout


@pytest.fixture
def csp_violations_browser():
    with headless_chromium() as chromium:
        yield chromium


def test_the_portals_pages_and_admin_break_no_rule_of_their_content_security_policy(
    live_server, transactional_db, csp_violations_browser, press
):
    member, admin = press
    get_user_model().objects.create_superuser(email="staff@agency.example", password=PASSWORD)
    context = csp_violations_browser.new_context()
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None)
    try:
        page.goto(f"{live_server.url}/")
        sign_in(page, live_server.url, admin.email)
        for path in (f"/members/{member.pk}/", f"/members/{member.pk}/deposits/", f"/members/{member.pk}/users/",
                     f"/members/{member.pk}/keys/", "/tools/simple-text-query/", "/doi/", "/api/docs/"):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
        assert page.get_by_text("/api/v1/deposits/").count() >= 1  # Swagger UI drew the operations
        context.close()
        context = csp_violations_browser.new_context()
        page = context.new_page()
        page.on("console", lambda message: violations.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None)
        sign_in(page, live_server.url, "staff@agency.example")
        for path in ("/admin/", "/admin/deposits/deposit/", "/admin/members/member/add/"):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
        page.goto(f"{live_server.url}/admin/")
        assert page.get_by_role("heading", name="Background work").count() == 1
    finally:
        context.close()
    assert violations == []


def test_failures_older_than_the_retention_are_purged(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    from portal.celery import purge_task_failures

    settings.TASK_FAILURE_RETENTION_DAYS = 30
    for task_id, age in (("old", 31), ("recent", 29)):
        TaskResult.objects.store_result("application/json", "utf-8", task_id, "{}", "FAILURE", task_name="t")
        TaskResult.objects.filter(task_id=task_id).update(date_done=timezone.now() - timedelta(days=age))
    assert purge_task_failures() == 1
    assert list(TaskResult.objects.values_list("task_id", flat=True)) == ["recent"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's (CI's PostgreSQL phase runs this)")
def test_the_portals_postgresql_sessions_compile_no_jit(db):
    """portal.settings: matching's batched searches passed PostgreSQL's JIT thresholds, and
    compiling cost more than running them; the portal's sessions turn it off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_the_admin_counts_works_awaiting_matching_up_to_a_cap(press, monkeypatch):
    # (After a bulk import of a million works, counting them all cost 350 ms a page view.)
    from deposits.models import Work
    from portal.templatetags import portal_admin

    monkeypatch.setattr(portal_admin, "AWAITING_MATCHING_COUNTED", 3)
    Work.objects.bulk_create(Work(doi=f"10.5555/waiting.{n}", owner=press[0], match_pending=True) for n in range(3))
    Work.objects.create(doi="10.5555/matched", owner=press[0], match_pending=False)
    assert portal_admin.background_work()["works_awaiting_matching"] == "3"
    Work.objects.create(doi="10.5555/waiting.3", owner=press[0], match_pending=True)
    assert portal_admin.background_work()["works_awaiting_matching"] == "more than 3"
