"""Five minutes of mixed traffic against the production configuration: `make bench-load`.

Not a test (no timed assertions anywhere). `make bench-load` starts PostgreSQL and Redis (as
`make services` does) and gives this script a fresh database; the script fills it (a member's cited
works, each cited by N works of another member; a user, an API key, a widget key), serves the
portal as production does (gunicorn; Redis as broker and cache; a Celery worker and beat consuming
the broker), then runs locust headless on loopback (bench/load/locustfile.py): the widget's data,
the public works API, the members' cited-by API, the dashboard pages, and a platform posting a new
deposit every few seconds. When the traffic stops it waits for every posted deposit to be applied.

Prints each kind of request's count, errors, p50 and p95 beside the issues' targets; the last line
is `requests= requests_per_s= errors= widget_p95_ms= works_p95_ms= citedby_p95_ms= dashboard_p95_ms= deposit_p95_ms=
deposits_posted= deposits_applied= widget_popular_p95_ms= widget_rest_p95_ms= citedby_popular_p95_ms=
citedby_rest_p95_ms=`. Half the widget and cited-by reads ask for one of POPULAR works, whose
answers come from the cache nearly always, the other half for any of the rest, most of them a first
read: their figures are also given apart (the widget's 10 ms target is for cached answers).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.serving import described, free_port, gunicorn_command, percentile, server_env, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "bench" / "load"
TIMES = "locust_times.json"  # under OUT: every answer's time, written by the locustfile when the traffic stops
POPULAR = 20  # the works half the widget and cited-by reads ask for (their answers: from the cache nearly always)
ORIGIN = "https://journal.example"
EMAIL, PASSWORD = "editor@bench-press.example", "bench-load-password"
# p95 targets (ms) of issues 15, 16 and 17; the dashboard and deposits have none of their own.
TARGETS = {"widget": 10.0, "works": 30.0, "cited-by": 30.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=300, help="seconds of traffic")
    parser.add_argument("--users", type=int, default=16, help="concurrent readers (plus one depositing platform)")
    parser.add_argument("--works", type=int, default=2000, help="cited works")
    parser.add_argument("--citing", type=int, default=20, help="citing works per cited work")
    parser.add_argument("--deposit-every", type=float, default=5.0, help="seconds between deposits")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="requests/s each reader makes (a steady offered load); 0: as fast as answers come, "
                             "with 0.05-0.3 s of thinking between them (the machine's saturation)")
    parser.add_argument("--quick", action="store_true", help="30 s, 300 works: a check that it all runs")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.works = 30, 300
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name, "").startswith(("postgres", "redis")):
            sys.exit(f"bench-load runs on the production configuration: set {name} (make bench-load does)")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-load-not-secret-" + "x" * 40)
    # All the traffic comes from one address here; behind a real load balancer it comes from many.
    os.environ["PUBLIC_API_REQUESTS_PER_MINUTE"] = "0"
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # the last run's queue and cache
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # served by WhiteNoise, as in production
    started = time.perf_counter()
    plan = fill(works=args.works, citing=args.citing, deposits=int(args.duration / args.deposit_every) + 10)
    plan["deposit_every_s"] = args.deposit_every
    plan["reader_rate"] = args.rate
    plan["popular"] = POPULAR
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); broker and cache: Redis")
    print(f"data: {args.works:,} cited works, {args.works * args.citing:,} citations, filled in {time.perf_counter() - started:.1f} s")
    OUT.mkdir(parents=True, exist_ok=True)
    plan_path = OUT / "plan.json"
    plan_path.write_text(json.dumps(plan))
    connection.close()

    port = free_port()
    env = server_env({"LOG_LEVEL": "WARNING"})
    logs = open(OUT / "services.log", "w")  # noqa: SIM115 (the services' and locust's output, kept for reading after)
    services = [
        subprocess.Popen(gunicorn_command(port), cwd=ROOT, env=env, stdout=logs, stderr=subprocess.STDOUT),
        subprocess.Popen([sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency", "1",
                          "--loglevel", "WARNING"], cwd=ROOT, env=env, stdout=logs, stderr=subprocess.STDOUT),
        subprocess.Popen([sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel", "WARNING",
                          "--schedule", str(OUT / "beat-schedule")], cwd=ROOT, env=env, stdout=logs, stderr=subprocess.STDOUT),
    ]
    try:
        wait_until_up(port, services[0])
        print(f"server: {described()} (gunicorn.conf.py), a Celery worker (1 process) and beat; "
              f"clients: locust, {args.users} readers + 1 platform depositing every {args.deposit_every:g} s, {args.duration} s")
        print(f"offered load: {args.users} x {args.rate:g} = {args.users * args.rate:g} requests/s" if args.rate else
              "offered load: as much as the machine answers (each reader asks again 0.05-0.3 s after each answer)")
        (OUT / TIMES).unlink(missing_ok=True)  # (an earlier run's)
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
             "--users", str(args.users + 1), "--spawn-rate", str(args.users + 1), "--run-time", f"{args.duration}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(OUT / "locust"), "--only-summary",
             "--loglevel", "WARNING", "--stop-timeout", "10"],
            cwd=ROOT, env={**env, "LOAD_PLAN": str(plan_path), "LOAD_TIMES": str(OUT / TIMES)}, check=False, stdout=logs,
            stderr=subprocess.STDOUT,
        )
        applied, pending = wait_for_deposits(timeout=300)
    finally:
        for service in services:
            service.terminate()
        for service in services:
            try:
                service.wait(timeout=30)
            except subprocess.TimeoutExpired:
                service.kill()
        logs.close()
    report(applied=applied, pending=pending)


def fill(*, works: int, citing: int, deposits: int) -> dict:
    """The widget benchmark's data (cited works, citations, a widget key), plus an editor, an API
    key and the deposit files the platform will post."""
    from bench.widget.run import fill as fill_cited_works
    from members.models import Member, Role
    from members.services import api_key_create, user_add_to_member
    from tests.xmlbuild import journal_article_deposit

    widget_key, dois, _ = fill_cited_works(works=works, citing=citing)
    press = Member.objects.get(prefixes__value="10.5555")
    user_add_to_member(email=EMAIL, member=press, role=Role.ADMIN, password=PASSWORD)
    api_key = api_key_create(member=press, name="Bench platform", scopes=["deposit", "retrieve"], created_by=None).token
    folder = OUT / "deposits"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.xml"):
        stale.unlink()
    files = []
    run = int(time.time())
    for number in range(deposits):
        articles = [
            {"doi": f"10.5555/load.{run}.{number}.{n}", "title": f"A newly deposited article {number}.{n}",
             "authors": [("Grace", "Hopper")], "year": "2026", "volume": "9", "issue": str(number % 12 + 1),
             "first_page": str(n * 10 + 1),
             "references": [{"key": f"ref{k}", "doi": dois[(number * 7 + n * 3 + k) % len(dois)]} for k in range(10)]}
            for n in range(5)
        ]
        path = folder / f"deposit-{number:04}.xml"
        path.write_bytes(journal_article_deposit(articles, doi_batch_id=f"load-{run}-{number}", journal_title="Bench Letters"))
        files.append(str(path))
    return {"dois": dois, "widget_key": widget_key, "origin": ORIGIN, "api_key": api_key, "email": EMAIL,
            "password": PASSWORD, "dashboard": f"/members/{press.pk}/", "deposit_files": files}


def wait_for_deposits(*, timeout: float) -> tuple[int, int]:
    """(applied, still pending) once no posted deposit waits, or when `timeout` runs out."""
    from django.db import connection

    from deposits.models import Deposit

    deadline = time.monotonic() + timeout
    while True:
        pending = Deposit.objects.filter(status__in=[Deposit.Status.QUEUED, Deposit.Status.PROCESSING]).count()
        if not pending or time.monotonic() > deadline:
            applied = Deposit.objects.exclude(status__in=[Deposit.Status.QUEUED, Deposit.Status.PROCESSING]).count()
            connection.close()
            return applied, pending
        time.sleep(1)


def report(*, applied: int, pending: int) -> None:
    rows = {row["Name"]: row for row in csv.DictReader(open(OUT / "locust_stats.csv"))}
    total = rows.pop("Aggregated", None)
    print(f"{'request':10} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}  target p95")
    for name, row in sorted(rows.items()):
        target = TARGETS.get(name)
        print(f"{name:10} {int(row['Request Count']):7} {int(row['Failure Count']):6} {float(row['50%']):7.0f} "
              f"{float(row['95%']):7.0f}  {f'<= {target:g} ms' if target else '-'}")
    failures = OUT / "locust_failures.csv"
    for row in csv.DictReader(open(failures)) if failures.exists() else []:
        print(f"error: {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']} times)")
    split = _by_works_asked()
    for (name, works), times in sorted(split.items()):
        shown = f"{name}, " + (f"the {POPULAR} most asked works (from the cache nearly always)" if works == "popular"
                               else "the other works (mostly first reads)")
        target = None if (name, works) == ("widget", "rest") else TARGETS.get(name)  # (the widget's: cached answers)
        print(f"  {shown}: {len(times)} answers, p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms"
              f"{f' (target <= {target:g} ms)' if target else ''}")
    posted = int(rows.get("deposit", {}).get("Request Count", 0))
    print(f"deposits: {posted} posted, {applied} applied, {pending} still waiting")

    def p95(name: str) -> str:
        return f"{float(rows[name]['95%']):.0f}" if name in rows else "nan"

    rate = f"{float(total['Requests/s']):.1f}" if total else "0"
    print(f"requests={int(total['Request Count']) if total else 0} requests_per_s={rate} errors={int(total['Failure Count']) if total else 0} "
          f"widget_p95_ms={p95('widget')} works_p95_ms={p95('works')} citedby_p95_ms={p95('cited-by')} "
          f"dashboard_p95_ms={p95('dashboard')} deposit_p95_ms={p95('deposit')} deposits_posted={posted} deposits_applied={applied} "
          + " ".join(f"{name.replace('-', '')}_{works}_p95_ms={percentile(split[name, works], 95) if split.get((name, works)) else float('nan'):.0f}"
                     for name in ("widget", "cited-by") for works in ("popular", "rest")))


def _by_works_asked() -> dict[tuple[str, str], list[float]]:
    """(request name, "popular" or "rest") -> its answers' milliseconds, for the widget and cited-by reads."""
    split: dict[tuple[str, str], list[float]] = {}
    path = OUT / TIMES
    for name, works, milliseconds in json.loads(path.read_text()) if path.exists() else []:
        if works:
            split.setdefault((name, works), []).append(milliseconds)
    return split


if __name__ == "__main__":
    main()
