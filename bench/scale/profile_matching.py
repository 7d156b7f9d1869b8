"""CPU a work of the matching pipeline, in this process, on the registry bench-scale kept:
`python -m bench.scale.profile_matching --chunks 5` (DATABASE_URL: e.g. bench_scale after
`make bench-scale BENCH_SCALE_KEEP=1 BENCH_ARGS="--works 1000000 --import-only"`).

Not a test (no timed assertions anywhere). In a process set up as a worker's is
(`portal.celery.prepare_worker`: the journal list loaded and frozen, the collector's pace), it
runs `match_works` as `match_works_task` does, on chunks of MATCHING_CHUNK_SIZE works still
pending (every `--stride`th, from the `--start`th pending work: the chunks mix popular and rare
works as bench-scale's slices do), and prints for
each chunk its wall time, this process's CPU and its PostgreSQL backend's CPU (read from /proc:
the server must run on this machine), and the references it took up. CPU compares on a shared
machine; wall times do not.

- `--rollback`: each chunk is undone, so the same works can be measured again after a change.
  Nothing is committed, so what a commit costs is left out: the links' foreign-key checks
  (deferred until COMMIT: three a link) and the commit's callbacks (the owners' figures
  requests, the cached answers forgotten). At 1M works and none matched, a committed chunk cost
  PostgreSQL 6.3-6.6 ms a work and this process 5.1-5.5, against 5.1-5.2 and 4.2-4.4 rolled back;
  compare runs of one kind only;
- `--queries`: the queries of each kind, how many and their time (Django's debug cursor: it
  costs CPU of its own, so these runs' CPU figures are not the ones to compare);
- `--profile`: cProfile's top functions over all chunks (all of them in var/profile_matching.out);
- `--figures`: the time of one recount of each member's dashboard figures (the task matching
  asks for, debounced, after every chunk that changed a member's counts).

The vocabulary (`common_terms`, loaded once per process) is loaded and timed before the chunks.
The last line: works= refs= cpu_ms_per_work= python_ms_per_work= postgres_ms_per_work= wall_ms_per_work=
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=5)
    parser.add_argument("--start", type=int, default=0, help="the first pending work (in id order) taken")
    parser.add_argument("--stride", type=int, default=4, help="every how many pending works one is taken")
    parser.add_argument("--rollback", action="store_true", help="undo each chunk (measure the same works again later)")
    parser.add_argument("--queries", action="store_true", help="queries by kind: how many, their time")
    parser.add_argument("--profile", action="store_true", help="cProfile's top functions")
    parser.add_argument("--sort", default="tottime", help="pstats order of --profile: tottime, cumulative")
    parser.add_argument("--figures", action="store_true", help="time one recount of each member's figures")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to the PostgreSQL database bench-scale kept (bench_scale)")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-profile-not-secret-" + "x" * 40)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from citations import services
    from citations.search import work_index
    from deposits.models import Work
    from portal.celery import prepare_worker

    say(f"machine: {os.cpu_count()} cores, load average {load()}")
    prepare_worker()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    started, cpu, server = time.monotonic(), time.process_time(), backend_cpu(backend)
    vocabulary = work_index().common_terms()
    say(f"vocabulary: {len(vocabulary):,} words in {time.monotonic() - started:.2f} s "
        f"(CPU: here {time.process_time() - cpu:.2f} s, PostgreSQL {backend_cpu(backend) - server:.2f} s)")

    size = settings.MATCHING_CHUNK_SIZE
    pending = list(Work.objects.filter(match_pending=True).order_by("pk").values_list("pk", flat=True))
    taken = pending[args.start :: args.stride][: size * args.chunks]
    say(f"pending works: {len(pending):,}; {len(taken):,} taken (from the {args.start}th, every {args.stride}th), "
        f"chunks of {size}{', rolled back' if args.rollback else ''}")

    references: list[int] = []
    real_match_rows = services._match_rows

    def counting(rows, **kwargs):  # the references a chunk takes up
        references.append(len(rows))
        return real_match_rows(rows, **kwargs)

    services._match_rows = counting
    profiler = cProfile.Profile() if args.profile else None
    kinds: dict[str, list[float]] = defaultdict(list)
    totals = {"works": 0, "refs": 0, "python": 0.0, "postgres": 0.0, "wall": 0.0}
    for start in range(0, len(taken), size):
        chunk = taken[start : start + size]
        capture = CaptureQueriesContext(connection) if args.queries else None
        wall, cpu, server = time.monotonic(), time.process_time(), backend_cpu(backend)
        if profiler:
            profiler.enable()
        try:
            with transaction.atomic() if args.rollback else _nothing():
                if capture is not None:
                    capture.__enter__()
                services.match_works(work_ids=chunk)
                if capture is not None:
                    capture.__exit__(None, None, None)
                if args.rollback:
                    transaction.set_rollback(True)
        finally:
            if profiler:
                profiler.disable()
        python, postgres, seconds = time.process_time() - cpu, backend_cpu(backend) - server, time.monotonic() - wall
        refs = references.pop()
        for key, value in (("works", len(chunk)), ("refs", refs), ("python", python), ("postgres", postgres), ("wall", seconds)):
            totals[key] += value
        say(f"  chunk {start // size + 1}: {len(chunk)} works, {refs:,} references; wall {seconds:.2f} s, CPU here {python:.2f} s, "
            f"PostgreSQL {postgres:.2f} s: {(python + postgres) / len(chunk) * 1e3:.1f} ms a work  (load {load()})")
        if capture is not None:
            for query in capture.captured_queries:
                kinds[kind_of(query["sql"])].append(float(query["time"]))
    if kinds:
        say("queries by kind (all chunks): count, total s, ms each; the costliest first")
        for kind, times in sorted(kinds.items(), key=lambda item: -sum(item[1]))[:25]:
            say(f"  {len(times):6d} {sum(times):8.3f} s {sum(times) / len(times) * 1e3:8.2f} ms  {kind}")
    if profiler:
        out = io.StringIO()
        profiler.dump_stats(ROOT / "var" / "profile_matching.out")  # for pstats' callers and callees
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(40)
        say(out.getvalue())
    if args.figures:
        figures_costs()
    works = max(totals["works"], 1)
    say(f"load average {load()}")
    print(f"works={totals['works']} refs={totals['refs']} cpu_ms_per_work={(totals['python'] + totals['postgres']) / works * 1e3:.1f} "
          f"python_ms_per_work={totals['python'] / works * 1e3:.1f} postgres_ms_per_work={totals['postgres'] / works * 1e3:.1f} "
          f"wall_ms_per_work={totals['wall'] / works * 1e3:.1f}", flush=True)


def figures_costs() -> None:
    """One recount of each member's figures (read only: counted, not stored)."""
    from citations.figures import count_figures
    from members.models import Member

    costs = []
    for member_id in Member.objects.order_by("pk").values_list("pk", flat=True):
        started = time.monotonic()
        count_figures(member_id=member_id)
        costs.append((time.monotonic() - started, member_id))
    say(f"figures: {len(costs)} members counted in {sum(c for c, _ in costs):.2f} s; the costliest: "
        + ", ".join(f"member {pk} {cost:.2f} s" for cost, pk in sorted(costs, reverse=True)[:3]))


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def kind_of(sql: str) -> str:
    """A query's shape: literals and lists folded, so each kind of query is counted together."""
    sql = re.sub(r"\s+", " ", sql)
    sql = re.sub(r"'(?:[^']|'')*'", "'?'", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "N", sql)
    sql = re.sub(r"(?:'\?'|N)(?:, (?:'\?'|N))+", "...", sql)
    sql = re.sub(r"\((?:\(\.\.\.\)|\('\?', '\?'\)|\(N, N\))(?:, (?:\(\.\.\.\)|\('\?', '\?'\)|\(N, N\)))*\)", "(rows)", sql)
    return sql[:160]


def backend_cpu(pid: int) -> float:
    """CPU seconds (user and system) of one PostgreSQL backend process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def say(text: str) -> None:
    print(text, flush=True)


if __name__ == "__main__":
    main()
