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


# Values per statement when rows are given as one multi-row VALUES list (SQLite's default limit
# on bound values is 32,766 in the builds that ship with Python).
VALUES_PER_STATEMENT = 30_000


def insert_rows(cursor, *, table: str, columns: Sequence[str], rows: Sequence[Sequence], on_conflict: str = "",
                computed: Mapping[str, str] | None = None, returning: Sequence[str] = ()) -> list[tuple]:
    """INSERT `rows` (tuples in `columns` order) into `table`, ending with `on_conflict`, e.g.
    "ON CONFLICT (doi) DO NOTHING". `cursor` is a Django cursor. JSON columns take JSON text.
    `computed` (PostgreSQL only) adds columns worked out from the given ones by SQL expressions.
    `returning` names columns to return of the rows actually inserted (not those a conflict
    skipped), e.g. ("doi", "id"): one statement tells which rows were new and their ids."""
    if not rows:
        return []
    names = ", ".join(columns)
    computed = dict(computed or {})
    back = f" RETURNING {', '.join(returning)}" if returning else ""
    if cursor.db.vendor != "postgresql":
        if computed:
            raise ValueError("computed columns are worked out by PostgreSQL only")
        mark = f"({', '.join(['%s'] * len(columns))})"
        if not returning:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {mark} {on_conflict}", rows)
            return []
        found, per_statement = [], max(1, VALUES_PER_STATEMENT // len(columns))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {', '.join([mark] * len(chunk))} {on_conflict}{back}",
                           [value for row in chunk for value in row])
            found += cursor.fetchall()
        return found
    if not on_conflict and not computed and not returning:  # nothing to reconcile: straight into the table
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return []
    staging = f"bulk_rows_{next(_names)}"
    # The target's column types (no constraints, no defaults): COPY parses each value as its column's.
    cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA")
    with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    targets = ", ".join([*columns, *computed])
    cursor.execute(f"INSERT INTO {table} ({targets}) SELECT {', '.join([*columns, *computed.values()])} FROM {staging} {on_conflict}{back}")
    found = cursor.fetchall() if returning else []
    cursor.execute(f"DROP TABLE {staging}")
    return found
