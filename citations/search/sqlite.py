"""The index on SQLite: an FTS5 table keyed by work id, ranked by bm25."""
from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from citations.search.base import WorkIndex

FTS_TABLE = "citations_work_fts"


class SqliteWorkIndex(WorkIndex):
    vendor = "sqlite"
    complete_vocabulary = True  # fts5vocab: every word with its document count, in one pass

    def text_search_ids(self, texts: Sequence[str], *, limit: int) -> list[list[int]]:
        found: list[list[int]] = []
        with self.connection.cursor() as cursor:
            for text in texts:
                expression = self.match_expression(text)
                if not expression:
                    found.append([])
                    continue
                cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s", [expression, limit])
                found.append([row[0] for row in cursor.fetchall()])
        return found

    def rank_ids(self, work_ids: Sequence[int], text: str, *, limit: int) -> list[int]:
        expression = self.match_expression(text)
        ranked: list[int] = []
        if expression:
            # One lookup per work: FTS5 reads `rowid IN (...)` as a filter after ranking every work
            # that matches, but seeks straight to the row for `rowid = ?` (25 ms -> 10 ms for 40 works).
            scored: list[tuple[float, int]] = []
            with self.connection.cursor() as cursor:
                for pk in dict.fromkeys(work_ids):
                    cursor.execute(f"SELECT rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid = %s", [expression, pk])
                    row = cursor.fetchone()
                    if row is not None:
                        scored.append((row[0], pk))
            ranked = [pk for _, pk in sorted(scored)[:limit]]
        return list(dict.fromkeys(ranked + list(work_ids)))[:limit]

    def match_expression(self, text: str) -> str:
        """FTS5 query: two of the words (each quoted, so no word is read as an operator)."""
        return self.any_two(self.query_terms(text), both="AND", either="OR", quote=lambda w: f'"{w}"')

    def indexed_count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
            return cursor.fetchone()[0]

    def term_counts(self, *, above: int) -> dict[str, int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{FTS_TABLE}_terms USING fts5vocab(main, {FTS_TABLE}, row)")
            cursor.execute(f"SELECT term, doc FROM temp.{FTS_TABLE}_terms WHERE doc > %s", [above])
            return dict(cursor.fetchall())

    def write_texts(self, texts: Sequence[tuple[int, str]]) -> None:
        if texts:
            with self.connection.cursor() as cursor:
                cursor.executemany(f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, text) VALUES (%s, %s)", list(texts))

    def delete_texts(self, work_ids: Sequence[int]) -> None:
        if work_ids:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(work_ids))})", list(work_ids))

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def optimize(self) -> None:
        self.forget_statistics()
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
