"""Statements PostgreSQL prepares once per connection: the few fixed-shape reads every machine
request runs (an API key by its id, a work by its DOI, a work's reference list, its newest links).

PostgreSQL plans each statement afresh, and for these reads planning cost about as much as
running them. A prepared statement is planned for its first few runs, then PostgreSQL may keep
one generic plan for every value: right for a lookup by a unique key or a foreign key, whose plan
cannot depend on the value, and badly wrong for a full-text search (a generic plan scanned the
whole table: commit 5c38065). So statements are prepared one by one, where asked for
(`prepared_cursor`, `portal.compiled.CompiledValues(prepared=True)`), never for the whole
connection.

Behind a pooler that does not follow prepared statements (PgBouncer in transaction mode before
1.21), DATABASE_PREPARED_STATEMENTS=0 turns this off: the same statements, unprepared.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper


def enabled(using: str = DEFAULT_DB_ALIAS) -> bool:
    return connections[using].vendor == "postgresql" and getattr(settings, "DATABASE_PREPARED_STATEMENTS", False)


@contextlib.contextmanager
def prepared_cursor(using: str = DEFAULT_DB_ALIAS) -> Iterator[CursorWrapper]:
    """A cursor of Django's own (its queries logged and counted, its errors Django's) whose
    statements PostgreSQL prepares on this connection; elsewhere, or turned off, a plain cursor.
    Only for statements whose plan cannot depend on their values (see above)."""
    connection = connections[using]
    if not enabled(using):
        with connection.cursor() as cursor:
            yield cursor
        return
    # Django makes a cursor with the psycopg connection's cursor factory: ours, for this cursor
    # only. The connection is checked and opened first, so the factory is set on the one used.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    database = connection.connection
    factory = database.cursor_factory
    database.cursor_factory = _preparing_cursor_class()
    try:
        cursor = connection.cursor()
    finally:
        database.cursor_factory = factory
    with cursor:
        yield cursor


_preparing: type | None = None


def _preparing_cursor_class() -> type:
    """Django's server-binding cursor (what OPTIONS server_side_binding would give every query),
    executing with psycopg's prepare=True. psycopg prepares only on a connection with a
    prepare_threshold (settings.py sets one; Django's own cursors bind on the client and are
    never prepared, whatever it is)."""
    global _preparing
    if _preparing is None:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparingCursor(ServerBindingCursor):
            def execute(self, query, params=None, *, prepare=True, binary=None):
                return super().execute(query, params, prepare=prepare, binary=binary)

            def _convert_query(self, query, params=None):
                # Kept for Django's query log (connection.queries, CaptureQueriesContext), which
                # reads the statement from `_query` as psycopg's client-side cursors leave it;
                # psycopg's server-binding execute() leaves None there, and the log would too.
                converted = self._query = super()._convert_query(query, params)
                return converted

        _preparing = PreparingCursor
    return _preparing
