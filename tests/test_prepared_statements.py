"""On PostgreSQL the server binds parameters and prepares a statement its connection runs again,
so the hot reads are planned once per connection; a setting turns it off for poolers that cannot."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from deposits.models import Work

REPO = Path(__file__).resolve().parents[1]
SHOW_OPTIONS = "from django.conf import settings; print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"


def _options(**env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_PREPARED_STATEMENTS"} | env
    environment.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + SHOW_OPTIONS], cwd=REPO,
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_postgresql_prepares_statements_unless_told_not_to():
    database = "postgres://portal@127.0.0.1:5432/portal"
    assert "('prepare_threshold', 2), ('server_side_binding', True)" in _options(DATABASE_URL=database)
    assert "server_side_binding" not in _options(DATABASE_URL=database, DATABASE_PREPARED_STATEMENTS="0")
    assert "server_side_binding" not in _options(DATABASE_URL="sqlite:///var/unused.sqlite3")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.django_db
def test_a_read_run_again_on_one_connection_is_prepared_by_the_server():
    for doi in ("10.5555/a", "10.5555/b", "10.5555/c"):
        list(Work.objects.filter(doi=doi).values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "deposits_work" WHERE "deposits_work"."doi" = $1' in statement for statement in prepared), prepared
