"""How the retrieval APIs hold up: `python -m bench.api [--works N --citations M]` (`make bench-api`).

Not a test (no timed assertions anywhere). Fills a database (SQLite in var/bench/ unless
DATABASE_URL names another) with N works (100,000) and M counted citations (1,000,000, each with
its reference row; one work is cited `--hot` = 1,000 times; the rest spread over the year), written
in bulk (PostgreSQL's COPY, SQLite's executemany) and kept between runs. Then serves the portal
with gunicorn as production does (the settings' own database connections and cache: a table on
the embedded default, Redis when REDIS_URL is set) and times, with `--clients` (8) concurrent
keep-alive clients, four kinds of request:

- `GET /works/{doi}` of random works, each once and first read through Django (their cached
  answers are forgotten first; public, through its rate limit),
- the first page (50) of `GET /api/v1/works/{doi}/cited-by` for the work cited 1,000 times (API key),
- `citedby-small`: the same for works of few citations (M / N each), each asked once, so each is a
  first read through Django (their cached pages are forgotten first), as bench-scale's citedby_small,
- `GET /servlet/getForwardLinks` for one prefix over one month (API key as usr/pwd).

Prints median and 95th-percentile milliseconds of each, and the CPU milliseconds per request of
the server's processes: gunicorn's, and PostgreSQL's and Redis's when they run on this machine
(from /proc, ended children included). On two cores shared by 8 clients, latency is a few times
the CPU of a request, and unlike latency the CPU hardly moves with the machine's other work. The
last line is `works_p95_ms= citedby_p95_ms= forwardlinks_p95_ms= citedby_small_p95_ms=
works_cpu_ms= citedby_small_cpu_ms=` (cpu: gunicorn, PostgreSQL and Redis together).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = [f"10.{5000 + i}" for i in range(5)]
YEAR_START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
DATA_VERSION = "2"  # bump when fill() writes different data: a kept database is then filled again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--citations", type=int, default=1_000_000)
    parser.add_argument("--hot", type=int, default=1_000, help="citations of the work whose cited-by page is timed")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn processes (gunicorn.conf.py's default)")
    parser.add_argument("--threads", type=int, default=None, help="threads per gunicorn process")
    parser.add_argument("--only", choices=["works", "citedby", "forwardlinks", "citedby-small"], action="append", help="time only these kinds")
    parser.add_argument("--requests", type=int, default=400, help="requests of each kind (getForwardLinks: one per client), shared by the clients")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    path = ROOT / "var" / "bench" / f"api-{args.works}-{args.citations}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{path}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-api-not-secret-" + "x" * 40)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    filled = fill(works=args.works, citations=args.citations, hot=args.hot)
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
          f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
          f"conn_max_age: {settings.DATABASES['default']['CONN_MAX_AGE']}", flush=True)
    print(f"data: {args.works:,} works, {args.citations:,} citations, "
          f"{'filled' if filled else 'kept from an earlier run, checked'} in {time.perf_counter() - started:.0f} s", flush=True)
    from members.machine_auth import split_key

    from bench import serving
    from bench.serving import described, gunicorn, hammer, percentile, server_cpu_s

    shape = {name: str(value) for name, value in (("WEB_CONCURRENCY", args.workers), ("WEB_THREADS", args.threads)) if value}

    token = retrieve_key()
    key_id = split_key(token)[0]
    connection.close()
    rng = random.Random(7)

    # Random works, each once: every read goes through Django (their cached answers are forgotten
    # first), as a registry's long tail is read, not the same few works again and again.
    drawn = rng.sample(range(args.works), min(args.requests + args.clients * 2, args.works))

    def works() -> tuple[str, dict]:
        i = drawn.pop()
        return f"/works/{PREFIXES[i % 5]}/bench.{i}", {}

    def citedby() -> tuple[str, dict]:
        return f"/api/v1/works/{PREFIXES[0]}/bench.0/cited-by", {"Authorization": f"Bearer {token}"}

    # Works of the key's member (prefix 0) other than the hot one, each once, in a random order.
    small = random.Random(17).sample(range(5, args.works, 5), min(args.requests + args.clients * 2, len(range(5, args.works, 5))))

    def citedby_small() -> tuple[str, dict]:
        return f"/api/v1/works/{PREFIXES[0]}/bench.{small.pop()}/cited-by", {"Authorization": f"Bearer {token}"}

    def forwardlinks() -> tuple[str, dict]:
        query = urlencode({"usr": key_id, "pwd": token, "doi": PREFIXES[0], "startDate": "2026-03-01", "endDate": "2026-03-31"})
        return f"/servlet/getForwardLinks?{query}", {}

    kinds = {"works": (works, args.requests), "citedby": (citedby, args.requests),
             # A prefix-month is ~17,000 links, 10 MB of XML: each client asks once.
             "forwardlinks": (forwardlinks, args.clients), "citedby-small": (citedby_small, args.requests)}
    p95 = dict.fromkeys(kinds, float("nan"))
    cpu = dict.fromkeys(kinds, float("nan"))
    servers = {"PostgreSQL": _postgresql_pid(), "Redis": _redis_pid()}
    from django.core.cache import cache

    from citations.work_json import cache_key, cited_by_page_key

    # An earlier run's answers, forgotten: each timed read is a first read.
    cache.delete_many([cited_by_page_key(doi=f"{PREFIXES[0]}/bench.{i}") for i in small]
                      + [cache_key(f"{PREFIXES[i % 5]}/bench.{i}") for i in drawn])
    with gunicorn(shape) as port:
        print(f"server: {described(shape)} (gunicorn.conf.py); clients: {args.clients} concurrent keep-alive connections, one thread", flush=True)
        for name, (make, count) in kinds.items():
            if args.only and name not in args.only:
                continue
            # Not timed: every worker thread has imported what the route needs and holds its connection.
            if name != "forwardlinks":  # (its own size makes warming it up pointless)
                hammer(port, [make() for _ in range(args.clients * 2)], clients=args.clients)
            requests = [make() for _ in range(count)]
            pids = {process: pid for process, pid in {"gunicorn": serving.server_pid, **servers}.items() if pid}
            started = {process: server_cpu_s(pid) for process, pid in pids.items()}
            timings, sizes, _ = hammer(port, requests, clients=args.clients)
            used = {process: (server_cpu_s(pids[process]) - before) * 1000 / len(timings) for process, before in started.items()}
            cpu[name] = sum(used.values())
            p95[name] = percentile(timings, 95)
            print(f"{name:13s} n={len(timings):4d}  median={statistics.median(timings):8.1f} ms  p95={p95[name]:8.1f} ms"
                  f"  ({statistics.median(sizes):,.0f} bytes; clients' CPU {serving.last_client_cpu_ms:.2f} ms each)", flush=True)
            print(f"{'':13s} server CPU per request: {cpu[name]:.2f} ms = "
                  + " + ".join(f"{process} {ms:.2f}" for process, ms in used.items()), flush=True)
    print(f"works_p95_ms={p95['works']:.1f} citedby_p95_ms={p95['citedby']:.1f} forwardlinks_p95_ms={p95['forwardlinks']:.1f} "
          f"citedby_small_p95_ms={p95['citedby-small']:.1f} works_cpu_ms={cpu['works']:.2f} citedby_small_cpu_ms={cpu['citedby-small']:.2f}")


def _postgresql_pid() -> int | None:
    """The PostgreSQL server's main process (its connections' parent), if it runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    connection.close()
    try:
        with open(f"/proc/{backend}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[1])
    except OSError:
        return None


def _redis_pid() -> int | None:
    """The Redis server's process, if the cache is Redis on this machine."""
    from django.conf import settings

    if not settings.REDIS_URL:
        return None
    import redis

    pid = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).info("server").get("process_id")
    return pid if pid and os.path.exists(f"/proc/{pid}") else None


