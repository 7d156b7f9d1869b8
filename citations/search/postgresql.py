"""The index on PostgreSQL: a tsvector per work under a GIN index, ranked by ts_rank.

When pg_trgm is installed, a trigram index over the same text catches what no word matches
(misspelt or run-together titles); the migration leaves it out where the extension is missing.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from django.db import OperationalError, connections, transaction
from psycopg.errors import QueryCanceled

from citations.search.base import WorkIndex
from citations.search.terms import MAX_QUERY_TERMS, one_edit_away, terms
from portal.bulk import insert_rows

SEARCH_TABLE = "citations_work_search"
TRIGRAM_INDEX = "citations_work_search_trgm"
# The trigram fallback (`similar_ids`): texts with fewer query words are not looked up, and a
# lookup is cancelled after this long. On the 100,000-work benchmark's calibration split, 10 of
# 2,569 unstructured references reached it (97 ms median, 218 ms at most) and none of their
# cited works was among its hits.
TRIGRAM_MIN_WORDS = 3
TRIGRAM_TIMEOUT_MS = 250
# ... and only a text with a word no work has that is a slip away from one some work has (`has_slip`):
# a misspelt word this long or longer (a shorter one is a slip away from too many), or a word cut in
# two or two run together, whose parts are this long or longer. Measured by bench/trigram_fallback.py
# on the 100,000-work set: the lookup linked 2 of the 175 registered titles with slips that reached
# it (none wrongly; 0 of the set's own 5), the pre-test kept both; it let 50 of 471 made-up
# references through instead of all (0.5 ms a text instead of a 24 ms lookup); on bench-scale's
# 20,000 works no lookup was cancelled (166 and 237 a run before).
SLIP_MIN_LETTERS = 4
RUN_TOGETHER_MIN_LETTERS = 3


def groups_text(groups: Sequence[Sequence[str]]) -> str:
    """Groups of words as `has_a_group` reads them: "(a & b),(a & c)" (words of letters and
    digits only, as `terms` makes them)."""
    return ",".join(f"({' & '.join(group)})" for group in groups)


def has_a_group(groups: str) -> str:
    """SQL: `document` has every word of one of the groups in the text `groups` (`groups_text`).

    Asked group by group (`@@ ANY`), a bitmap index scan per group, OR-ed: GIN steps through a
    group's shortest posting list and skips ahead in the others. Asked as one query,
    `(a & b) | (a & c) | ...`, it reads every word's posting list whole and tests each row
    against the whole query (at 1,000,000 works, the costliest text searches: 13 ms in the index
    instead of 5.3).

    Run it under `without_table_scans`: the planner cannot see into an array made at run time,
    guesses that 5% of the rows match, and under a LIMIT then prefers reading the table until
    enough rows turn up, all of it when none do (for a chunk of 200 new works at about 160,000
    unmatched references: 8.5 to 9.4 s instead of 13 to 19 ms).
    """
    return f"document @@ ANY(ARRAY(SELECT to_tsquery('simple', g) FROM unnest(string_to_array({groups}, ',')) AS g))"


def without_table_scans(using: str):
    """A cursor whose statements find rows by an index wherever one can (`has_a_group`)."""
    return setting_for_the_block(using, "enable_seqscan", "off")


@contextlib.contextmanager
def setting_for_the_block(using: str, name: str, value: str) -> Iterator:
    """A cursor, in a transaction of its own (a savepoint inside a caller's), with PostgreSQL's
    setting `name` at `value` for the block alone. Inside a caller's transaction a SET LOCAL
    outlives the savepoint (only its rollback undoes it), so the previous value is put back."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])
        previous = cursor.fetchone()[0]
        yield cursor
        cursor.execute("SELECT set_config(%s, %s, true)", [name, previous])


class PostgresWorkIndex(WorkIndex):
    vendor = "postgresql"
    _has_trigrams: bool | None = None

    def text_search_ids(self, texts: Sequence[str], *, limit: int) -> list[list[int]]:
        found: list[list[int]] = [[] for _ in texts]
        if searched := self.text_search_statement(texts, limit=limit):
            with without_table_scans(self.using) as cursor:
                cursor.execute(*searched)
                for n, work_id in cursor.fetchall():
                    found[n].append(work_id)
        # (Also for a text none of whose words is indexed: misspelt words are what this is for.)
        for n, text in enumerate(texts):
            if not found[n] and text and self.has_trigrams():
                found[n] = self.similar_ids(text, limit=limit)
        return found

    def text_search_statement(self, texts: Sequence[str], *, limit: int) -> tuple[str, list] | None:
        """The statement `text_search_ids` runs and its parameters (None when no text asks for a
        word): the `limit` works best ranked for each text's query (`tsquery`), as (n, work id) rows.

        One round trip for the whole batch: a LATERAL top-k per query. The works are found by
        each group of words (`word_groups`) on its own (`has_a_group`) and ranked by the whole
        query: the same works in the same order as one query would find, at 1,000,000 works in
        0.80 ms a text instead of 1.47.
        """
        numbered = [(n, self.word_groups(self.query_terms(text))) for n, text in enumerate(texts)]
        numbered = [(n, groups) for n, groups in numbered if groups]
        if not numbered:
            return None
        return (
            f"""SELECT q.n, s.work_id FROM unnest(%s::int[], %s::text[]) AS q(n, groups)
            CROSS JOIN LATERAL (
                SELECT work_id, ts_rank(document, query) AS score
                FROM {SEARCH_TABLE}, to_tsquery('simple', replace(q.groups, ',', ' | ')) AS query
                WHERE {has_a_group("q.groups")} ORDER BY score DESC, work_id LIMIT %s
            ) AS s ORDER BY q.n, s.score DESC, s.work_id""",
            [[n for n, _ in numbered], [groups_text(groups) for _, groups in numbered], limit],
        )

    def similar_ids(self, text: str, *, limit: int) -> list[int]:
        """Works whose text shares the most trigrams with `text` (pg_trgm word similarity).

        Bounded: it costs 0.1-1.3 s a reference on a big registry (every row sharing trigrams is
        rechecked), and a reference whose work is not registered, the usual reason no word
        matched, pays it in full. So only for texts with a title's worth of words, and never
        longer than TRIGRAM_TIMEOUT_MS (then: no candidates, so nothing is linked).
        """
        words = self.query_terms(text, unindexed=True)  # a misspelt word is in no work: its likeness is
        if len(words) < TRIGRAM_MIN_WORDS:
            return []  # a word or two: their trigrams are in most works, and say little
        if not self.has_slip(text, words):
            return []  # words spelt as some work spells them, that no work has two of: nothing to rescue
        words = " ".join(words)
        try:
            with setting_for_the_block(self.using, "statement_timeout", f"{int(TRIGRAM_TIMEOUT_MS)}ms") as cursor:
                cursor.execute(
                    f"SELECT work_id FROM {SEARCH_TABLE} WHERE %s <%% text ORDER BY %s <<-> text, work_id LIMIT %s",
                    [words, words, limit],
                )
                return [row[0] for row in cursor.fetchall()]
        except OperationalError as error:
            if not isinstance(error.__cause__, QueryCanceled):
                raise  # a lost connection is not a slow lookup: the task retries, nothing is decided
            return []  # cancelled at the timeout (the savepoint is rolled back)

    def has_slip(self, text: str, words: Sequence[str]) -> bool:
        """Whether the text has a word no work has, but one slip of typing or OCR away from one some work has.

        What the trigram lookup finds and the word query cannot: a misspelt word (one deletion,
        insertion, substitution or swap from an indexed word; looked for among `words`, those the
        lookup would ask for), two words run together ("graphenebilayers") or one cut in two
        ("gra- phene"). A reference to a work outside the registry, spelt right (the usual reason
        no two of its words are in one work), has none, and costs a few hundred dictionary lookups
        for each long word no work has (0.5 ms a text, median, on a busy machine) instead of a
        trigram lookup that rechecks every work sharing its trigrams (24 ms on 100,000 works).
        """
        counts = self.common_terms()
        text_words = terms(text)[:MAX_QUERY_TERMS]
        for before, word in zip([""] + text_words, text_words):
            if before and (before not in counts or word not in counts) and before + word in counts:
                return True  # cut in two ("gra- phene" -> "gra", "phene")
        shortest = RUN_TOGETHER_MIN_LETTERS
        for word in words:
            if word in counts or word.isdigit():
                continue
            if any(word[:k] in counts and word[k:] in counts for k in range(shortest, len(word) - shortest + 1)):
                return True  # run together
            if len(word) >= SLIP_MIN_LETTERS and one_edit_away(word, counts):
                return True
        return False

    def rank_ids(self, work_ids: Sequence[int], text: str, *, limit: int) -> list[int]:
        expression = self.tsquery(text)
        ranked: list[int] = []
        if expression:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"""SELECT work_id FROM {SEARCH_TABLE}, to_tsquery('simple', %s) AS query
                    WHERE work_id = ANY(%s) ORDER BY ts_rank(document, query) DESC, work_id LIMIT %s""",
                    [expression, list(work_ids), limit],
                )
                ranked = [row[0] for row in cursor.fetchall()]
        return list(dict.fromkeys(ranked + list(work_ids)))[:limit]

    def tsquery(self, text: str) -> str:
        """to_tsquery text: two of the words (letters and digits only, so nothing is an operator)."""
        return self.any_two(self.query_terms(text), both="&", either="|")

    def indexed_count(self) -> int:
        # Exact (the planner's estimate is -1 until the table is analysed, and an index then
        # seemed empty); asked with the word counts, whose pass over the index costs far more.
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {SEARCH_TABLE}")
            return cursor.fetchone()[0]

    def term_counts(self, *, above: int) -> dict[str, int]:
        # ts_stat reads every document once and counts the works each word is in: asked once per
        # process every STATS_SECONDS (`common_terms`), never per lookup. (ANALYZE's most common
        # lexemes named only the common words: the rare ones, which a query wants, went unranked.)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT word, ndoc FROM ts_stat('SELECT document FROM {SEARCH_TABLE}') WHERE ndoc > %s", [above])
            return dict(cursor.fetchall())

    def has_trigrams(self) -> bool:
        if self._has_trigrams is None:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [TRIGRAM_INDEX])
                self._has_trigrams = cursor.fetchone() is not None
        return self._has_trigrams

    def changed_texts(self, texts: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
        # Matching indexes its chunk's works again (their registration's indexing may have been
        # lost), and nearly all are indexed as they are. Rewriting them anyway put every row's
        # words into the GIN indexes' pending lists, which each text search then reads in full
        # (bench-scale at 1,000,000 works: 86 pending pages after 2,000 works took its lookups
        # from 1-8 ms to 3-17 ms), and left a dead row a work behind.
        stored: dict[int, str] = {}
        if texts:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT work_id, text FROM {SEARCH_TABLE} WHERE work_id = ANY(%s)", [[pk for pk, _ in texts]])
                stored = dict(cursor.fetchall())
        return [(pk, text) for pk, text in texts if stored.get(pk) != " ".join(terms(text))]

    def write_texts(self, texts: Sequence[tuple[int, str]]) -> None:
        if texts:
            with self.connection.cursor() as cursor:
                insert_rows(
                    cursor, table=SEARCH_TABLE, columns=("work_id", "text"),
                    # The document is built from the same words the query is made of, so both split text alike.
                    # One row per work (the last text given wins): one statement cannot update a row twice.
                    rows=[(pk, " ".join(terms(text))) for pk, text in dict(texts).items()],
                    computed={"document": "to_tsvector('simple', text)"},
                    on_conflict="ON CONFLICT (work_id) DO UPDATE SET text = EXCLUDED.text, document = EXCLUDED.document",
                )

    def delete_texts(self, work_ids: Sequence[int]) -> None:
        if work_ids:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {SEARCH_TABLE} WHERE work_id = ANY(%s)", [list(work_ids)])

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {SEARCH_TABLE}")

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            # A bulk load leaves its entries in the GIN indexes' pending lists, which every query
            # scans in full (48 ms instead of 1 ms on 200,000 works) until a vacuum merges them.
            cursor.execute(
                "SELECT gin_clean_pending_list(indexrelid::regclass) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                "JOIN pg_am a ON a.oid = (SELECT relam FROM pg_class WHERE oid = i.indexrelid) WHERE c.relname = %s AND a.amname = 'gin'",
                [SEARCH_TABLE],
            )
            cursor.execute(f"ANALYZE {SEARCH_TABLE}")
        self.forget_statistics()
