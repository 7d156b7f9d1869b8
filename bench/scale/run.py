"""The registry at scale on the production stack: `make bench-scale` (BENCH_ARGS=--works 20000 for a small run).

Not a test (no timed assertions anywhere). On PostgreSQL and Redis (DATABASE_URL, REDIS_URL: the
Makefile gives a fresh database bench_scale and Redis database 14), it

1. generates the registry (bench/scale/generate.py: Crossref REST JSON Lines, 10 references a
   work with a power-law popularity; written once and kept under var/bench/scale/);
2. creates the members owning its prefixes (the first, the large publisher, with an admin, an API
   key and a widget key);
3. imports it with `manage.py import_works --with-references` (a process of its own, timed by the wall clock;
   bulk mode, as import_works chooses for a load into an empty registry, unless --no-bulk);
4. matches with the real pipeline: Celery workers consuming `match_works_task` chunks, as a
   deposit's or the reconciler's matching does. A slice of the works with 1 worker process, another
   slice of the same size with 2 (after an untimed warm-up, in halves ordered 1, 2, 2, 1; the members'
   dashboard figures are recounted after them, not in them), then the rest with 2;
5. serves the portal with gunicorn and times, with 8 keep-alive clients: the cited-by API (works
   cited a few times, each read once, and the most cited ones), and the widget's data uncached then cached; and
   in process (Django's test client, as bench-dashboard does) the large publisher's dashboard.

Each figure is printed as it comes. `--resume` goes on with a database a stopped run kept
(`BENCH_SCALE_KEEP=1`; run `python -m bench.scale.run --resume` with its DATABASE_URL and
REDIS_URL, since `make bench-scale` starts afresh): the rest of the matching, then the serving
figures. `--import-only` stops after the import (last line
`import_works_per_s= import_cpu_us_per_work= db_size_mb=`). The last line is `import_works_per_s= db_size_mb=
citedby_small_p95_ms= citedby_large_p95_ms= dashboard_p95_ms= widget_cached_p95_ms=
widget_uncached_p95_ms= match_refs_per_s_1w= match_refs_per_s_2w= speedup_2w=`.
Timings on a shared 2-core machine are noisy: read them with the load average it prints.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "var" / "bench" / "scale"
ORIGIN = "https://journal.example"
ADMIN, PASSWORD = "admin@scale-bench.example", "bench-scale-password-not-secret"
CLIENTS = 8
# Targets of issue 17 (item 3), printed beside the figures.
TARGETS = {"import_works_per_s": ">= 10,000", "citedby": "<= 30 ms", "widget_cached": "<= 10 ms", "speedup_2w": ">= 1.7"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--references", type=int, default=None, help="DOI references in all (default: 10 per work)")
    parser.add_argument("--slice", type=int, default=None, help="works matched in each timed slice (default: 2%% of the works, 2,000 to 20,000)")
    parser.add_argument("--import-workers", type=int, default=2, help="import_works --workers")
    parser.add_argument("--files", type=int, default=4, help="files the registry is written in (import_works parses files in parallel)")
    parser.add_argument("--requests", type=int, default=800, help="timed requests of each kind")
    parser.add_argument("--unstructured", type=float, default=0.9,
                        help="share of works also citing, by an unstructured string, something outside the registry (0: DOI references only)")
    parser.add_argument("--skip-rest", action="store_true", help="match only the two timed slices (the served figures then see part of the citations)")
    parser.add_argument("--import-only", action="store_true", help="stop after the import: its rate, CPU a work and the database's size")
    parser.add_argument("--no-bulk", action="store_true", help="import_works --no-bulk: the indexes kept up row by row (default: as import_works decides)")
    parser.add_argument("--resume", action="store_true",
                        help="go on with the database a stopped run kept (BENCH_SCALE_KEEP=1; run it without make, which "
                             "starts afresh): match what is still pending with 2 workers, then serve; no import, no timed slices")
    args = parser.parse_args()
    references = args.references or args.works * 10
    slice_size = args.slice or min(20_000, max(2_000, args.works // 50))
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name, "").startswith(("postgres", "redis")):
            sys.exit(f"bench-scale runs on the production configuration: set {name} (make bench-scale does)")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-scale-not-secret-" + "x" * 40)
    os.environ["PUBLIC_API_REQUESTS_PER_MINUTE"] = "0"  # all the traffic comes from one address
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    began = time.monotonic()
    say(f"machine: {os.cpu_count()} cores, load average {load()} (shared: every timing is noisy)")
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # the last run's queue and cache
    call_command("migrate", verbosity=0)
    say(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); broker and cache: Redis")

    figures: dict[str, float] = {}
    if args.resume:
        from deposits.models import Work

        keys = resumed_keys()
        say(f"resuming the kept registry: {Work.objects.count():,} works, {Work.objects.filter(match_pending=True).count():,} still pending")
        connection.close()
        match_rest()
    else:
        keys = build_and_match(args, references=references, slice_size=slice_size, figures=figures, began=began)
        if keys is None:
            return

    from citations.figures import refresh_member_figures
    from members.models import Member

    refresh_member_figures(member_ids=Member.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        figures["db_size_mb"] = cursor.fetchone()[0] / 1e6
        cursor.execute("SELECT count(*) FROM citations_citation")
        citations = cursor.fetchone()[0]
    say(f"citations: {citations:,}; db_size_mb={figures['db_size_mb']:,.0f}")
    connection.close()

    figures.update(serve(keys, requests=args.requests))
    figures["dashboard_p95_ms"] = dashboard(keys["member_id"], requests=min(args.requests, 60))
    say(f"total: {(time.monotonic() - began) / 60:.1f} min; load average {load()}")
    print(" ".join(f"{name}={figures.get(name, float('nan')):.{digits}f}" for name, digits in (
        ("import_works_per_s", 0), ("db_size_mb", 0), ("citedby_small_p95_ms", 1), ("citedby_large_p95_ms", 1),
        ("dashboard_p95_ms", 1), ("widget_cached_p95_ms", 2), ("widget_uncached_p95_ms", 1),
        ("match_refs_per_s_1w", 0), ("match_refs_per_s_2w", 0), ("speedup_2w", 2))), flush=True)


def build_and_match(args, *, references: int, slice_size: int, figures: dict, began: float) -> dict | None:
    """Generate, import and match (the timed slices, then the rest unless --skip-rest); the
    members' keys, or None after --import-only (its figures printed)."""
    from django.db import connection

    from bench.scale.generate import Shape, generate

    shape = Shape(works=args.works, references=references, unstructured=args.unstructured)
    started = time.monotonic()
    paths = generate(shape, DATA, log=say, files=args.files)
    say(f"registry: {args.works:,} works, ~{references:,} DOI references, {args.unstructured:.0%} of works with an "
        f"unstructured reference to a work outside it, {len(paths)} files, "
        f"{sum(p.stat().st_size for p in paths) / 1e6:,.0f} MB gzip, ready in {time.monotonic() - started:.0f} s")
    keys = setup_members(shape)
    connection.close()

    rate, cpu, line = run_import(paths, workers=args.import_workers, bulk=not args.no_bulk)
    figures["import_works_per_s"], figures["import_cpu_us_per_work"] = rate, cpu
    say(f"import: {line}")
    say(f"import_works_per_s={rate:,.0f} (target {TARGETS['import_works_per_s']})  (load {load()})")
    if args.import_only:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            figures["db_size_mb"] = cursor.fetchone()[0] / 1e6
        say(f"total: {(time.monotonic() - began) / 60:.1f} min; load average {load()}")
        print(f"import_works_per_s={rate:.0f} import_cpu_us_per_work={cpu:.0f} db_size_mb={figures['db_size_mb']:.0f}", flush=True)
        return None

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    figures.update(match(slice_size=slice_size, rest=not args.skip_rest))
    return keys


