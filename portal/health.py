"""What a load balancer and the agency's staff ask: is each part of the portal working?

`GET /health` answers JSON. The web process can serve while the database and the cache answer
(HTTP 200); without either it cannot (HTTP 503). A broker or worker that is down makes the portal
"degraded" but still 200: uploads are kept and the reconciler queues them once it is back.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from portal.celery import HEARTBEAT_KEY, app, waiting_tasks

QUEUES = ("celery",)


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"status": "ok", "engine": connection.vendor}
    except Exception as error:  # any driver error means the same thing here
        return {"status": "unavailable", "engine": connection.vendor, "error": type(error).__name__}


def cache_status() -> dict:
    try:
        cache.set("health:probe", "1", 10)
        ok = cache.get("health:probe") == "1"
        return {"status": "ok" if ok else "unavailable"}
    except Exception as error:
        return {"status": "unavailable", "error": type(error).__name__}


def broker_status() -> dict:
    """The broker answers, and how many tasks wait in each queue."""
    waiting = {name: waiting_tasks(name) for name in QUEUES}
    if None in waiting.values():
        return {"status": "unavailable", "transport": _transport()}
    return {"status": "ok", "transport": _transport(), "queued_tasks": waiting}


def _transport() -> str:
    return app.conf.broker_url.split(":", 1)[0]


def worker_status() -> dict:
    """Workers prove themselves by running beat's heartbeat task (portal.celery.heartbeat)."""
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:
        beat = None
    if beat is None:
        return {"status": "unknown", "detail": "no worker has run the heartbeat task yet"}
    age = max(0.0, time.time() - float(beat))
    stale = age > 3 * settings.WORKER_HEARTBEAT_SECONDS
    return {"status": "stale" if stale else "ok", "last_heartbeat_seconds_ago": round(age, 1)}


def portal_status() -> tuple[str, dict]:
    checks = {"database": database_status(), "cache": cache_status(), "broker": broker_status(), "worker": worker_status()}
    if checks["database"]["status"] != "ok" or checks["cache"]["status"] != "ok":
        overall = "unavailable"
    elif all(check["status"] == "ok" for check in checks.values()):
        overall = "ok"
    else:
        overall = "degraded"
    return overall, checks


@never_cache
def health(request):
    overall, checks = portal_status()
    return JsonResponse({"status": overall, "checks": checks}, status=503 if overall == "unavailable" else 200)