def fill(*, works: int, citations: int, hot: int) -> bool:
    """Works under 5 prefixes (work i: 10.500{i%5}/bench.i, owned by member i%5); citation j is
    reference j of citing work 2 + (j // 10) and cites work 0 (pk 1) for the first `hot`, else a
    spread work. False when an earlier run's data are there already."""
    from django.db import connection, transaction

    from citations.models import Citation
    from deposits.models import Reference, Work
    from members.models import Member, Prefix

    marker = f"{DATA_VERSION}:{works}:{citations}:{hot}"
    if Member.objects.filter(name=f"Bench data {marker}").exists():
        return False
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (Citation, Reference, Work):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"TRUNCATE {table} CASCADE" if connection.vendor == "postgresql" else f"DELETE FROM {table}")
    Member.objects.filter(name__startswith="Bench data ").delete()
    owners = []
    for i, prefix in enumerate(PREFIXES):
        member, _ = Member.objects.get_or_create(name=f"Bench member {i}")
        Prefix.objects.get_or_create(value=prefix, defaults={"member": member})
        owners.append(member.pk)
    now = datetime.datetime.now(datetime.timezone.utc)
    types = ["journal-article"] * 7 + ["book-chapter", "proceedings-article", "posted-content"]

    def work_rows():
        for i in range(works):
            contributors = json.dumps([{"given_name": "Ada", "surname": f"Author{i % 1000}", "sequence": "first", "role": "author"}])
            yield (i + 1, f"{PREFIXES[i % 5]}/bench.{i}", types[i % 10], f"Bench work {i}", "", contributors, f"Journal {i % 97}",
                   "", "", str(i % 40), "", str(i % 300), "", 1950 + (i * 7) % 75, "", "", "", "", owners[i % 5],
                   now, now, 10, hot if i == 0 else (i * 31) % 97, 0, False)

    def reference_rows():
        for j in range(citations):
            citing, cited = _link(j, works=works, hot=hot)
            yield (j + 1, citing, f"r{j}", j + 1, f"{PREFIXES[(cited - 1) % 5]}/bench.{cited - 1}",
                   "", "", "", "", "", "", "", "", "", "", "", "", "", "", "")

    def citation_rows():
        for j in range(citations):
            citing, cited = _link(j, works=works, hot=hot)
            created = YEAR_START + datetime.timedelta(minutes=(j * 37) % (365 * 24 * 60))
            yield (j + 1, j + 1, citing, cited, "publisher-doi", None, "[]", "", "linked", created)

    work_columns = ("id", "doi", "type", "title", "subtitle", "contributors", "container_title", "issn", "isbn", "volume",
                    "issue", "first_page", "last_page", "publication_year", "published_print", "published_online",
                    "publisher", "resource_url", "owner_id", "created", "updated", "references_count", "cited_by_count",
                    "linked_references_count", "match_pending")
    reference_columns = ("id", "citing_work_id", "key", "position", "doi", "unstructured", "journal_title", "author",
                         "volume", "issue", "first_page", "year", "article_title", "issn", "isbn", "series_title",
                         "volume_title", "edition_number", "component_number", "type")
    citation_columns = ("id", "reference_id", "citing_work_id", "cited_work_id", "method", "score", "agreed", "note",
                        "status", "created")
    # The rows are consistent by construction: checking 4 million foreign keys at COMMIT would
    # take longer than writing them (SQLite: checks off outside the transaction; PostgreSQL: a
    # superuser's session skips the FK triggers for this transaction only).
    with connection.constraint_checks_disabled(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    cursor.execute("SET LOCAL session_replication_role = replica")
        for model, columns, rows in ((Work, work_columns, work_rows()), (Reference, reference_columns, reference_rows()),
                                     (Citation, citation_columns, citation_rows())):
            _bulk_write(model._meta.db_table, columns, rows)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Work, Reference, Citation):  # the sequences go on after the ids written
                    table = model._meta.db_table
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        Member.objects.create(name=f"Bench data {marker}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  wrote {works:,} works, {citations:,} references and citations in {time.perf_counter() - started:.0f} s", flush=True)
    return True