def say(text: str) -> None:
    print(text, flush=True)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --- Members --------------------------------------------------------------------------------

def setup_members(shape) -> dict:
    """The registry's members (the first prefix's, the large publisher, with an admin), its API
    key and widget key."""
    from bench.scale.generate import prefixes
    from members.services import member_create

    owned = prefixes(shape.members)
    press = member_create(name="Scale Bench Press", prefixes=owned[:1], admin_email=ADMIN, admin_password=PASSWORD).member
    for number, prefix in enumerate(owned[1:], 1):
        member_create(name=f"Scale Bench Member {number}", prefixes=[prefix])
    return {**_keys(press), "prefix": owned[0]}


def resumed_keys() -> dict:
    """A kept registry's large publisher, with an API key and a widget key of this run's own."""
    from members.models import Member

    return _keys(Member.objects.get(name="Scale Bench Press"), named=", resumed")


def _keys(press, *, named: str = "") -> dict:
    """A new API key (retrieve) and widget key of the large publisher, and how many members there are."""
    from members.models import Member
    from members.services import api_key_create, widget_key_create

    api_key = api_key_create(member=press, name=f"Scale bench platform{named}", scopes=["retrieve"], created_by=None).token
    widget_key = widget_key_create(member=press, name=f"Scale bench{named}", origins=ORIGIN, created_by=None).key
    return {"member_id": press.pk, "api_key": api_key, "widget_key": widget_key, "members": Member.objects.count()}


