"""A production start without SECRET_KEY refuses to run with a clear message; commands still run."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}} | env
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=environment, capture_output=True, text=True, timeout=120)


def test_serving_without_secret_key_is_refused_with_a_message():
    result = _python("import portal.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY is not set. The portal refuses to serve without one" in result.stderr


def test_serving_with_a_key_or_in_debug_starts():
    assert _python("import portal.wsgi", SECRET_KEY="k" * 50).returncode == 0
    assert _python("import portal.wsgi", DEBUG="1").returncode == 0


def test_commands_run_without_a_key():
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}})
    assert result.returncode == 0, result.stderr