def _link(j: int, *, works: int, hot: int) -> tuple[int, int]:
    """(citing pk, cited pk) of citation j."""
    citing = 2 + (j // 10) % (works - 1)  # work pk 1 (bench.0, the hot one) cites nothing
    cited = 1 if j < hot else 1 + (j * 7919) % works
    if cited == citing:
        cited = 1 + cited % works
    return citing, cited


def _bulk_write(table: str, columns: tuple[str, ...], rows) -> None:
    """Rows into `table` the fastest way each database has: COPY on PostgreSQL, executemany in
    chunks on SQLite (its JSON and dates as the text Django itself stores)."""
    from django.db import connection

    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        chunk = []
        for row in rows:
            chunk.append(tuple(_sqlite_value(v) for v in row))
            if len(chunk) == 20_000:
                cursor.executemany(sql, chunk)
                chunk = []
        cursor.executemany(sql, chunk)


def _sqlite_value(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat(" ")
    return value


def retrieve_key() -> str:
    from members.models import APIKey, Member
    from members.services import api_key_create

    member = Member.objects.get(name="Bench member 0")
    APIKey.objects.filter(member=member).delete()
    return api_key_create(member=member, name="bench", scopes=["retrieve"], created_by=None).token


if __name__ == "__main__":
    main()
