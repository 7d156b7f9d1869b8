"""How fast a big member's dashboard pages answer: `make bench-dashboard` (BENCH_ARGS=--quick for a small run).

Not a test (no timed assertions anywhere). Fills a database (SQLite under var/bench/ unless
DATABASE_URL names another, e.g. a PostgreSQL of your own on PG_PORT=54352) with one member's
100,000 works cited 1,000,000 times by the works of 20 other members (raw executemany in big
batches, not the ORM per row; kept and reused by later runs), counts the member's stored figures
once as the worker would, then times in process through Django's test client, signed in as the
member's admin:

- the dashboard home (totals, newest citations, most cited, chart, first page of works);
- the works list sorted by count and filtered (type, cited), a few pages in; and filtered by a year;
- the cited-by page of the member's most-cited work;
- the participation report;
- the whole member's CSV export up to its first data row (the streamed response's first byte
  of data: the header line is sent before any query).

Prints p50/p95 and the queries of each page; the last line is
`dashboard_p95_ms= works_list_p95_ms= work_page_p95_ms=`.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMBER = "Dashboard Bench Press"
PREFIX = "10.7000"
ADMIN = "admin@dashboard-bench.example"
CITING_MEMBERS = 20
REFERENCES_PER_CITING_WORK = 5
UNMATCHED_WORKS = 10_000  # the member's works with 3 unmatched references each (the participation report)
BATCH = 50_000
YEARS = 3
REASONS = ["no-candidates", "below-threshold", "too-little-to-match", "doi-not-registered", "ambiguous"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000, help="the member's works")
    parser.add_argument("--citations", type=int, default=1_000_000, help="links to them")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--quick", action="store_true", help="5,000 works, 50,000 citations, 10 requests a page")
    parser.add_argument("--fresh", action="store_true", help="fill the database again even if it holds the data")
    args = parser.parse_args()
    if args.quick:
        args.works, args.citations, args.repeat = 5_000, 50_000, 10
    sys.path.insert(0, str(ROOT))
    if "DATABASE_URL" not in os.environ:
        path = ROOT / "var" / "bench" / f"dashboard-{args.works}x{args.citations}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.fresh:
            for stale in path.parent.glob(path.name + "*"):
                stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-dashboard-not-secret-" + "x" * 40)
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    # Pages are rendered without collectstatic (as the tests do): plain static file names.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})", flush=True)
    started = time.perf_counter()
    member, admin, fresh = filled(works=args.works, citations=args.citations, fresh=args.fresh)
    print(f"data: {args.works:,} works of one member, {args.citations:,} citations of them; "
          f"{'filled' if fresh else 'found'} in {time.perf_counter() - started:.1f} s", flush=True)

    from citations.figures import count_figures, refresh_member_figures

    started = time.perf_counter()
    count_figures(member_id=member.pk)
    counting = time.perf_counter() - started
    refresh_member_figures(member_ids=[member.pk])
    print(f"counting the member's figures (the worker's recount; what each page used to do): {counting * 1000:.0f} ms", flush=True)
    measure(member, admin, repeat=args.repeat)


# --- Filling --------------------------------------------------------------------------------

def filled(*, works: int, citations: int, fresh: bool):
    from citations.models import Citation
    from deposits.models import Work
    from members.models import Member
    from members.services import member_create

    member = Member.objects.filter(name=MEMBER).first()
    if member is not None and not fresh:
        if Work.objects.filter(owner=member).count() == works and Citation.objects.filter(cited_work__owner=member).count() == citations:
            return member, _admin(), False
    if member is not None or Work.objects.exists():
        raise SystemExit("the bench database holds other data: run with --fresh (SQLite) or give an empty database")
    setup = member_create(name=MEMBER, prefixes=[PREFIX], admin_email=ADMIN, admin_password="bench-password-not-secret")
    fill(setup.member, works=works, citations=citations)
    return setup.member, setup.admin, True


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=ADMIN)


class Inserter:
    """Rows of one model written with executemany in big batches: every column the model has,
    its default unless given (auto_now columns given by the caller)."""

    def __init__(self, model, **given):
        from django.db import connection

        self.connection = connection
        self.table = model._meta.db_table
        fields = model._meta.concrete_fields
        self.columns = [field.column for field in fields]
        base = []
        for field in fields:
            value = field.get_default()  # "" for text without a default, None for the rest
            base.append(None if value is None else field.get_db_prep_save(value, connection))
        self.base = base
        self.index = {column: position for position, column in enumerate(self.columns)}
        for column, value in given.items():
            self.base[self.index[column]] = value
        self.rows: list[list] = []
        self.written = 0

    def add(self, **values) -> None:
        row = self.base.copy()
        for column, value in values.items():
            row[self.index[column]] = value
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        from django.db import transaction

        if not self.rows:
            return
        sql = (f"INSERT INTO {self.connection.ops.quote_name(self.table)} "
               f"({', '.join(self.connection.ops.quote_name(c) for c in self.columns)}) VALUES ({', '.join(['%s'] * len(self.columns))})")
        with transaction.atomic(), self.connection.cursor() as cursor:
            cursor.executemany(sql, self.rows)
        self.written += len(self.rows)
        self.rows = []


def fill(member, *, works: int, citations: int) -> None:
    import datetime

    from django.db import connection
    from django.utils import timezone

    from citations.models import Citation, UnmatchedReference
    from deposits.models import Reference, Work
    from members.models import Member

    rng = random.Random(16)
    started = time.perf_counter()
    dropped = _without_secondary_indexes(connection, [Work, Reference, Citation, UnmatchedReference])
    citing_members = [Member.objects.create(name=f"Citing bench member {i}").pk for i in range(CITING_MEMBERS)]
    citing_works = math.ceil(citations / REFERENCES_PER_CITING_WORK)
    now = timezone.now()
    span = YEARS * 365 * 24 * 3600

    # Which work each citation cites: skewed (a few works cited thousands of times, most rarely
    # or never), never twice by the same citing work; 1 % flagged (waiting, not counted).
    cited = array("i", bytes(4 * citations))
    flagged = bytearray(citations)
    cited_by = array("i", bytes(4 * works))
    linked = array("i", bytes(4 * citing_works))
    for c in range(citing_works):
        chosen: set[int] = set()
        for k in range(REFERENCES_PER_CITING_WORK):
            n = c * REFERENCES_PER_CITING_WORK + k
            if n >= citations:
                break
            target = int(works * rng.random() ** 2)
            while target in chosen:
                target = int(works * rng.random() ** 2)
            chosen.add(target)
            cited[n] = target
            if rng.random() < 0.01:
                flagged[n] = 1
            else:
                cited_by[target] += 1
                linked[c] += 1

    def when(seconds_ago: float) -> datetime.datetime:
        return now - datetime.timedelta(seconds=seconds_ago)

    base = (Work.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows = Inserter(Work, match_pending=False, publisher="Bench Publishing")
    types = ["journal-article"] * 7 + ["book-chapter", "proceedings-article", "posted-content"]
    for i in range(works):
        stamp = when(rng.random() * span)
        rows.add(id=base + i, doi=f"{PREFIX}/bench.{i}", title=f"Bench work {i} on {rng.choice(['peat', 'ice', 'soil', 'tides'])}",
                 owner_id=member.pk, type=types[i % 10], publication_year=2000 + i % 27, created=stamp, updated=stamp,
                 cited_by_count=cited_by[i], references_count=3 if i < UNMATCHED_WORKS else 0)
    citing_base = base + works
    for c in range(citing_works):
        stamp = when(rng.random() * span)
        rows.add(id=citing_base + c, doi=f"10.{8000 + c % CITING_MEMBERS}/citing.{c}", title=f"Citing work {c}",
                 owner_id=citing_members[c % CITING_MEMBERS], container_title="Bench Letters", publication_year=2023 + c % 4,
                 contributors=_json(connection, [{"given_name": "Ada", "surname": f"Author{c % 97}", "role": "author"}]),
                 created=stamp, updated=stamp, references_count=REFERENCES_PER_CITING_WORK, linked_references_count=linked[c])
    rows.flush()
    print(f"  {rows.written:,} works written ({time.perf_counter() - started:.0f} s)", flush=True)

    reference_base = (Reference.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    references = Inserter(Reference)
    links = Inserter(Citation, agreed=_json(connection, []), note="", method="publisher-doi")
    methods = ["publisher-doi", "structured", "unstructured"]
    for n in range(citations):
        c, k = divmod(n, REFERENCES_PER_CITING_WORK)
        target = cited[n]
        references.add(id=reference_base + n, citing_work_id=citing_base + c, key=f"ref{k}", position=k + 1, doi=f"{PREFIX}/bench.{target}")
        links.add(reference_id=reference_base + n, citing_work_id=citing_base + c, cited_work_id=base + target,
                  method=methods[n % 3], score=1.0, status="flagged" if flagged[n] else "linked", created=when(rng.random() * span))
    unmatched_base = reference_base + citations
    unmatched = Inserter(UnmatchedReference, tried=now)
    for i in range(UNMATCHED_WORKS):
        for k in range(3):
            pk = unmatched_base + i * 3 + k
            references.add(id=pk, citing_work_id=base + i, key=f"u{k}", position=k + 1, unstructured=f"Someone, unfindable {i}.{k}, 1901")
            unmatched.add(reference_id=pk, reason=REASONS[(i + k) % len(REASONS)])
    references.flush()
    links.flush()
    unmatched.flush()
    print(f"  {references.written:,} references, {links.written:,} citations, {unmatched.written:,} unmatched written "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    _recreate_indexes(connection, dropped)
    print(f"  indexes rebuilt ({time.perf_counter() - started:.0f} s)", flush=True)
    _reset_sequences(connection, [Work, Reference, Citation])


def _without_secondary_indexes(connection, models) -> list[str]:
    """On SQLite, drop the tables' plain indexes for the fill and give back their SQL: building an
    index once from sorted data is many times faster than a million inserts into its B-tree.
    (Unique ones stay: SQLite made them for constraints; PostgreSQL keeps everything.)"""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")  # a throwaway database: no need to survive a crash while filling
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MB
        tables = [model._meta.db_table for model in models]
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' "
                       f"AND tbl_name IN ({', '.join(['%s'] * len(tables))})", tables)
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _recreate_indexes(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:  # no ANALYZE: the portal never runs it, so its planner has no statistics either
            cursor.execute(sql)


def _json(connection, value):
    from django.db.models import JSONField

    return JSONField().get_db_prep_save(value, connection)


def _reset_sequences(connection, models) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite takes the next id after the largest
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


# --- Timing ---------------------------------------------------------------------------------

def measure(member, admin, *, repeat: int) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from deposits.models import Work

    client = Client()
    client.force_login(admin)
    top = Work.objects.filter(owner=member).order_by("-cited_by_count", "doi").first()
    dashboard = reverse("citations:dashboard", args=[member.pk])
    pages = {
        "dashboard": (dashboard, False),
        "works_list": (dashboard + "?sort=count&type=journal-article&cited=cited&page=3", False),
        # A filter few works match: the list and its count scan the member's works (no index of
        # deposits' covers owner and year); shown, not in the last line.
        "works_list_year": (dashboard + "?sort=count&year=2003", False),
        "work_page": (reverse("citations:cited_by", args=[top.doi]), False),
        "participation": (reverse("citations:participation", args=[member.pk]), False),
        "csv_first_row": (reverse("citations:export", args=[member.pk, "csv"]), True),
    }
    print(f"most-cited work: {top.doi}, cited by {top.cited_by_count:,}", flush=True)
    results = {}
    for name, (url, streamed) in pages.items():
        get(client, url, streamed)  # warm: templates compiled, the database's pages cached
        reset_queries()  # each request starts the log afresh (request_started): a full one would hide them
        with CaptureQueriesContext(connection) as queries:
            get(client, url, streamed)
        counted = len(queries)  # now: the next request empties the connection's log this reads
        times = sorted(timed(client, url, streamed) for _ in range(repeat))
        results[name] = (statistics.median(times), percentile(times, 95))
        print(f"{name:15s} p50 {results[name][0]:8.1f} ms   p95 {results[name][1]:8.1f} ms   {counted:3d} queries   {url}", flush=True)
    print(f"dashboard_p95_ms={results['dashboard'][1]:.1f} works_list_p95_ms={results['works_list'][1]:.1f} "
          f"work_page_p95_ms={results['work_page'][1]:.1f}")


def get(client, url: str, streamed: bool) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if streamed:
        chunks = iter(response.streaming_content)
        next(chunks)  # the header line
        assert next(chunks)  # the first data row: the query has run
        response.close()
    else:
        assert response.content


def timed(client, url: str, streamed: bool) -> float:
    started = time.perf_counter()
    get(client, url, streamed)
    return (time.perf_counter() - started) * 1000


def percentile(ordered: list[float], p: float) -> float:
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


if __name__ == "__main__":
    main()
