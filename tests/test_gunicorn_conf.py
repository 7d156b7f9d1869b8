"""gunicorn.conf.py, the one place saying how gunicorn serves the portal: its defaults, the
environment that changes them, and gunicorn itself reading it as Procfile.prod starts it."""
from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "gunicorn.conf.py"
from_environment = runpy.run_path(str(CONFIG))["from_environment"]

# gunicorn's own reading of the file, as `gunicorn -c gunicorn.conf.py portal.wsgi` does at start.
READ_AS_GUNICORN_DOES = """
import json, sys
from gunicorn.app.wsgiapp import WSGIApplication
sys.argv = ["gunicorn", "--config", sys.argv[1], "portal.wsgi"]
cfg = WSGIApplication().cfg
print(json.dumps({name: getattr(cfg, name) for name in
                  ("bind", "workers", "worker_class_str", "threads", "keepalive", "backlog", "accesslog", "loglevel")}))
"""


def _gunicorn_reads(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WEB_") and k not in {"HOST", "PORT"}}
    return subprocess.run([sys.executable, "-c", READ_AS_GUNICORN_DOES, str(CONFIG)], cwd=REPO, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


def test_production_serves_four_gthread_processes_of_two_threads_without_an_access_log():
    assert from_environment({}) == {
        "bind": ["127.0.0.1:8000"], "workers": 4, "worker_class": "gthread", "threads": 2, "keepalive": 2,
        "backlog": 2048, "accesslog": None, "loglevel": "info",
    }


def test_each_setting_is_changed_from_the_environment():
    settings = from_environment({
        "HOST": "0.0.0.0", "PORT": "8080", "WEB_CONCURRENCY": "4", "WEB_THREADS": "8", "WEB_WORKER_CLASS": "sync",
        "WEB_KEEPALIVE": "5", "WEB_BACKLOG": "64", "WEB_ACCESS_LOG": "1", "WEB_LOG_LEVEL": "WARNING",
    })

    assert settings == {"bind": ["0.0.0.0:8080"], "workers": 4, "worker_class": "sync", "threads": 8, "keepalive": 5,
                        "backlog": 64, "accesslog": "-", "loglevel": "warning"}


@pytest.mark.parametrize(("value", "log"), [("", None), ("0", None), ("1", "-"), ("-", "-"), ("/var/log/portal/access.log", "/var/log/portal/access.log")])
def test_the_access_log_is_off_on_standard_output_or_in_the_file_named(value, log):
    assert from_environment({"WEB_ACCESS_LOG": value})["accesslog"] == log


@pytest.mark.parametrize(("name", "value"), [("WEB_THREADS", "four"), ("WEB_CONCURRENCY", "0"), ("PORT", "-1"),
                                             ("WEB_KEEPALIVE", "1.5"), ("WEB_WORKER_CLASS", "gevent")])
def test_a_wrong_value_is_refused_naming_the_variable_and_the_value(name, value):
    with pytest.raises(ValueError, match=rf"^{name} must .*'{value}'"):
        from_environment({name: value})


def test_gunicorn_reads_the_file_with_the_environment_on_top():
    result = _gunicorn_reads(WEB_CONCURRENCY="3", WEB_THREADS="6", PORT="8123")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"bind": ["127.0.0.1:8123"], "workers": 3, "worker_class_str": "gthread",
                                         "threads": 6, "keepalive": 2, "backlog": 2048, "accesslog": None,
                                         "loglevel": "info"}


def test_gunicorn_stops_at_start_with_one_line_naming_a_wrong_variable():
    result = _gunicorn_reads(WEB_THREADS="lots")

    assert result.returncode != 0
    assert "gunicorn.conf.py: WEB_THREADS must be a whole number of at least 1, not 'lots'" in result.stderr
    assert "Traceback" not in result.stderr


def test_procfile_prod_serves_with_this_file_and_repeats_none_of_its_settings():
    web = next(line for line in (REPO / "Procfile.prod").read_text().splitlines() if line.startswith("web:"))

    assert "--config gunicorn.conf.py" in web
    assert not any(flag in web for flag in ("--workers", "--threads", "--worker-class", "--access-logfile", "--bind"))


def test_each_worker_puts_the_loaded_portal_out_of_the_collectors_sight():
    import gc

    hook = runpy.run_path(str(CONFIG))["post_worker_init"]
    gc.unfreeze()  # (as in a fresh worker process)
    assert gc.get_freeze_count() == 0
    try:
        hook(worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
