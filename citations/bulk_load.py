"""Bulk mode of `import_works` on PostgreSQL: the registry's secondary indexes set aside while a
large load writes its rows, then built again, each once from all the rows, instead of updated
row by row. On bench-scale's 1,000,000 works (10.9M references, 2 cores, load about 2): 166 s
instead of 312 s, 298 instead of 368 us of CPU a work (the rebuild: 47 s of it).

Each index is recorded (SetAsideIndex) in the transaction that drops it, and its record deleted
in the transaction that builds it again, so a load that dies leaves the list of what it owes:
the next `import_works` builds those first (`rebuild_set_aside_indexes`). Unique indexes and
primary keys stay: the load's upserts (ON CONFLICT) and lookups by DOI need them. A session
advisory lock says a bulk load is alive, so no other run builds its indexes under it.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial

from django.db import connections

from citations.models import SetAsideIndex
from citations.search.postgresql import SEARCH_TABLE
from deposits.models import Reference, Work

log = logging.getLogger(__name__)

# The tables a load writes: works, their references, the search index's texts.
TABLES = (Work._meta.db_table, Reference._meta.db_table, SEARCH_TABLE)
BUILT_AT_ONCE = 2
MAINTENANCE_WORK_MEM = "256MB"  # each build sorts in memory up to this (PostgreSQL's default: 64MB)
LOCK_KEY = 1_700_003  # pg_advisory_lock key held by a live bulk load (issue 17, item 3)
_RECORDS = SetAsideIndex._meta.db_table


class BulkLoadBusy(Exception):
    """Another bulk load is running (it holds the lock): its indexes are its own to build."""


@contextmanager
def indexes_set_aside(*, using: str = "default") -> Iterator[list[str]]:
    """Drop the secondary indexes of TABLES for the block (yields their names) and build them again
    after it, also when it raises. Raises BulkLoadBusy when another bulk load is running."""
    holder = _new_connection(using)  # its own session: Django's may be closed meanwhile (a fork)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise BulkLoadBusy("another bulk import_works is running: wait for it, or import with --no-bulk")
        # Records a load that died left stay: their indexes are gone from the catalog, so they are
        # not recorded again, and are built after this load with the rest.
        names = _set_aside(holder)
        log.info("bulk load: %d indexes set aside (%s)", len(names), ", ".join(names))
        try:
            yield names
        finally:
            _build(using)
    finally:
        holder.close()  # and with it the lock


def rebuild_set_aside_indexes(*, using: str = "default") -> list[str] | None:
    """Build the indexes a bulk load that died left set aside; their names (empty when there were
    none), or None when a live bulk load holds them (it builds them itself)."""
    if not SetAsideIndex.objects.using(using).exists():
        return []
    holder = _new_connection(using)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                return None
        return _build(using)
    finally:
        holder.close()


def _set_aside(connection) -> list[str]:
    """Record and drop, in one transaction, the indexes of TABLES that are neither unique nor a primary key."""
    with connection.transaction(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid) "
            "AND NOT i.indisunique AND NOT i.indisprimary ORDER BY t.relname, c.relname",
            [list(TABLES)],
        )
        found = cursor.fetchall()
        for name, table, definition in found:
            cursor.execute(
                f"INSERT INTO {_RECORDS} (name, \"table\", definition, set_aside_at) VALUES (%s, %s, %s, now()) "
                "ON CONFLICT (name) DO NOTHING",
                [name, table, definition],
            )
            cursor.execute(f'DROP INDEX "{name}"')
    return [name for name, _, _ in found]


def _build(using: str) -> list[str]:
    """Build every recorded index, BUILT_AT_ONCE at a time, and ANALYZE their tables; their names.

    The ANALYZEs (the planner's statistics, stale after a load) are queued behind the builds in
    the same pool, not run one after the other once every build is done (5 s at 1,000,000 works):
    two at a time, beside the last builds. The rebuild there took 33.8-33.9 s instead of 36.7-39.1.
    An ANALYZE waits for any build still running on its own table (their locks conflict)."""
    connection = _new_connection(using)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT name, "table", definition FROM {_RECORDS} ORDER BY id')
            records = cursor.fetchall()
    finally:
        connection.close()
    if not records:
        return []
    started = time.monotonic()
    jobs = [partial(_build_one, using, *record) for record in records]
    jobs += [partial(_analyze, using, table) for table in sorted({table for _, table, _ in records})]
    with ThreadPoolExecutor(BUILT_AT_ONCE) as pool:
        for done in [pool.submit(job) for job in jobs]:
            done.result()  # (raises what a build raised)
    log.info("bulk load: %d indexes built in %.1f s", len(records), time.monotonic() - started)
    return [name for name, _, _ in records]


def _analyze(using: str, table: str) -> None:
    connection = _new_connection(using)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{table}"')
    finally:
        connection.close()


def _build_one(using: str, name: str, table: str, definition: str) -> None:
    connection = _new_connection(using)
    try:
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
            # IF NOT EXISTS: a run that died after building it but before this transaction's end
            # cannot have built it (both are one transaction); an index made by hand can have.
            cursor.execute(re.sub(r"^CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", definition))
            cursor.execute(f"DELETE FROM {_RECORDS} WHERE name = %s", [name])
    finally:
        connection.close()


def _new_connection(using: str):
    """A psycopg connection of its own (autocommit), outside Django's per-thread handler."""
    wrapper = connections[using]
    connection = wrapper.get_new_connection(wrapper.get_connection_params())
    connection.autocommit = True
    return connection
