"""The registry's search index: candidate works for a reference, from the database's own engine.

`work_index()` gives the index for the database in use (SQLite FTS5 or PostgreSQL full text);
`WorkIndex` is the interface both offer; `work_record` is the one Work row -> WorkRecord mapping.
"""
from __future__ import annotations

from django.db import connections

from citations.search.base import WorkIndex
from citations.search.records import WORK_COLUMNS, work_record, work_records

__all__ = ["WORK_COLUMNS", "WorkIndex", "work_index", "work_record", "work_records"]


def work_index(*, using: str = "default") -> WorkIndex:
    """A new index object for the database `using` (each keeps its own cache of WorkRecords)."""
    vendor = connections[using].vendor
    if vendor == "sqlite":
        from citations.search.sqlite import SqliteWorkIndex

        return SqliteWorkIndex(using=using)
    if vendor == "postgresql":
        from citations.search.postgresql import PostgresWorkIndex

        return PostgresWorkIndex(using=using)
    raise NotImplementedError(f"no search index for the {vendor} database")
