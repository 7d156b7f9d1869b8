"""Unmatched references, searchable by the works that might be what they cite.

When works are registered, the references that could now match them are found here — by the new
works' title words, or their volume, first page and year — instead of by re-scanning every
reference. It holds only references the matcher tried and left unlinked, in the database's own
full-text engine: FTS5 on SQLite, a tsvector under GIN on PostgreSQL. Rows of references that
were since linked or deleted are harmless: answers are checked against UnmatchedReference.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from citations.models import UnmatchedReference
from citations.search.postgresql import groups_text, has_a_group, without_table_scans
from citations.search.terms import terms

SQLITE_TABLE = "citations_reference_fts"
POSTGRES_TABLE = "citations_reference_search"
TEXT_FIELDS = ("unstructured", "article_title", "journal_title", "volume_title", "series_title", "author",
               "volume", "first_page", "year")
# References looked at per new work, at most: a title shared by many references is still bounded.
MAX_HITS_PER_WORK = 500
TITLE_WORDS = 3


def reference_text(row: dict) -> str:
    return " ".join(terms(" ".join(str(row.get(field) or "") for field in TEXT_FIELDS)))


def index_references(rows: Iterable[dict]) -> None:
    """Add (or refresh) unmatched references: dicts with "pk" and the TEXT_FIELDS."""
    entries = [(row["pk"], reference_text(row)) for row in rows]
    if not entries:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {POSTGRES_TABLE} (reference_id, document) VALUES (%s, to_tsvector('simple', %s)) "
                "ON CONFLICT (reference_id) DO UPDATE SET document = EXCLUDED.document",
                entries,
            )
        else:
            cursor.executemany(f"INSERT OR REPLACE INTO {SQLITE_TABLE} (rowid, text) VALUES (%s, %s)", entries)


def unindex_references(reference_ids: Sequence[int]) -> None:
    if not reference_ids:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # (one array: psycopg splits a long IN list in Python, portal.lookups)
            cursor.execute(f"DELETE FROM {POSTGRES_TABLE} WHERE reference_id = ANY(%s::bigint[])", [list(reference_ids)])
        else:
            marks = ", ".join(["%s"] * len(reference_ids))
            cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN ({marks})", list(reference_ids))


def references_for_works(works: Iterable[dict]) -> set[int]:
    """Ids of unmatched references that might cite one of these works (dicts of Work fields:
    title, volume, first_page, publication_year)."""
    queries = [clauses for clauses in map(_clauses, works) if clauses]
    if not queries:
        return set()
    found: set[int] = set()
    if connection.vendor == "postgresql":
        # One round trip for the whole chunk, each work's lookup bounded on its own: a query
        # a work cost a chunk 200 round trips and as many plans.
        with without_table_scans(connection.alias) as cursor:
            cursor.execute(
                f"""SELECT r.reference_id FROM unnest(%s::text[]) AS q(groups) CROSS JOIN LATERAL (
                    SELECT reference_id FROM {POSTGRES_TABLE} WHERE {has_a_group("q.groups")} LIMIT %s
                ) AS r""",
                [[groups_text(clauses) for clauses in queries], MAX_HITS_PER_WORK],
            )
            found.update(row[0] for row in cursor.fetchall())
    else:
        with connection.cursor() as cursor:
            for clauses in queries:
                query = " OR ".join("(" + " AND ".join(f'"{w}"' for w in clause) + ")" for clause in clauses)
                cursor.execute(f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s LIMIT %s", [query, MAX_HITS_PER_WORK])
                found.update(row[0] for row in cursor.fetchall())
    if not found:
        return found
    return set(UnmatchedReference.objects.filter(reference_id__in=found).values_list("reference_id", flat=True))


def _clauses(work: dict) -> list[list[str]]:
    """Word sets a reference to this work would contain: its rarest-looking title words; its
    volume, first page and year (title-less styles)."""
    clauses = []
    title_words = sorted((w for w in terms(_plain(work.get("title") or "")) if len(w) > 3), key=len, reverse=True)
    if len(title_words) >= 2:
        clauses.append(title_words[:TITLE_WORDS])
    numbers = [terms(str(work.get(field) or "")) for field in ("volume", "first_page", "publication_year")]
    if all(len(n) == 1 for n in numbers):
        clauses.append([n[0] for n in numbers])
    return clauses


def _plain(title: str) -> str:
    from deposits.xml.markup import plain_text

    return plain_text(title)