# --- Import ---------------------------------------------------------------------------------

def run_import(paths: list[Path], *, workers: int, bulk: bool) -> tuple[float, float, str]:
    """`manage.py import_works` in a process of its own; (works a second by the wall clock, CPU
    microseconds a work in all (nan when the server's is unknown), its summary)."""
    command = [sys.executable, "manage.py", "import_works", "--with-references", "--no-progress", *map(str, paths)]
    if workers > 1:
        command[4:4] = ["--workers", str(workers)]
    if not bulk:
        command[4:4] = ["--no-bulk"]
    import resource

    server_before = postgres_cpu_seconds()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"import_works failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    line = done.stdout.strip().splitlines()[-1]
    written = re.search(r"(\d+) created, (\d+) updated", line)
    works = int(written[1]) + int(written[2]) if written else 0
    # CPU seconds say what the import costs whatever else the machine runs; the wall clock on a
    # shared machine says mostly how busy it was. Its parsing processes (import_works and the
    # workers it forks), and the server's when it runs here (make services: its data under var/).
    python = (children.ru_utime - children_before.ru_utime) + (children.ru_stime - children_before.ru_stime)
    server = postgres_cpu_seconds()
    cpu = f"CPU: import_works processes {python:.1f} s"
    per_work = float("nan")
    if server is not None and server_before is not None:
        per_work = (python + server - server_before) / max(works, 1) * 1e6
        cpu += f", PostgreSQL {server - server_before:.1f} s; {per_work:,.0f} us a work in all"
    return works / seconds, per_work, f"{line} — wall {seconds:.1f} s; {cpu}"


def postgres_cpu_seconds() -> float | None:
    """CPU time of the PostgreSQL server under var/postgres (its postmaster, the backends it has
    reaped, and those alive), or None when it is not this machine's."""
    try:
        postmaster = int((ROOT / "var" / "postgres" / "postmaster.pid").read_text().split()[0])
        ticks = _cpu_ticks(postmaster, with_reaped=True)
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # gone meanwhile
                if int(fields[1]) == postmaster:
                    ticks += int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid: int, *, with_reaped: bool) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime, stime, then the children's it has waited for (cutime, cstime).
    return sum(int(value) for value in fields[11 : 15 if with_reaped else 13])


# --- Matching -------------------------------------------------------------------------------

