"""The index on SQLite: an FTS5 table keyed by work id, ranked by bm25."""
from __future__ import annotations

import math
from collections.abc import Sequence

from django.db import transaction

from citations.search.base import MIN_PAIR_TERMS, WorkIndex
from citations.search.records import IDS_PER_QUERY
from citations.search.terms import terms

FTS_TABLE = "citations_work_fts"
# SQLite's page cache per connection, in KiB. The default (2 MB) holds a sliver of the index, so
# a matching process rereads the same pages of posting lists from the OS for every reference;
# a bigger cache cut an index query's wall time by a third on the 100,000-work benchmark. A bulk
# load inserts DOIs in random order into the works' unique index: its pages stay cached too. It
# fills only as pages are read.
PAGE_CACHE_KIB = 98_304


class SqliteWorkIndex(WorkIndex):
    vendor = "sqlite"

    def tune_connection(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")

    def tuned_cursor(self):
        """A cursor on this index's connection, its page cache enlarged (a pragma costs microseconds:
        set on every batch of lookups rather than tracking which connections have it)."""
        cursor = self.connection.cursor()
        cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        return cursor

    def text_search_ids(self, texts: Sequence[str], *, limit: int) -> list[list[int]]:
        found: list[list[int]] = []
        with self.tuned_cursor() as cursor:
            for text in texts:
                expression = self.match_expression(text)
                if not expression:
                    found.append([])
                    continue
                cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s", [expression, limit])
                found.append([row[0] for row in cursor.fetchall()])
        return found

    def rank_ids(self, work_ids: Sequence[int], text: str, *, limit: int) -> list[int]:
        words = self.query_terms(text)
        work_ids = list(dict.fromkeys(work_ids))
        ranked: list[int] = []
        if words and work_ids:
            # The works' index texts in one query, scored here the way bm25 weighs words (by how
            # rare each is; every indexed word counts once per work): asking FTS5 to rank each
            # given work cost one query per work (a busy page, volume 1 page 1, has hundreds).
            counts = self.common_terms()
            works = max(self._stats[1] if self._stats else 0, 1)
            weight = {w: math.log((works - counts.get(w, 0) + 0.5) / (counts.get(w, 0) + 0.5) + 1.0) for w in words}
            needed = 2 if len(words) >= MIN_PAIR_TERMS else 1  # as `match_expression` asks
            order = {pk: n for n, pk in enumerate(work_ids)}
            scored: list[tuple[float, int, int]] = []
            with self.tuned_cursor() as cursor:
                for start in range(0, len(work_ids), IDS_PER_QUERY):
                    chunk = work_ids[start : start + IDS_PER_QUERY]
                    cursor.execute(f"SELECT rowid, text FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)
                    for pk, indexed in cursor.fetchall():
                        present = weight.keys() & terms(indexed)
                        if len(present) >= needed:
                            scored.append((-sum(weight[w] for w in present), order[pk], pk))
            ranked = [pk for _, _, pk in sorted(scored)[:limit]]
        return list(dict.fromkeys(ranked + work_ids))[:limit]

    def match_expression(self, text: str) -> str:
        """FTS5 query: two of the words (each quoted, so no word is read as an operator)."""
        return self.any_two(self.query_terms(text), both="AND", either="OR", quote=lambda w: f'"{w}"')

    def indexed_count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
            return cursor.fetchone()[0]

    def term_counts(self, *, above: int) -> dict[str, int]:
        # fts5vocab: every word with its document count, in one pass over the index's terms.
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
