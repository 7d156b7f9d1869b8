"""Seeding the registry from Crossref's public data file: works (and their references) in bulk.

The service behind `manage.py import_works`. Rows are written with plain SQL in batches of a
few thousand (one transaction each) and indexed in the same batch, because per-object ORM
saves would make a data file of millions of works take hours. Upserts by DOI, so running it
again over the same files changes nothing. A large first load on PostgreSQL runs in bulk mode:
the secondary indexes are built after it rather than kept up row by row (citations.bulk_load).
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import orjson
from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from citations import matching
from citations.bulk_load import indexes_set_aside, rebuild_set_aside_indexes
from citations.crossref_data import REFERENCE_COLUMNS, BadRecord, RawRecord, data_files, read_records, reference_row, work_fields
from citations.matching.records import WorkRecord
from citations.search import work_index
from citations.search.records import IDS_PER_QUERY
from citations.work_json import forget_public_answers
from deposits.doi import doi_prefix
from deposits.models import Reference, Work
from members.models import Member
from members.selectors import prefix_owner
from portal.bulk import insert_rows
from portal.memory import paused_garbage_collector

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
# Bulk mode (PostgreSQL) by itself from this many works expected, when they are also more than the
# registry holds: building an index again costs a pass over every row already there.
BULK_MIN_WORKS = 50_000
SAMPLED_LINES = 5000  # read of the first file to tell how many works the files hold

# Columns written for a work, in this order; `updated` and the counts follow in the SQL.
WORK_DATA = (
    "type", "title", "subtitle", "contributors", "container_title", "issn", "isbn", "volume", "issue",
    "first_page", "last_page", "publication_year", "publisher", "resource_url", "owner_id", "book_title",
)
KEPT_BY_DEPOSIT = "registered by a member's deposit (kept as deposited)"

Problem = Callable[[str, int, str], None]


@dataclass
class ImportSummary:
    read: int = 0
    created: int = 0
    updated: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> how many
    references: int = 0
    seconds: float = 0.0
    bulk: bool = False
    indexes_built: int = 0  # in bulk mode: indexes set aside for the load and built after it,
    indexes_seconds: float = 0.0  # taking this long (ANALYZE included)
    repaired: list[str] = field(default_factory=list)  # indexes a bulk load that died had left set aside

    @property
    def works_per_second(self) -> float:
        return (self.created + self.updated) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        reasons = "; ".join(f"{n} {reason}" for reason, n in self.skipped.most_common())
        skipped = f"{sum(self.skipped.values())} skipped" + (f" ({reasons})" if reasons else "")
        references = f", {self.references} references" if self.references else ""
        notes = "".join([
            f"; {len(self.repaired)} indexes an unfinished bulk load had set aside built again" if self.repaired else "",
            f"; bulk mode ({self.indexes_built} indexes built after the load in {self.indexes_seconds:.1f} s)" if self.bulk else "",
        ])
        return (
            f"{self.read} works read: {self.created} created, {self.updated} updated, {skipped}{references} "
            f"in {self.seconds:.1f} s ({self.works_per_second:,.0f} works/s){notes}"
        )


def import_works(
    paths: Iterable[str | Path],
    *,
    with_references: bool = False,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    bulk: bool | None = None,
    on_problem: Problem | None = None,
    on_bytes: Callable[[int], None] | None = None,
    using: str = "default",
) -> ImportSummary:
    """Upsert the works of these files (or directories of them) by DOI and index them.

    A work under a member's prefix belongs to that member, any other to the agency's own member
    (settings.AGENCY_MEMBER_NAME). Works a member registered by deposit are left as deposited.
    Lines that cannot be imported are passed to `on_problem(path, line, reason)` and skipped.
    `workers` > 1 (PostgreSQL only) reads that many files at once, each in a process of its own:
    reading is per file, and parsing JSON is most of the work. When it returns, every imported
    work is in the search index.

    `bulk` (PostgreSQL only; for initial loads) drops the registry's secondary indexes for the
    load and builds them after it (citations.bulk_load): searches and pages are slow meanwhile.
    None decides: bulk when at least BULK_MIN_WORKS works are expected and more than the registry
    holds. On PostgreSQL, indexes a bulk load that died left set aside are built first, always.
    """
    started = time.monotonic()
    files = [file for path in paths for file in data_files(path)]
    problem = on_problem or _log_problem
    postgres = connections[using].vendor == "postgresql"
    if workers > 1 and len(files) > 1 and not postgres:
        raise ValueError("import_works --workers needs PostgreSQL: SQLite takes one writer at a time")
    if bulk and not postgres:
        raise ValueError("import_works --bulk needs PostgreSQL: SQLite keeps its indexes (use --no-bulk)")
    repaired = rebuild_set_aside_indexes(using=using) if postgres else []
    if repaired:
        log.warning("import_works: built again %d indexes an unfinished bulk load had set aside: %s", len(repaired), ", ".join(repaired))
    if bulk is None:
        # repaired is None: a bulk load is running; this one writes through the indexes it rebuilds after.
        bulk = postgres and repaired is not None and _bulk_pays(files, using=using)
    with indexes_set_aside(using=using) if bulk else nullcontext([]) as set_aside:
        if workers > 1 and len(files) > 1:
            summary = _import_in_processes(files, workers=workers, with_references=with_references, batch_size=batch_size,
                                           on_problem=problem, on_bytes=on_bytes, using=using)
        else:
            summary = _import_files(files, with_references=with_references, batch_size=batch_size, on_problem=problem,
                                    on_bytes=on_bytes, using=using)
        loaded = time.monotonic()
    summary.indexes_built, summary.indexes_seconds = len(set_aside), time.monotonic() - loaded if bulk else 0.0
    work_index(using=using).optimize()
    summary.bulk, summary.repaired = bool(bulk), repaired or []
    summary.seconds = time.monotonic() - started
    # No works_registered signal: per-work matching tasks for a bulk seed would flood the queue.
    # Matching the imported references is the matching pipeline's job (a bulk re-match), not this one's.
    return summary


def _bulk_pays(files: list[Path], *, using: str) -> bool:
    expected = expected_works(files)
    return expected >= BULK_MIN_WORKS and expected > _registry_size(using)


def expected_works(files: list[Path]) -> int:
    """About how many works these files hold: the lines of the first file's first SAMPLED_LINES'
    bytes (as stored, so compressed for .gz), scaled to the size of them all."""
    total = sum(file.stat().st_size for file in files)
    if not total:
        return 0
    consumed = lines = 0

    def count(size: int) -> None:
        nonlocal consumed
        consumed += size

    records = read_records(files[0], on_bytes=count)
    for _ in records:
        lines += 1
        if lines >= SAMPLED_LINES:
            break
    records.close()
    return round(lines * total / (consumed or files[0].stat().st_size or total))


def _registry_size(using: str) -> int:
    """The works already registered: the planner's estimate (a count of millions of rows takes
    seconds), or a count when the table was never analysed."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [Work._meta.db_table])
        estimate = cursor.fetchone()[0]
    return estimate if estimate >= 0 else Work.objects.using(using).count()


