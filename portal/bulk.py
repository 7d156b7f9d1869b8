"""Many rows into one table in one statement, whatever the database.

On PostgreSQL the rows cross the wire once, in COPY's format: straight into the table, or, when
conflicts must be handled or columns computed, into a temporary table shaped like the target's
columns, from which one INSERT ... SELECT moves them (with its ON CONFLICT clause): the
server plans one statement instead of one per row, which is what imports of millions of rows
need. Elsewhere (SQLite, in-process) the same INSERT is executed for each row, fast already.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

_names = itertools.count(1)


def insert_rows(cursor, *, table: str, columns: Sequence[str], rows: Sequence[Sequence], on_conflict: str = "",
                computed: Mapping[str, str] | None = None) -> None:
    """INSERT `rows` (tuples in `columns` order) into `table`, ending with `on_conflict`, e.g.
    "ON CONFLICT (doi) DO NOTHING". `cursor` is a Django cursor. JSON columns take JSON text.
    `computed` (PostgreSQL only) adds columns worked out from the given ones by SQL expressions."""
    if not rows:
        return
    names = ", ".join(columns)
    computed = dict(computed or {})
    if cursor.db.vendor != "postgresql":
        if computed:
            raise ValueError("computed columns are worked out by PostgreSQL only")
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))}) {on_conflict}", rows)
        return
    if not on_conflict and not computed:  # nothing to reconcile: straight into the table
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    staging = f"bulk_rows_{next(_names)}"
    # The target's column types (no constraints, no defaults): COPY parses each value as its column's.
    cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA")
    with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    targets = ", ".join([*columns, *computed])
    cursor.execute(f"INSERT INTO {table} ({targets}) SELECT {', '.join([*columns, *computed.values()])} FROM {staging} {on_conflict}")
    cursor.execute(f"DROP TABLE {staging}")
