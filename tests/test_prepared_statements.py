"""portal.prepared: on PostgreSQL the machine reads' fixed-shape lookups (an API key, a work by its
DOI with its references, a work's newest links) are statements the server prepares, so they are
planned once per connection; nothing else is; DATABASE_PREPARED_STATEMENTS=0 turns it off; and
the answers are the same bytes either way."""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citations.api.serializers import WORK_FIELDS
from citations.selectors import _NEWEST_LINKS, _public_work_sql, newest_links_to, public_work_with_references
from deposits.selectors import _WORK_BY_DOI, work_by_doi
from members.models import APIKey
from members.selectors import _API_KEY_WITH_MEMBER, api_key_with_member
from members.services import api_key_create
from portal.prepared import prepared_cursor
from tests.citations.cited_by_builders import link, work

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")]


@pytest.fixture
def cited(press, society):
    target = work(press[0], "10.5555/prepared")
    for n in range(3):
        link(target, work(society[0], f"10.6666/preparer.{n}"), key=f"ref-{n}")
    return target


@pytest.fixture
def token(press) -> str:
    return api_key_create(member=press[0], name="platform", scopes=[APIKey.Scope.RETRIEVE], created_by=None).token


def _reads_twice(press, cited, token) -> None:
    key_id = "_".join(token.split("_")[:2])
    for _ in range(2):
        assert work_by_doi("10.5555/PREPARED", with_owner=False).pk == cited.pk
        assert api_key_with_member(key_id).member_id == press[0].pk
        assert len(newest_links_to(acting=press[0], owner=press[0].pk, work=cited, count=51, work_fields=WORK_FIELDS)) == 3
        assert public_work_with_references("10.6666/preparer.0", fields=WORK_FIELDS) is not None


def _server_side(sql: str) -> str:
    """A statement as psycopg sends it to be prepared: Django's %s placeholders numbered $1, $2..."""
    numbers = iter(range(1, 1000))
    return re.sub(r"%s", lambda _: f"${next(numbers)}", sql)


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _hot_statements() -> set[str]:
    public_work = next(sql for (vendor, fields), (sql, _) in _public_work_sql.items() if vendor == "postgresql" and fields == WORK_FIELDS)
    newest_links = _NEWEST_LINKS[(51, WORK_FIELDS)].sql()
    return {_server_side(sql) for sql in (_WORK_BY_DOI.sql(), _API_KEY_WITH_MEMBER.sql(), newest_links, public_work)}


def test_the_machine_reads_are_prepared_by_the_server(press, cited, token):
    _reads_twice(press, cited, token)
    prepared = _prepared_statements()
    assert _hot_statements() <= set(prepared), prepared


def test_turned_off_nothing_is_prepared(press, cited, token, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    _reads_twice(press, cited, token)
    assert not _hot_statements() & set(_prepared_statements())


def test_only_the_fixed_shape_lookups_are_prepared(client, press, cited, token):
    """A search, or any other query of the requests, stays unprepared: a generic plan may scan a whole table."""
    for _ in range(3):
        assert client.get("/works/10.6666/preparer.1").status_code == 200
        assert client.get("/api/v1/works/10.5555/prepared/cited-by", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
        assert client.get("/works?query.bibliographic=Work+10.6666/preparer.1").status_code == 200
    assert set(_prepared_statements()) <= _hot_statements()


def test_the_answers_are_the_same_bytes_prepared_or_not(client, press, cited, token, settings):
    def answers():
        key = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        return [(response.status_code, response.content, sorted(response.items())) for response in (
            client.get("/works/10.6666/preparer.2"), client.get("/works/10.5555/prepared"),
            client.get("/works/10.5555/never.registered"),
            client.get("/api/v1/works/10.5555/prepared/cited-by", **key),
            client.get("/api/v1/works/10.5555/prepared/cited-by", HTTP_AUTHORIZATION=f"Bearer {token}x"))]

    settings.DATABASE_PREPARED_STATEMENTS = False
    unprepared = answers()
    settings.DATABASE_PREPARED_STATEMENTS = True
    first, again = answers(), answers()  # the second run executes the prepared statements
    assert first == again == unprepared
    assert _hot_statements() <= set(_prepared_statements())


def test_a_prepared_read_goes_through_djangos_cursor(cited):
    """The one private thing leaned on: Django makes its cursor with the psycopg connection's
    cursor_factory (DatabaseWrapper.create_cursor), and its ServerBindingCursor exists. If Django
    changes either, this fails (and nothing would be prepared)."""
    from django.db.backends.postgresql.base import ServerBindingCursor
    from django.db.backends.utils import CursorWrapper

    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        assert isinstance(cursor, CursorWrapper)  # logged, counted, Django's errors
        assert isinstance(cursor.cursor, ServerBindingCursor) and type(cursor.cursor).__name__ == "PreparingCursor"
        cursor.execute('SELECT "doi" FROM "deposits_work" WHERE "id" = %s', [cited.pk])
        assert cursor.fetchone() == ("10.5555/prepared",)
    assert len(queries) == 1
    # Logged with its statement, as every other query is (psycopg's server-binding execute keeps none).
    assert queries[0]["sql"] == 'SELECT "doi" FROM "deposits_work" WHERE "id" = $1'
    assert connection.connection.cursor_factory.__name__ != "PreparingCursor"
    with connection.cursor() as plain:
        assert type(plain.cursor).__name__ == "Cursor"  # Django's own cursors are left as they were