def _import_files(files: list[Path], *, with_references: bool, batch_size: int, on_problem: Problem,
                  on_bytes: Callable[[int], None] | None, using: str) -> ImportSummary:
    batch = _Batch(with_references=with_references, using=using, on_problem=on_problem)
    try:
        with paused_garbage_collector():
            for file in files:
                for raw in read_records(file, on_bytes=on_bytes):
                    batch.add(raw)
                    if len(batch) >= batch_size:
                        batch.write()
            batch.write()
    finally:
        _untune(connections[using])
    return batch.summary


def _import_in_processes(files: list[Path], *, workers: int, on_problem: Problem, on_bytes, using: str,
                         **options) -> ImportSummary:
    """One file per task in a pool of `workers` processes (forked: Django is set up already; each
    opens its own connection). Their problems and progress come back with their summaries."""
    import multiprocessing

    connections.close_all()  # a forked child must not share the parent's connection
    # The journal abbreviation list (LTWA) the index text needs, loaded once here rather than
    # once in each child: about 2 s of CPU each, shared after the fork.
    matching.text.iso4_abbreviation("Journal of Physics")
    summary = ImportSummary()
    with multiprocessing.get_context("fork").Pool(min(workers, len(files))) as pool:
        jobs = [(file, options, using) for file in files]
        for part, problems, size in pool.imap_unordered(_import_one_file, jobs):
            summary.read += part.read
            summary.created += part.created
            summary.updated += part.updated
            summary.references += part.references
            summary.skipped.update(part.skipped)
            for problem in problems:
                on_problem(*problem)
            if on_bytes:
                on_bytes(size)
    return summary


