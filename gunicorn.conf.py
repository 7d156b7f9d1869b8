"""How gunicorn serves the portal, in one place: `gunicorn portal.wsgi` run from this folder reads
this file by itself; Procfile.prod (`make run-prod`) and the benchmarks (bench/serving.py) name it.
Every setting can be changed from the environment (README, "In production"); a command-line flag
still wins over both.

gthread workers keep each client's connection (and its thread's database connection) between
requests. Four processes of two threads on two cores, not two of four, as measured under mixed
traffic. (Likely why: a thread rendering a member's page, 30-50 ms of Python, holds its process's
GIL, and short answers in the other threads of that process wait for it; the kernel shares the
cores between processes more finely.) Under bench-load at a steady 16 requests/s, cached widget
answers' p95 was 7-12 ms instead of 25, the cited-by API's 14-19 instead of 38-39 (README,
"Tuning gunicorn": saturated, 2 x 4 kept widget answers faster). No access log by
default: the proxy in front of the portal logs each request already, and gunicorn's costs about
50 µs of CPU per request (bench/widget/configs.py prints it), some 6% of a cached widget answer.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

WORKER_CLASSES = ("gthread", "sync")


def from_environment(environ: Mapping[str, str]) -> dict:
    """gunicorn's settings from `environ`; ValueError naming the variable when one is wrong."""
    worker_class = environ.get("WEB_WORKER_CLASS", "") or "gthread"
    if worker_class not in WORKER_CLASSES:
        raise ValueError(f"WEB_WORKER_CLASS must be one of {', '.join(WORKER_CLASSES)}, not {worker_class!r}")
    return {
        "bind": [f"{environ.get('HOST') or '127.0.0.1'}:{_whole(environ, 'PORT', 8000, minimum=1)}"],
        "workers": _whole(environ, "WEB_CONCURRENCY", 4, minimum=1),
        "worker_class": worker_class,
        # (A sync worker serves one request at a time whatever this says.)
        "threads": _whole(environ, "WEB_THREADS", 2, minimum=1),
        "keepalive": _whole(environ, "WEB_KEEPALIVE", 2, minimum=0),
        "backlog": _whole(environ, "WEB_BACKLOG", 2048, minimum=1),
        "accesslog": _access_log(environ.get("WEB_ACCESS_LOG", "")),
        "loglevel": (environ.get("WEB_LOG_LEVEL", "") or "info").lower(),
    }


def _whole(environ: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, not {text!r}")
    return value


def _access_log(value: str) -> str | None:
    """Off (unset, "0"), standard output ("1" or "-"), or the file named."""
    value = value.strip()
    if value in ("", "0"):
        return None
    return "-" if value in ("1", "-") else value


try:
    _settings = from_environment(os.environ)
except ValueError as error:  # gunicorn would print a traceback for any other exception
    raise SystemExit(f"gunicorn.conf.py: {error}") from None

bind = _settings["bind"]
workers = _settings["workers"]
worker_class = _settings["worker_class"]
threads = _settings["threads"]
keepalive = _settings["keepalive"]
backlog = _settings["backlog"]
accesslog = _settings["accesslog"]
loglevel = _settings["loglevel"]


def post_worker_init(worker) -> None:
    """The portal loaded in this worker process (Django, its apps, settings and URLs) goes out of
    the garbage collector's sight: it lives as long as the process, and each full pass of the
    collector walked all of it (some 100,000 objects, 60-75 ms with every thread of the process
    stopped) about every 1,500 answers. Reference counting still frees what is let go."""
    import gc

    gc.freeze()
