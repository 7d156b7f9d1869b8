"""How fast deposits go through: `make bench-deposit` (`python -m bench.deposit.run [--postgres URL]`).

Not a test (no timed assertions anywhere). Generates (once, kept under var/bench/deposit/) deposit
files of `--articles` (1,000) journal articles with `--refs` (40) references each: a mix of
structured journal references (ISSN, volume, page, year), references with a DOI, book references
with an ISBN and unstructured ones, as members deposit them. Then measures, on one core:

- parse+validate: `check_structure`'s streaming pass (what the upload form runs) plus reading
  every record with its values checked (`read_deposit`, what the worker runs), in this process;
  its CPU time (one core; wall time says more about the neighbours on a shared machine), best
  of `--repeat` (3) runs;
- apply: `deposit_process` of one file in a fresh subprocess against a freshly migrated database,
  SQLite under var/bench/deposit/ and, with `--postgres URL`, PostgreSQL (a database
  `bench_deposit` created afresh on that server); the time the worker spends after the file has
  been read (its parse is the phase above), i.e. checks, writes, results, transactions, signals
  (the search index included). Measured two ways: CPU time (the worker's, plus on PostgreSQL
  that of the server backend serving it, read from /proc: one core's work, what the targets
  mean) and wall time (which on a shared machine says as much about the neighbours). The
  worker's one-time load of the LTWA list (the search index's journal abbreviations, seconds,
  once per worker process whatever it then processes) is done and timed before, not counted;
- peak memory: the maximum RSS (`resource.getrusage(...).ru_maxrss`) of a fresh worker subprocess
  that processes 1 file and of one that processes `--files` (10) files, one after the other, on SQLite.

The last line is `parse_refs_per_s= apply_refs_per_s= peak_rss_mb=`, where apply is the CPU-time
rate of the slower database and peak_rss_mb that of the 10 files (the wall-time rates, the 1-file
figure and the ratio are printed above).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "bench" / "deposit"
PREFIX = "10.5555"
GENERATOR_VERSION = 1  # bump when the generated files change, so cached ones are remade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--refs", type=int, default=40, help="references per article")
    parser.add_argument("--files", type=int, default=10, help="files of the larger peak-memory run")
    parser.add_argument("--repeat", type=int, default=3, help="parse runs (the best counts)")
    parser.add_argument("--postgres", default="", help="postgres://user@host:port/ of a server to apply on too")
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)  # internal: DATABASE_URL of a worker run
    parser.add_argument("--worker-files", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    paths = [deposit_file(index, articles=args.articles, refs=args.refs) for index in range(args.files)]
    if args.worker:
        worker(args.worker, paths[: args.worker_files])
        return
    references = args.articles * args.refs
    size_mb = paths[0].stat().st_size / 1e6
    print(f"data: {args.articles} articles x {args.refs} references = {references} references per file "
          f"({size_mb:.1f} MB); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (noisy if others run)", flush=True)

    parse_s = min(parse_once(paths[0]) for _ in range(args.repeat))
    parse_rate = references / parse_s
    print(f"parse+validate: {references} references in {parse_s:.2f} s = {parse_rate:,.0f} references/s "
          f"(structure pass + records with values checked; CPU time of this process, best of {args.repeat})", flush=True)
    check_s = min(parse_once(paths[0], records=False) for _ in range(args.repeat))
    print(f"  of which the upload form's structure pass alone: {check_s:.2f} s = {references / check_s:,.0f} references/s; "
          f"the worker's reading of the records: {parse_s - check_s:.2f} s = {references / (parse_s - check_s):,.0f} references/s",
          flush=True)

    apply_rates = {}
    sqlite = run_worker(fresh_sqlite("apply"), files=1)
    apply_rates["sqlite"] = report_apply("SQLite", sqlite)
    if args.postgres:
        apply_rates["postgresql"] = report_apply("PostgreSQL", run_worker(fresh_postgres(args.postgres), files=1))
    else:
        print("apply on PostgreSQL: not measured (no --postgres URL; `make bench-deposit` starts a server)", flush=True)

    one_mb = sqlite["peak_rss_kb"] / 1024
    many = run_worker(fresh_sqlite("rss"), files=args.files)
    many_mb = many["peak_rss_kb"] / 1024
    print(f"peak RSS (worker subprocess, SQLite): 1 file {one_mb:.0f} MB; {args.files} files {many_mb:.0f} MB "
          f"= {many_mb / one_mb:.2f}x the 1-file figure", flush=True)
    slowest = min(apply_rates.values())
    print(f"parse_refs_per_s={parse_rate:.0f} apply_refs_per_s={slowest:.0f} peak_rss_mb={many_mb:.0f}")


# --- the files -------------------------------------------------------------------------------------


def deposit_file(index: int, *, articles: int, refs: int) -> Path:
    """File `index` of the set (its own DOIs, so each file registers new works); made once."""
    path = OUT / f"v{GENERATOR_VERSION}-{articles}x{refs}-{index}.xml"
    if path.exists():
        return path
    from tests.xmlbuild import journal_article_deposit

    rng = random.Random(index)
    items = []
    for number in range(articles):
        items.append({
            "doi": f"{PREFIX}/bench.{index}.{number}",
            "title": f"On the measurement of deposit number {number} in file {index}",
            "authors": [("Ada", f"Author{rng.randrange(10_000)}"), ("Ben", f"Writer{rng.randrange(10_000)}")],
            "year": str(2000 + number % 25),
            "volume": str(1 + number // 100),
            "issue": str(1 + number // 25 % 4),
            "first_page": str(1 + number * 10),
            "timestamp": 20260101000000 + index,
            "references": [reference(rng, position) for position in range(1, refs + 1)],
        })
    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(journal_article_deposit(items, doi_batch_id=f"bench-{index}", timestamp=20260101000000 + index))
    partial.rename(path)
    return path


# Valid ISSNs and ISBNs (check digits right), so the values are checked and accepted.
ISSNS = ["0028-0836", "0036-8075", "1476-4687", "0092-8674", "1095-9203", "0140-6736"]
ISBNS = ["9780306406157", "9783161484100", "0306406152", "9780262033848"]


def reference(rng: random.Random, position: int) -> dict:
    kind = rng.random()
    year = str(rng.randrange(1950, 2026))
    if kind < 0.4:  # structured journal reference
        return {"key": f"ref{position}", "issn": rng.choice(ISSNS), "journal_title": "Journal of Things",
                "author": f"Smith{rng.randrange(1000)}", "volume": str(rng.randrange(1, 300)),
                "first_page": str(rng.randrange(1, 2000)), "year": year,
                "article_title": f"A study of item {rng.randrange(100_000)}"}
    if kind < 0.7:  # with a DOI
        return {"key": f"ref{position}", "doi": f"10.{rng.randrange(1000, 9999)}/x.{rng.randrange(10**6)}",
                "author": f"Jones{rng.randrange(1000)}", "year": year}
    if kind < 0.8:  # a book
        return {"key": f"ref{position}", "isbn": rng.choice(ISBNS), "volume_title": "A Book of Methods",
                "author": f"Brown{rng.randrange(1000)}", "year": year}
    return {"key": f"ref{position}", "unstructured": f"Miller A{rng.randrange(1000)}, Lee B. Findings on topic "
            f"{rng.randrange(100_000)}. Some Journal {rng.randrange(1, 80)}, {rng.randrange(1, 900)} ({year})."}


# --- parse+validate -------------------------------------------------------------------------------


def parse_once(path: Path, *, records: bool = True) -> float:
    from deposits.xml import check_file, read_deposit

    started = time.process_time()
    with path.open("rb") as handle:
        errors = check_file(handle, max_bytes=10 * 1024 * 1024, references_only=False)
    if errors:
        raise SystemExit(f"{path}: the generated file has structural problems: {errors[:3]}")
    if not records:
        return time.process_time() - started
    with path.open("rb") as handle:  # what the worker runs (services._read_whole_file)
        _head, records = read_deposit(handle, max_bytes=10 * 1024 * 1024)
    elapsed = time.process_time() - started
    bad = [record for record in records if not hasattr(record, "references")]
    if bad:
        raise SystemExit(f"{path}: {len(bad)} records failed to parse, e.g. {bad[0]}")
    return elapsed


# --- apply (worker subprocesses) --------------------------------------------------------------------


def fresh_sqlite(name: str) -> str:
    path = OUT / f"{name}.sqlite3"
    for stale in OUT.glob(path.name + "*"):
        stale.unlink()
    return f"sqlite:///{path}"


def fresh_postgres(server: str) -> str:
    import psycopg

    server = server.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS bench_deposit")
        connection.execute("CREATE DATABASE bench_deposit")
    return f"{server}/bench_deposit"


def run_worker(database_url: str, *, files: int) -> dict:
    command = [sys.executable, "-m", "bench.deposit.run", "--worker", database_url, "--worker-files", str(files),
               *sys.argv[1:]]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"worker run failed ({database_url}):\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(connection) -> float:
    """CPU seconds so far of the PostgreSQL backend process serving `connection` (from /proc: the
    server runs on this machine), 0 for SQLite, which works inside the worker's own process."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def report_apply(name: str, result: dict) -> float:
    apply_s = result["total_s"] - result["read_s"]
    rate = result["references"] / apply_s
    worker_cpu_s = result["cpu_s"] - result["read_cpu_s"]
    cpu_s = worker_cpu_s + result["server_cpu_s"]
    cpu_rate = result["references"] / cpu_s
    server = f" + its PostgreSQL backend {result['server_cpu_s']:.2f} s" if result["vendor"] == "postgresql" else ""
    print(f"apply on {name} ({result['vendor']}, fresh database): {result['references']} references of "
          f"{result['records']} records: CPU time {cpu_s:.2f} s (worker {worker_cpu_s:.2f} s{server}) = "
          f"{cpu_rate:,.0f} references/s; wall time {apply_s:.2f} s = {rate:,.0f} references/s "
          f"(worker total with its read {result['total_s']:.2f} s wall; once per worker process, not counted: "
          f"loading the LTWA list {result['startup_s']:.2f} s; {result['statuses']})", flush=True)
    return cpu_rate


