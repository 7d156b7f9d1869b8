"""The interface every search index of the registry offers, and what all of them share.

An index answers a `CandidateQuery` (the matcher's question) with candidate `WorkRecord`s:
works with one of its DOIs, works at one of its (volume, first page) pairs, and the works
whose index text (`citations.matching.index_text`) best matches its free text.
"""
from __future__ import annotations

import itertools
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

from django.db import connections, transaction

from citations import matching
from citations.matching.records import CandidateQuery, WorkRecord
from citations.search.records import IDS_PER_QUERY, WORK_COLUMNS, work_record, work_records
from citations.search.terms import MAX_QUERY_TERMS, terms
from deposits.doi import normalize_doi
from deposits.models import Work

# Works fetched per query for one (volume, first page) pair before they are ranked by text.
MAX_VOLUME_PAGE_HITS = 500
# A (volume, first page) hit more than this many years from every year of the reference is dropped.
YEAR_SLACK = 1
# A word in more works than this share (and at least this many) is common: not asked for.
COMMON_FRACTION = 0.002
COMMON_MIN_DOCS = 200
# Common words are still asked for when a text has too few others, unless in more than this share.
COMMON_CEILING = 0.05
# A query asks for the few most specific words, and for works having two of them when it has
# three or more: ranking every work that has any one word is what makes a query slow. (Each word
# more is another pair for every word already asked: 5 words make 10 pairs, 6 made 15. On the
# benchmark's quick set 5 kept recall and precision as they were with 6.)
SPECIFIC_TERMS = 5
MIN_PAIR_TERMS = 3
# Common words fill a query up to this many words (calibration split: 5 keeps most of the recall
# of 6 at less cost; ranking pairs of common words is what costs).
FILLED_TERMS = 5
STATS_SECONDS = 600
_STATS: dict[tuple[str, str], tuple[dict[str, int], int, float]] = {}  # per process: (common terms, works, when)