def match(*, slice_size: int, rest: bool) -> dict[str, float]:
    """The pipeline's matching with 1 and 2 worker processes, each on its own slice of works;
    then (with `rest`) everything still pending with 2.

    A small untimed warm-up first (a cold database and page cache would count against whichever
    ran first), then the two in halves ordered 1, 2, 2, 1: each slice gets slower than the one
    before as links pile up (10-14% at 1M works), and in this order both counts' halves sit, on
    average, at the same point of the run (1, 2, 1, 2 put the 2-worker halves one half later).
    Each figure is its two halves' references over their seconds."""
    from deposits.models import Work

    pending = list(Work.objects.filter(match_pending=True).order_by("pk").values_list("pk", flat=True))
    warm_up, pending = pending[: max(slice_size // 10, 1)], pending[max(slice_size // 10, 1):]
    refs, seconds = match_with_workers(warm_up, processes=2, env=NO_FIGURES)
    drop_figures_requests()
    say(f"matching warm-up (untimed), 2 worker processes: {len(warm_up):,} works, {refs:,} references in {seconds:.1f} s")
    say("  (the timed slices leave the members' dashboard figures out: a recount asked for in one slice was "
        "taken up first by the next slice's worker, 26 s at 1M works; they are recounted once, after matching)")
    # Every fourth work of the start: the four halves see the same mix of popular and rare works.
    rounds = [(1, pending[0 : slice_size * 2 : 4]), (2, pending[1 : slice_size * 2 : 4]),
              (2, pending[2 : slice_size * 2 : 4]), (1, pending[3 : slice_size * 2 : 4])]
    totals = {1: [0, 0, 0.0], 2: [0, 0, 0.0]}  # processes: works, references, seconds
    for processes, work_ids in rounds:
        refs, seconds = match_with_workers(work_ids, processes=processes, env=NO_FIGURES)
        drop_figures_requests()
        total = totals[processes]
        total[0] += len(work_ids)
        total[1] += refs
        total[2] += seconds
        say(f"  {processes} worker process{'es' if processes > 1 else ''}: {len(work_ids):,} works, {refs:,} references "
            f"settled in {seconds:.1f} s ({refs / max(seconds, 1e-9):,.0f}/s, load {load()})")
    figures = {}
    for processes, (works, refs, seconds) in totals.items():
        figures[f"match_refs_per_s_{processes}w"] = refs / seconds
        say(f"matching, {processes} worker process{'es' if processes > 1 else ''}: {works:,} works, "
            f"{refs:,} references settled in {seconds:.1f} s; match_refs_per_s_{processes}w={refs / seconds:,.0f}")
    figures["speedup_2w"] = figures["match_refs_per_s_2w"] / figures["match_refs_per_s_1w"]
    say(f"speedup_2w={figures['speedup_2w']:.2f} (target {TARGETS['speedup_2w']})")
    if rest:
        match_rest()
    return figures


def match_rest() -> None:
    """Everything still pending, with 2 worker processes (the members' figures recounted as they come)."""
    from deposits.models import Work

    left = list(Work.objects.filter(match_pending=True).order_by("pk").values_list("pk", flat=True))
    refs, seconds = match_with_workers(left, processes=2, every_pending=True)
    say(f"matching the rest, 2 worker processes: {len(left):,} works, {refs:,} references settled in {seconds:.0f} s "
        f"({refs / max(seconds, 1e-9):,.0f}/s)")


# The timed slices' workers put the members' figures recounts (debounced after each chunk) off
# beyond the slice's end; `drop_figures_requests` then drops them untimed.
NO_FIGURES = {"MEMBER_FIGURES_DEBOUNCE_SECONDS": str(24 * 3600)}


def drop_figures_requests() -> None:
    """Drop the figures recounts the last slice asked for (its worker handed them back to the
    queue when it stopped): the next slice's worker would take them up first."""
    from citations.figures import forget_requests
    from members.models import Member
    from portal.celery import app

    app.control.purge()
    forget_requests(member_ids=Member.objects.values_list("pk", flat=True))


def settled() -> int:
    """References the matcher has decided on: linked (or flagged) and left unmatched with a reason."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM citations_citation) + (SELECT count(*) FROM citations_unmatchedreference)")
        return cursor.fetchone()[0]


def match_with_workers(work_ids: list[int], *, processes: int, env: dict | None = None, every_pending: bool = False) -> tuple[int, float]:
    """Queue these works' matching in the pipeline's chunks, start a Celery worker of `processes`
    processes, wait until every work's match_pending is cleared; (references settled, seconds).

    `every_pending`: these are all the works pending, so the wait asks whether any work is still
    pending at all (and counts them each minute, for the progress it prints), not which of the
    hundreds of thousands given are."""
    from django.conf import settings
    from django.db import connection

    from citations.tasks import match_works_task
    from deposits.models import Work

    before = settled()
    size = settings.MATCHING_CHUNK_SIZE
    for start in range(0, len(work_ids), size):
        match_works_task.delay(work_ids[start : start + size])
    logs = open(DATA / f"worker-{processes}.log", "w")  # noqa: SIM115 (kept for reading after)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency", str(processes), "--prefetch-multiplier", "1",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "-n", f"scale{processes}@%h"],
        cwd=ROOT, env={**os.environ, "LOG_LEVEL": "WARNING", **(env or {})}, stdout=logs, stderr=subprocess.STDOUT,
    )
    try:
        # Timed from when the worker answers: its start (imports, connections) is not matching.
        from portal.celery import app

        deadline = time.monotonic() + 120
        while not app.control.ping(timeout=0.5) and time.monotonic() < deadline:
            if worker.poll() is not None:
                sys.exit(f"the Celery worker stopped (exit {worker.returncode}): see {logs.name}")
        started = said = time.monotonic()
        remaining = set(work_ids)
        left = len(remaining)
        while left:
            if worker.poll() is not None:
                sys.exit(f"the Celery worker stopped (exit {worker.returncode}): see {logs.name}")
            time.sleep(5 if every_pending else 1)  # (a poll takes a share of the cores the workers use)
            if every_pending:
                pending = Work.objects.filter(match_pending=True)
                if time.monotonic() - said < 60:
                    # Whether any is left: the first pending row. Counting them every poll cost
                    # PostgreSQL a parallel scan of the works (350 ms, 3 processes, while most
                    # were pending): about a tenth of the cores the workers were timed on.
                    left = int(pending.exists())
                    continue
                left = pending.count()
                said = time.monotonic()
                done = len(work_ids) - left
                say(f"    {done:,} of {len(work_ids):,} works matched in {said - started:,.0f} s "
                    f"({done / (said - started):,.0f} works/s, load {load()})")
                continue
            ids = list(remaining)
            remaining = set()
            for at in range(0, len(ids), 10_000):
                remaining.update(Work.objects.filter(pk__in=ids[at : at + 10_000], match_pending=True).values_list("pk", flat=True))
            left = len(remaining)
        seconds = time.monotonic() - started
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
        logs.close()
    refs = settled() - before
    connection.close()
    return refs, seconds


# --- Serving --------------------------------------------------------------------------------

def serve(keys: dict, *, requests: int) -> dict[str, float]:
    """The cited-by API (small and large lists) and the widget's data (uncached, cached) under
    gunicorn, `CLIENTS` concurrent keep-alive clients."""
    from django.core.cache import cache
    from django.db import connection

    from bench.serving import THREADS, WORKERS, gunicorn, hammer, percentile
    from deposits.models import Work

    press = Work.objects.filter(owner_id=keys["member_id"])
    # Short lists: each asked once (the warm-up's own first), so every timed read is a first read.
    small = list(press.filter(cited_by_count__range=(1, 5)).order_by("?").values_list("doi", flat=True)[:requests + CLIENTS * 4])
    large = list(press.order_by("-cited_by_count").values_list("doi", "cited_by_count")[:20])
    widget = list(press.filter(cited_by_count__gte=1).order_by("?").values_list("doi", flat=True)[:requests])
    connection.close()
    if not small or not large or not widget:
        sys.exit("no cited works of the large publisher: did matching run?")
    say(f"large lists: the {len(large)} most cited works of the publisher, cited by {large[-1][1]:,} to {large[0][1]:,}")
    bearer = {"Authorization": f"Bearer {keys['api_key']}"}
    rng = random.Random(17)
    figures = {}

    def report(name: str, samples: list[float], target: str = "") -> float:
        p95 = percentile(samples, 95)
        say(f"{name}: n={len(samples)} p50={statistics.median(samples):.2f} ms p95={p95:.2f} ms{f' (target {target})' if target else ''}  (load {load()})")
        return p95

    with gunicorn({"LOG_LEVEL": "WARNING"}) as port:
        say(f"server: gunicorn, {WORKERS} processes x {THREADS} threads; clients: {CLIENTS} concurrent, keep-alive")
        citedby = [(f"/api/v1/works/{quote(doi, safe='/')}/cited-by", bearer) for doi in small]
        hammer(port, citedby[: CLIENTS * 4], clients=CLIENTS)  # warm: every thread has its connection and imports
        samples, _, _ = hammer(port, citedby[CLIENTS * 4:], clients=CLIENTS)
        figures["citedby_small_p95_ms"] = report("citedby_small_p95_ms", samples, TARGETS["citedby"])
        heavy = [(f"/api/v1/works/{quote(doi, safe='/')}/cited-by", bearer) for doi, _ in large]
        samples, _, _ = hammer(port, [heavy[rng.randrange(len(heavy))] for _ in range(requests)], clients=CLIENTS)
        figures["citedby_large_p95_ms"] = report("citedby_large_p95_ms", samples, TARGETS["citedby"])
        asked = {"Origin": ORIGIN}
        paths = [(f"/widget/v1/data/{quote(doi, safe='/')}?key={keys['widget_key']}", asked) for doi in widget]
        cache.clear()  # the queue is empty by now: matching is over
        samples, _, _ = hammer(port, paths, clients=CLIENTS)
        figures["widget_uncached_p95_ms"] = report("widget_uncached_p95_ms", samples)
        samples, _, _ = hammer(port, [paths[rng.randrange(len(paths))] for _ in range(requests * 4)], clients=CLIENTS)
        figures["widget_cached_p95_ms"] = report("widget_cached_p95_ms", samples, TARGETS["widget_cached"])
    return figures


def dashboard(member_id: int, *, requests: int) -> float:
    """The large publisher's dashboard home, signed in as its admin, in process (as bench-dashboard times it)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from bench.dashboard.run import get, timed
    from bench.serving import percentile

    settings.ALLOWED_HOSTS = ["*"]
    # Rendered without collectstatic (as the tests and bench-dashboard do): plain static file names.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    client = Client()
    client.force_login(get_user_model().objects.get(email=ADMIN))
    url = reverse("citations:dashboard", args=[member_id])
    get(client, url, False)  # warm
    samples = [timed(client, url, False) for _ in range(requests)]
    p95 = percentile(samples, 95)
    say(f"dashboard_p95_ms: n={len(samples)} p50={statistics.median(samples):.1f} ms p95={p95:.1f} ms  (load {load()})")
    return p95


if __name__ == "__main__":
    main()
