"""How the retrieval APIs hold up: `python -m bench.api [--works N --citations M]` (`make bench-api`).

Not a test (no timed assertions anywhere). Fills a database (SQLite in var/bench/ unless
DATABASE_URL names another) with N works (100,000) and M counted citations (1,000,000, each with
its reference row; one work is cited `--hot` = 1,000 times; the rest spread over the year), then
times, with `--clients` (8) concurrent clients each in its own thread and database connection
(Django's test client, in process: the view, its queries and the serialising, not a web
server's), three kinds of request:

- `GET /works/{doi}` of random works (public),
- the first page (50) of `GET /api/v1/works/{doi}/cited-by` for the work cited 1,000 times (API key),
- `GET /servlet/getForwardLinks` for one prefix over one month (API key as usr/pwd).

Prints median and 95th-percentile milliseconds of each; the last line is
`works_p95_ms= citedby_p95_ms= forwardlinks_p95_ms=`. The data are kept between runs.
"""
from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = [f"10.{5000 + i}" for i in range(5)]
YEAR_START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--citations", type=int, default=1_000_000)
    parser.add_argument("--hot", type=int, default=1_000, help="citations of the work whose cited-by page is timed")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="requests of each kind, shared by the clients")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    path = ROOT / "var" / "bench" / f"api-{args.works}-{args.citations}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{path}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["PUBLIC_API_REQUESTS_PER_MINUTE"] = "0"  # the API is timed here, not its rate limit
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    fill(works=args.works, citations=args.citations, hot=args.hot)
    print(f"data ready in {time.perf_counter() - started:.0f} s ({connection.vendor})", flush=True)
    from members.machine_auth import split_key

    token = retrieve_key()
    key_id = split_key(token)[0]
    rng = random.Random(7)
    kinds = {
        "works": lambda: (f"/works/{PREFIXES[(i := rng.randrange(args.works)) % 5]}/bench.{i}", {}),
        "citedby": lambda: (f"/api/v1/works/{PREFIXES[0]}/bench.0/cited-by", {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
        "forwardlinks": lambda: (f"/servlet/getForwardLinks?usr={key_id}&pwd={token}&doi={PREFIXES[0]}"
                                 "&startDate=2026-03-01&endDate=2026-03-31", {}),
    }
    p95 = {}
    for name, make in kinds.items():
        requests = [make() for _ in range(args.requests if name != "forwardlinks" else max(args.requests // 10, args.clients))]
        timings = run(requests, clients=args.clients)
        p95[name] = percentile(timings, 95)
        print(f"{name:13s} n={len(timings):4d}  median={statistics.median(timings):8.1f} ms  p95={p95[name]:8.1f} ms", flush=True)
    print(f"works_p95_ms={p95['works']:.1f} citedby_p95_ms={p95['citedby']:.1f} forwardlinks_p95_ms={p95['forwardlinks']:.1f}")


def run(requests: list[tuple[str, dict]], *, clients: int) -> list[float]:
    from django.db import connections
    from django.test import Client

    local = threading.local()

    def one(request: tuple[str, dict]) -> float:
        client = getattr(local, "client", None) or setattr(local, "client", Client()) or local.client
        url, headers = request
        began = time.perf_counter()
        answer = client.get(url, **headers)
        spent = (time.perf_counter() - began) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"{url}: HTTP {answer.status_code} {answer.content[:300]!r}")
        return spent

    def close(_):
        connections.close_all()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        timings = list(pool.map(one, requests))
        list(pool.map(close, range(clients)))
    return timings


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def fill(*, works: int, citations: int, hot: int) -> None:
    """Works under 5 prefixes (work i: 10.500{i%5}/bench.i, owned by member i%5); citation j is
    reference j of citing work 2 + (j // 10) and cites work 0 for the first `hot`, else a spread work."""
    from citations.models import Citation
    from deposits.models import Reference, Work
    from members.models import Member, Prefix

    if Work.objects.count() >= works and Citation.objects.count() >= citations:
        return
    Citation.objects.all().delete()
    Reference.objects.all().delete()
    Work.objects.all().delete()
    members = []
    for i, prefix in enumerate(PREFIXES):
        member, _ = Member.objects.get_or_create(name=f"Bench member {i}")
        Prefix.objects.get_or_create(value=prefix, defaults={"member": member})
        members.append(member)
    types = ["journal-article"] * 7 + ["book-chapter", "proceedings-article", "posted-content"]
    batch = []
    for i in range(works):
        batch.append(Work(
            pk=i + 1, doi=f"{PREFIXES[i % 5]}/bench.{i}", title=f"Bench work {i}", owner=members[i % 5], type=types[i % 10],
            container_title=f"Journal {i % 97}", volume=str(i % 40), first_page=str(i % 300), publication_year=1950 + (i * 7) % 75,
            contributors=[{"given_name": "Ada", "surname": f"Author{i % 1000}", "sequence": "first", "role": "author"}],
            cited_by_count=hot if i == 0 else (i * 31) % 97, references_count=10, match_pending=False,
        ))
        if len(batch) == 5000:
            Work.objects.bulk_create(batch)
            batch = []
    Work.objects.bulk_create(batch)
    # Link dates spread over the year: bulk_create would stamp them all "now" (auto_now_add).
    created_field = Citation._meta.get_field("created")
    created_field.auto_now_add = False
    try:
        references, links = [], []
        for j in range(citations):
            citing = 2 + (j // 10) % (works - 1)  # work 1 (bench.0, the hot one) cites nothing
            cited = 1 if j < hot else 1 + (j * 7919) % works
            if cited == citing:
                cited = 1 + cited % works
            references.append(Reference(pk=j + 1, citing_work_id=citing, key=f"r{j}", position=j + 1,
                                        doi=f"{PREFIXES[(cited - 1) % 5]}/bench.{cited - 1}"))
            links.append(Citation(reference_id=j + 1, citing_work_id=citing, cited_work_id=cited, method="publisher-doi",
                                  status="linked", created=YEAR_START + datetime.timedelta(minutes=(j * 37) % (365 * 24 * 60))))
            if len(links) == 10_000:
                Reference.objects.bulk_create(references)
                Citation.objects.bulk_create(links)
                references, links = [], []
        Reference.objects.bulk_create(references)
        Citation.objects.bulk_create(links)
    finally:
        created_field.auto_now_add = True


def retrieve_key() -> str:
    from members.models import APIKey, Member
    from members.services import api_key_create

    member = Member.objects.get(name="Bench member 0")
    APIKey.objects.filter(member=member).delete()
    return api_key_create(member=member, name="bench", scopes=["retrieve"], created_by=None).token


if __name__ == "__main__":
    main()