class WorkIndex(ABC):
    """Candidate works for references, kept in the database's own full-text engine.

    Instances cache `WorkRecord`s by id (a process matching many references fetches each
    work once); make a new instance, or call `index_works`, to see changed works.
    """

    vendor: str = ""

    def __init__(self, *, using: str = "default", cache_size: int = 200_000):
        self.using = using
        self.cache_size = cache_size
        self._records: dict[int, WorkRecord] = {}
        self._stats = None

    @property
    def connection(self):
        return connections[self.using]

    def tune_connection(self) -> None:
        """Set up this index's database connection for heavy use (matching or a bulk load)."""

    # --- Reading ----------------------------------------------------------------------------

    def search(self, query: CandidateQuery, *, limit: int = 20) -> list[WorkRecord]:
        """Candidates for one query: DOI hits, then (volume, first page) hits, then text hits by rank."""
        return self.candidates([query], limit=limit)[0]

    def candidates(self, queries: Sequence[CandidateQuery], *, limit: int = 20, text: bool = True) -> list[list[WorkRecord]]:
        """`search` for many queries at once: each kind of lookup is one round of queries for all.

        `text=False`: the DOI and (volume, first page) hits only (their text still ranks a busy page).
        """
        by_doi = self.ids_by_doi(d for q in queries for d in q.dois)
        by_volume_page = self.works_by_volume_page(p for q in queries for p in q.volume_pages)
        by_text = self.text_search_ids([q.text for q in queries], limit=limit) if text else [[] for _ in queries]
        wanted: list[list[int]] = []
        for query, text_hits in zip(queries, by_text):
            ids = [by_doi[doi] for doi in map(_doi_key, query.dois) if doi in by_doi]
            at_pages = _near_years(
                [hit for pair in query.volume_pages for hit in by_volume_page.get(_pair_key(pair), ())], query.years
            )
            if len(at_pages) > limit:
                at_pages = self.rank_ids(at_pages, query.text, limit=limit)
            wanted.append(list(dict.fromkeys(ids + at_pages + text_hits)))
        records = self.records(i for ids in wanted for i in ids)
        return [[records[i] for i in ids if i in records] for ids in wanted]

    def records(self, work_ids: Iterable[int]) -> dict[int, WorkRecord]:
        """WorkRecords by id, from the cache or one query per 900 missing ids."""
        work_ids = set(work_ids)
        missing = work_ids.difference(self._records)
        if missing:
            if len(self._records) + len(missing) > self.cache_size:
                self._records.clear()
            self._records.update(work_records(missing, using=self.using))
        return {i: self._records[i] for i in work_ids if i in self._records}

    def ids_by_doi(self, dois: Iterable[str]) -> dict[str, int]:
        """Registered works' ids by (normalised) DOI."""
        dois = list({_doi_key(d) for d in dois} - {""})
        found: dict[str, int] = {}
        # Plain SQL: building the ORM's `doi__in` lookup cost as much per DOI as the query itself.
        table = self.connection.ops.quote_name(Work._meta.db_table)
        column = self.connection.ops.quote_name(Work._meta.get_field("doi").column)
        with self.connection.cursor() as cursor:
            for start in range(0, len(dois), IDS_PER_QUERY):
                chunk = dois[start : start + IDS_PER_QUERY]
                cursor.execute(f"SELECT {column}, id FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", chunk)
                found.update(cursor.fetchall())
        return found

    def ids_by_volume_page(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
        """Ids of the works at each (volume, first page), through the B-tree index on both columns."""
        return {pair: [pk for pk, _ in hits] for pair, hits in self.works_by_volume_page(pairs).items()}

    def works_by_volume_page(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[int, int | None]]]:
        """(id, publication year) of the works at each (volume, first page)."""
        pairs = list({_pair_key(p) for p in pairs if p[1]})  # ("", page): the works without a volume
        found: dict[tuple[str, str], list[tuple[int, int | None]]] = {}
        table = Work._meta.db_table
        with self.connection.cursor() as cursor:
            for start in range(0, len(pairs), IDS_PER_QUERY // 2):
                chunk = pairs[start : start + IDS_PER_QUERY // 2]
                rows = ", ".join(["(%s, %s)"] * len(chunk))
                # A join on a VALUES list: SQLite answers `(a, b) IN (VALUES ...)` by scanning the table.
                cursor.execute(
                    f"WITH wanted (volume, first_page) AS (VALUES {rows}) SELECT w.volume, w.first_page, w.id, w.publication_year "
                    f"FROM wanted JOIN {table} w ON w.volume = wanted.volume AND w.first_page = wanted.first_page ORDER BY w.id",
                    [v for pair in chunk for v in pair],
                )
                for volume, page, pk, year in cursor.fetchall():
                    hits = found.setdefault((volume, page), [])
                    if len(hits) < MAX_VOLUME_PAGE_HITS:
                        hits.append((pk, year))
        return found

    @abstractmethod
    def text_search_ids(self, texts: Sequence[str], *, limit: int) -> list[list[int]]:
        """For each text, the ids of the best-ranked works whose index text has any of its words."""

    @abstractmethod
    def rank_ids(self, work_ids: Sequence[int], text: str, *, limit: int) -> list[int]:
        """`limit` of these works, those best matching `text` first."""

    def query_terms(self, text: str, *, unindexed: bool = False) -> list[str]:
        """The words worth asking for: the most specific few, never the registry's common words.

        Ranking costs the engines time for every row a word matches, and a word in most
        works ("journal", "of") tells the matcher nothing, so those are left out unless the
        text has too few others. The rarest indexed words go first; words no work has (a
        publisher's name, "3rd") are never asked for, unless `unindexed` (a fuzzy lookup, which
        finds a misspelt word by its likeness): then the longest rare words go first.
        """
        words = terms(text)[:MAX_QUERY_TERMS]
        if not words:
            return []  # (a reference with a DOI asks for no words: no pass over the index for it)
        counts = self.common_terms()
        works = self._stats[1] if self._stats else 0
        common = max(COMMON_MIN_DOCS, int(works * COMMON_FRACTION))
        if unindexed:
            chosen = sorted((w for w in words if counts.get(w, 0) <= common), key=len, reverse=True)[:SPECIFIC_TERMS]
        else:
            rare = sorted((counts[w], -len(w), w) for w in words if 0 < counts.get(w, 0) <= common)
            chosen = [w for _, _, w in rare[:SPECIFIC_TERMS]]
        if len(chosen) < FILLED_TERMS:
            # A rare word may be no indexed word at all (a publisher, "3rd"): the least common of
            # the common words fill up, so that a title of everyday words and a popular surname
            # ("Digital Divide: Principles and Applications", Li) still has two words to meet.
            ceiling = COMMON_CEILING * works
            usable = sorted((counts[w], w) for w in words if counts.get(w, 0) > common and counts[w] <= ceiling)
            chosen += [w for _, w in usable[: FILLED_TERMS - len(chosen)]]
        if not unindexed and len(chosen) < 2:
            return []  # one indexed word ("phys") alone finds works that share nothing else with the text
        return chosen

    def common_terms(self) -> dict[str, int]:
        """How many works have each word, for every indexed word (`term_counts`).

        Counted at most every STATS_SECONDS per process and database (a full pass over the index);
        the words of works indexed meanwhile by this process are added as they come.
        """
        key = (self.vendor, str(self.connection.settings_dict["NAME"]))
        stats = _STATS.get(key)
        if stats is None or time.monotonic() - stats[2] > STATS_SECONDS:
            works = self.indexed_count()
            stats = _STATS[key] = (self.term_counts(above=0) if works else {}, works, time.monotonic())
        self._stats = stats
        return stats[0]

    def forget_statistics(self) -> None:
        _STATS.pop((self.vendor, str(self.connection.settings_dict["NAME"])), None)
        self._stats = None

    @abstractmethod
    def indexed_count(self) -> int: ...

    @abstractmethod
    def term_counts(self, *, above: int) -> dict[str, int]:
        """Every indexed word found in more than `above` works, with how many."""

    # --- Keeping it current ------------------------------------------------------------------

    def index_works(self, work_ids: Iterable[int]) -> int:
        """(Re)index these works from their rows; ids of deleted works are removed. Returns how many were indexed."""
        work_ids = list(dict.fromkeys(work_ids))
        fresh = work_records(work_ids, using=self.using)
        self._records.update(fresh)
        with transaction.atomic(using=self.using):
            self.remove_works([i for i in work_ids if i not in fresh])
            texts = [(pk, matching.index_text(record)) for pk, record in fresh.items()]
            self.write_texts(self.changed_texts(texts))
        self._count_new_words(texts)
        return len(fresh)

    def changed_texts(self, texts: Sequence[tuple[int, str]]) -> Sequence[tuple[int, str]]:
        """The (work id, index text) pairs the index does not hold as they are (all, unless an
        engine can tell)."""
        return texts

    def _count_new_words(self, texts: Sequence[tuple[int, str]]) -> None:
        """Words of freshly indexed works join this process's counts at once, so that a query for a
        new work's rare word (re-matching after its registration) is not dropped as unindexed."""
        stats = _STATS.get((self.vendor, str(self.connection.settings_dict["NAME"])))
        if stats is None:
            return
        counts = stats[0]
        for _, text in texts:
            for word in set(terms(text)):
                if word not in counts:
                    counts[word] = 1  # (a re-indexed work's words are not counted twice)

    def remove_works(self, work_ids: Iterable[int]) -> None:
        work_ids = list(work_ids)
        for pk in work_ids:
            self._records.pop(pk, None)
        for start in range(0, len(work_ids), IDS_PER_QUERY):
            self.delete_texts(work_ids[start : start + IDS_PER_QUERY])

    def rebuild(self, *, chunk_size: int = 5000, progress=None) -> int:
        """Index every work afresh (after `index_text` changed, or to repair). Returns how many."""
        self._records.clear()
        self.clear()
        done, last = 0, 0
        while True:
            rows = list(Work.objects.using(self.using).filter(pk__gt=last).order_by("pk").values_list(*WORK_COLUMNS)[:chunk_size])
            if not rows:
                break
            self.write_texts([(row[0], matching.index_text(work_record(row))) for row in rows])
            done, last = done + len(rows), rows[-1][0]
            if progress:
                progress(len(rows))
        self.optimize()
        return done

    @abstractmethod
    def write_texts(self, texts: Sequence[tuple[int, str]]) -> None:
        """Store (work id, index text) pairs, replacing what these works had."""

    @abstractmethod
    def delete_texts(self, work_ids: Sequence[int]) -> None: ...

    @abstractmethod
    def clear(self) -> None: ...

    def optimize(self) -> None:
        """Tidy the index after a bulk load (merge segments, refresh statistics)."""

    @staticmethod
    def word_groups(words: Sequence[str]) -> list[tuple[str, ...]]:
        """What `any_two` asks for, one group of words a work must have all of at a time: each pair
        of `words`, or each word alone when fewer than three are given."""
        if len(words) < MIN_PAIR_TERMS:
            return [(word,) for word in words]
        return list(itertools.combinations(words, 2))

    @classmethod
    def any_two(cls, words: Sequence[str], *, both: str, either: str, quote=lambda w: w) -> str:
        """A query for works with two of `words` (any one when fewer than three are given)."""
        return f" {either} ".join(quote(group[0]) if len(group) == 1 else f"({f' {both} '.join(map(quote, group))})"
                                  for group in cls.word_groups(words))


def _near_years(hits: list[tuple[int, int | None]], years: Sequence[int]) -> list[int]:
    """The ids of these works, without those published far from every year the reference gives.

    Volume 1, page 1 is in every journal: a reference saying 2011 wants none from 1995. (A work
    without a year, or a reference without one, keeps every hit; the matcher tolerates one year.)
    """
    if not years:
        return list(dict.fromkeys(pk for pk, _ in hits))
    return list(dict.fromkeys(
        pk for pk, year in hits if year is None or any(abs(year - y) <= YEAR_SLACK for y in years)
    ))


def _doi_key(doi: str) -> str:
    return normalize_doi(doi) or (doi or "").strip().lower()


def _pair_key(pair: tuple[str, str]) -> tuple[str, str]:
    return (str(pair[0]).strip(), str(pair[1]).strip())