def worker(database_url: str, paths: list[Path]) -> None:
    """One worker process: a fresh database, then `deposit_process` of each file. Prints JSON."""
    work_dir = OUT / f"worker-{os.getpid()}"  # its own files and queue, whatever else runs
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query in memory
    os.environ["MEDIA_ROOT"] = str(work_dir / "media")
    os.environ["CELERY_BROKER_URL"] = "filesystem://localhost/"  # matching tasks are queued, not run
    os.environ["CELERY_BROKER_FOLDER"] = str(work_dir / "broker")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection

    from deposits import services
    from deposits.models import Deposit, RecordResult
    from members.models import Member, Prefix

    call_command("migrate", verbosity=0)
    # Once per worker process, not per deposit: the search index's ISO 4 abbreviations load the
    # LTWA list (seconds) on first use. Timed here and reported apart, not charged to apply.
    started = time.perf_counter()
    from citations.matching.text import iso4_abbreviation

    iso4_abbreviation("Journal of Things")
    startup_s = time.perf_counter() - started
    member = Member.objects.create(name="Bench publisher")
    Prefix.objects.create(value=PREFIX, member=member)
    read_s = 0.0
    read = services._read_whole_file

    read_cpu_s = 0.0

    def timed_read(deposit):  # the worker's parse, measured apart from its apply
        nonlocal read_s, read_cpu_s
        started, cpu_started = time.perf_counter(), _cpu()
        try:
            return read(deposit)
        finally:
            read_s += time.perf_counter() - started
            read_cpu_s += _cpu() - cpu_started

    services._read_whole_file = timed_read
    total_s = 0.0
    server_cpu_s = 0.0  # the PostgreSQL backend serving this process (same machine), 0 on SQLite
    cpu_s = 0.0  # this process's CPU time (user + system) over the same spans: not the database server's
    references = 0
    deposits = []
    for path in paths:
        content = path.read_bytes()
        deposit = Deposit(member=member, filename=path.name, size=len(content), operation=Deposit.Operation.METADATA,
                          sha256=path.name)
        deposit.file.save(path.name, ContentFile(content), save=False)
        deposit.save()
        del content
        server_started = _server_cpu(connection)
        started, cpu_started = time.perf_counter(), _cpu()
        services.deposit_process(deposit_id=deposit.pk)
        total_s += time.perf_counter() - started
        cpu_s += _cpu() - cpu_started
        server_cpu_s += _server_cpu(connection) - server_started
        deposits.append(deposit.pk)
    statuses = {}
    for status in RecordResult.objects.filter(deposit__in=deposits).values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    from deposits.models import Reference

    references = Reference.objects.count()
    print(json.dumps({
        "vendor": connection.vendor, "records": sum(statuses.values()), "references": references, "statuses": statuses,
        "total_s": total_s, "read_s": read_s, "cpu_s": cpu_s, "read_cpu_s": read_cpu_s, "startup_s": startup_s,
        "server_cpu_s": server_cpu_s,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))
    shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
