"""Work rows as the matcher sees them: the one place a `Work` row becomes a `WorkRecord`."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timezone as dt_timezone

import orjson
from django.db import connections
from django.utils import timezone

from citations.matching.records import WorkRecord
from deposits.models import Work
from portal.lookups import array_type

# The columns `work_record` reads, in this order.
WORK_COLUMNS = (
    "id", "doi", "type", "title", "subtitle", "contributors", "container_title", "issn", "isbn",
    "publication_year", "volume", "issue", "first_page", "last_page", "book_title", "updated",
)

# SQLite allows 32,766 parameters in a statement, Django assumes 999: stay under both.
IDS_PER_QUERY = 900


def work_record(row: Sequence) -> WorkRecord:
    """A `WorkRecord` from a row of WORK_COLUMNS (contributors as the decoded JSON list)."""
    (pk, doi, type_, title, subtitle, contributors, container_title, issn, isbn,
     year, volume, issue, first_page, last_page, book_title, updated) = row
    authors = [c for c in contributors or () if c.get("role", "author") == "author" and c.get("surname")]
    return WorkRecord(
        id=pk,
        doi=doi,
        type=type_ or "journal-article",
        title=f"{title}: {subtitle}" if title and subtitle else title or subtitle or "",
        authors=tuple(c["surname"] for c in authors),
        given_names=tuple(c.get("given_name") or "" for c in authors),
        container_title=container_title or "",
        book_title=book_title or "",
        issn=(issn,) if issn else (),
        isbn=(isbn,) if isbn else (),
        year=year,
        volume=volume or "",
        issue=issue or "",
        first_page=first_page or "",
        last_page=last_page or "",
        version=updated,
    )


def work_records(work_ids: Iterable[int], *, using: str = "default") -> dict[int, WorkRecord]:
    """The records of these works by id; ids of works that do not exist are left out."""
    return {record.id: record for record in _records_where("id", list(dict.fromkeys(work_ids)), using=using)}


def work_records_by_doi(dois: Iterable[str], *, using: str = "default") -> list[WorkRecord]:
    """The records of the works registered under these DOIs (stored form: bare, lower case),
    through the unique index on the DOI column."""
    return _records_where("doi", list(dict.fromkeys(dois)), using=using)


def _records_where(field: str, values: list, *, using: str) -> list[WorkRecord]:
    # Plain SQL: the matcher reads thousands of works a second, and the ORM's per-row work
    # (building and decoding each row) cost as much as the query. Columns as in WORK_COLUMNS.
    records: list[WorkRecord] = []
    if not values:
        return records
    connection = connections[using]
    table = connection.ops.quote_name(Work._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(Work._meta.get_field(name).column) for name in WORK_COLUMNS)
    column = connection.ops.quote_name(Work._meta.get_field(field).column)
    kind = array_type(Work._meta.get_field(field), connection)  # (PostgreSQL: one array, not a placeholder a value; portal.lookups)
    with connection.cursor() as cursor:
        for start in range(0, len(values), IDS_PER_QUERY):
            chunk = values[start : start + IDS_PER_QUERY]
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT {columns} FROM {table} WHERE {column} = ANY(%s::{kind}[])", [chunk])
            else:
                cursor.execute(f"SELECT {columns} FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            records.extend(work_record(_decoded(row)) for row in cursor.fetchall())
    return records


def _decoded(row: Sequence) -> tuple:
    """A raw row as the ORM would give it: contributors as the decoded JSON list, `updated` aware."""
    contributors = row[5]
    if isinstance(contributors, (str, bytes)):  # SQLite text; Django has psycopg hand JSON over undecoded too
        contributors = orjson.loads(contributors)
    updated = row[15]
    if updated is not None and timezone.is_naive(updated):  # SQLite's rows hold UTC without a zone
        updated = updated.replace(tzinfo=dt_timezone.utc)
    return (*row[:5], contributors, *row[6:15], updated)