PROBLEMS_KEPT = 1000  # per file in a worker process: the summary still counts them all


def _import_one_file(job: tuple[Path, dict, str]) -> tuple[ImportSummary, list[tuple[str, int, str]], int]:
    file, options, using = job
    problems: list[tuple[str, int, str]] = []

    def keep(path: str, line: int, reason: str) -> None:
        if len(problems) < PROBLEMS_KEPT:
            problems.append((path, line, reason))

    try:
        summary = _import_files([file], on_problem=keep, on_bytes=None, using=using, **options)
    finally:
        connections.close_all()
    return summary, problems, file.stat().st_size


def _log_problem(path: str, line: int, reason: str) -> None:
    log.warning("%s:%s: %s", path, line, reason)


class _Batch:
    """Works read but not yet written, and the state that lives across batches."""

    def __init__(self, *, with_references: bool, using: str, on_problem: Problem):
        self.with_references = with_references
        self.using = using
        self.on_problem = on_problem
        self.summary = ImportSummary()
        # doi -> (the latest line with that DOI, its fields, its reference list when they are wanted)
        self.pending: dict[str, tuple[RawRecord, dict, list]] = {}
        self.repeated = 0  # lines whose DOI came again later in this batch
        self.owners: dict[str, int] = {}  # prefix -> member id
        self.agency_id: int | None = None
        self.index = work_index(using=using)
        self.index.tune_connection()
        self.skip_key_checks: bool | None = None  # known at the first write (a forked process connects then)

    def __len__(self) -> int:
        return len(self.pending)

    def add(self, raw: RawRecord) -> None:
        self.summary.read += 1
        if raw.message is None:
            return self._skip(raw, raw.error)
        try:
            fields = work_fields(raw.message)
        except BadRecord as error:
            return self._skip(raw, str(error))
        if fields["doi"] in self.pending:
            self.repeated += 1  # the later line wins, as if applied one after the other
        references = raw.message.get("reference") if self.with_references else None
        # Keep the line's place, not the whole parsed object: a batch stays small.
        self.pending[fields["doi"]] = (RawRecord(raw.path, raw.line, None), fields, references if isinstance(references, list) else [])

    def _skip(self, raw: RawRecord, reason: str) -> None:
        self.summary.skipped[reason.split(" (", 1)[0]] += 1
        self.on_problem(raw.path, raw.line, reason)

    def write(self) -> None:
        if not self.pending:
            return
        connection = connections[self.using]
        with transaction.atomic(using=self.using), connection.cursor() as cursor:
            if self.skip_key_checks is None:
                self.skip_key_checks = _tune_for_bulk_load(connection)
            existing = self._existing(cursor, list(self.pending))
            new, changed = [], []
            for doi, (raw, fields, _) in self.pending.items():
                found = existing.get(doi)
                if found is not None and found[1]:
                    self._skip(raw, KEPT_BY_DEPOSIT)
                    continue
                fields["owner_id"] = self._owner(doi)
                if found is None:
                    new.append(fields)
                else:
                    fields["id"] = found[0]
                    changed.append(fields)
            inserted = self._insert(cursor, connection, new)
            # A work another process inserted meanwhile (the same DOI in two files read at once)
            # is updated instead, as if it had been there: its references may exist already.
            raced = [f for f in new if f["doi"] not in inserted]
            if raced:
                ids = self._existing(cursor, [f["doi"] for f in raced])
                for fields in raced:
                    fields["id"] = ids[fields["doi"]][0]
                new = [f for f in new if f["doi"] in inserted]
                changed += raced
            for fields in new:
                fields["id"] = inserted[fields["doi"]]
            self._update(cursor, connection, changed)
            # Their `GET /works/{doi}` answers are cached (portal.front): forgotten once committed.
            transaction.on_commit(partial(forget_public_answers, dois=[f["doi"] for f in changed]), using=self.using)
            written = new + changed
            self.index.write_texts([(f["id"], matching.index_text(_indexed_record(f))) for f in written])
            if self.with_references:
                self.summary.references += self._write_references(cursor, new, fresh=True)
                self.summary.references += self._write_references(cursor, changed, fresh=False)
        self.summary.created += len(new)
        self.summary.updated += len(changed) + self.repeated
        self.pending, self.repeated = {}, 0

    def _existing(self, cursor, dois: list[str]) -> dict[str, tuple[int, bool]]:
        """doi -> (id, registered by a deposit?) for the works already there."""
        found = {}
        for start in range(0, len(dois), IDS_PER_QUERY):
            chunk = dois[start : start + IDS_PER_QUERY]
            cursor.execute(
                f"SELECT doi, id, deposit_timestamp IS NOT NULL OR last_deposit_id IS NOT NULL FROM {Work._meta.db_table} "
                f"WHERE doi IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            found.update((doi, (pk, bool(deposited))) for doi, pk, deposited in cursor.fetchall())
        return found

    def _owner(self, doi: str) -> int:
        prefix = doi_prefix(doi)
        if prefix not in self.owners:
            member = prefix_owner(prefix)
            self.owners[prefix] = member.pk if member else self._agency_id()
        return self.owners[prefix]

    def _agency_id(self) -> int:
        if self.agency_id is None:
            self.agency_id = Member.objects.using(self.using).get_or_create(name=settings.AGENCY_MEMBER_NAME)[0].pk
        return self.agency_id

    def _insert(self, cursor, connection, rows: list[dict]) -> dict[str, int]:
        """Insert these works (unless their DOI came meanwhile); doi -> id of those inserted."""
        if not rows:
            return {}
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        # match_pending: the reconciler links what cites these works (and what they cite).
        columns = ("doi", *WORK_DATA, "created", "updated", "references_count", "cited_by_count", "match_pending")
        values = [(f["doi"], *_values(f), now, now, self._references_count(f), 0, True) for f in rows]
        if connection.vendor == "postgresql":
            copied = self._copy_new(cursor, connection, columns, values)
            if copied is not None:
                return copied
        inserted = insert_rows(
            cursor, table=Work._meta.db_table, columns=columns, rows=values,
            on_conflict="ON CONFLICT (doi) DO NOTHING", returning=("doi", "id"),
        )
        return dict(inserted)

    def _copy_new(self, cursor, connection, columns: tuple[str, ...], values: list[tuple]) -> dict[str, int] | None:
        """COPY these works straight into the table with ids taken from its sequence (doi -> id),
        or None when a DOI among them came meanwhile (another process's file has it too): then
        nothing of them is written, and they go in as before, through a staging table and ON CONFLICT.

        None of their DOIs was there a moment ago (`_existing`), so the staging table, which only
        let ON CONFLICT skip the ones that were, cost a second write and read of every new work."""
        table = Work._meta.db_table
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(values)])
        ids = [row[0] for row in cursor.fetchall()]
        try:
            # A savepoint: the unique index refusing a DOI undoes this COPY alone, not the batch.
            with transaction.atomic(using=self.using), connection.wrap_database_errors:
                insert_rows(cursor, table=table, columns=("id", *columns), rows=[(pk, *row) for pk, row in zip(ids, values)])
        except IntegrityError:
            return None
        return {row[0]: pk for pk, row in zip(ids, values)}

    def _update(self, cursor, connection, rows: list[dict]) -> None:
        if not rows:
            return
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sets = ", ".join(f"{c} = {_mark(connection, c)}" for c in WORK_DATA)
        if self.with_references:
            sets += ", references_count = %s"
        cursor.executemany(
            f"UPDATE {Work._meta.db_table} SET {sets}, updated = %s, match_pending = %s WHERE id = %s",
            [(*_values(f), *((self._references_count(f),) if self.with_references else ()), now, True, f["id"]) for f in rows],
        )

    def _references_count(self, fields: dict) -> int:
        return len(self.pending[fields["doi"]][2])

    def _write_references(self, cursor, works: list[dict], *, fresh: bool) -> int:
        """Store each work's references. A `fresh` work was inserted by this transaction, so it has
        none yet: its rows go straight in (COPY on PostgreSQL, no conflict to check). Others' are
        upserted by key, and the keys their list no longer has are dropped (with their citations)."""
        rows, keys = [], {}
        for fields in works:
            work_id = fields["id"]
            seen = keys.setdefault(work_id, set())
            position = 0
            for item in self.pending[fields["doi"]][2]:
                if type(item) is not dict:
                    continue
                position += 1
                row = reference_row(item, position)
                if row[0] in seen:  # a repeated key must not overwrite the earlier reference
                    row[0] = f"{row[0]}#{position}"[:255]
                seen.add(row[0])
                row.insert(0, work_id)
                row.append("")
                rows.append(row)
        if not rows:
            return 0
        table, columns = Reference._meta.db_table, ("citing_work_id", "key", *REFERENCE_COLUMNS, "type")
        if fresh:
            if self.skip_key_checks:
                # Each row's foreign-key check (queued until COMMIT) was a third of the database's
                # time; these rows' works were inserted by this very transaction, which nothing
                # else can see, let alone delete, so the check cannot fail. For these rows only.
                cursor.execute("SET LOCAL session_replication_role = replica")
            insert_rows(cursor, table=table, columns=columns, rows=rows)
            if self.skip_key_checks:
                cursor.execute("SET LOCAL session_replication_role = origin")
            return len(rows)
        stale = self._stale_references(cursor, keys)
        if stale:
            Reference.objects.using(self.using).filter(pk__in=stale).delete()  # the ORM removes their citations too
        insert_rows(
            cursor, table=table, columns=columns, rows=rows,
            on_conflict="ON CONFLICT (citing_work_id, key) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in REFERENCE_COLUMNS),
        )
        return len(rows)

    def _stale_references(self, cursor, keys: dict[int, set[str]]) -> list[int]:
        ids, stale = list(keys), []
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            cursor.execute(
                f"SELECT id, citing_work_id, key FROM {Reference._meta.db_table} WHERE citing_work_id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            stale += [pk for pk, work_id, key in cursor.fetchall() if key not in keys[work_id]]
        return stale


def _tune_for_bulk_load(connection) -> bool:
    """Set this session up for a bulk load; True when a new work's reference rows may skip their
    foreign-key checks (PostgreSQL, connected as a superuser: only one may turn triggers off).

    synchronous_commit off: a batch's COMMIT no longer waits for its WAL to reach the disk. A crash
    can lose the last batches committed, never corrupt anything, and running the import again
    (it is idempotent) writes them."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SHOW is_superuser")
        return cursor.fetchone()[0] == "on"


def _untune(connection) -> None:
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _mark(connection, column: str) -> str:
    return "%s::jsonb" if column == "contributors" and connection.vendor == "postgresql" else "%s"


def _values(fields: dict) -> tuple:
    return tuple(orjson.dumps(fields[c]).decode() if c == "contributors" else fields[c] for c in WORK_DATA)


def _indexed_record(fields: dict) -> WorkRecord:
    """What `index_text` reads of a work (title, authors' family names, container), straight from
    its columns: building the full `work_record` was about 8% of the import's CPU time."""
    title, subtitle = fields["title"], fields["subtitle"]
    return WorkRecord(
        id=fields["id"], doi=fields["doi"],
        title=f"{title}: {subtitle}" if title and subtitle else title or subtitle or "",
        authors=tuple(c["surname"] for c in fields["contributors"] if c.get("role", "author") == "author" and c.get("surname")),
        container_title=fields["container_title"] or "",
        book_title=fields["book_title"],
    )
