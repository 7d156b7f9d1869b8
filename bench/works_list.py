"""How `GET /works` lists scale: `DATABASE_URL=… .venv/bin/python -m bench.works_list [--works N]`.

Not a test (no timed assertions anywhere). Fills a fresh database (SQLite in var/bench/ unless
DATABASE_URL names another) with N works (100,000 by default) and times, in process through
Django's test client, the first page and a deep cursor page of each sort, with and without
filters. Prints median and 95th-percentile milliseconds per kind of request.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    path = ROOT / "var" / "bench" / f"works-list-{args.works}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{path}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    fill(args.works)
    client = Client()
    kinds = {
        "first page, newest": {"rows": 20},
        "first page, most cited": {"rows": 20, "sort": "is-referenced-by-count"},
        "first page, published asc": {"rows": 20, "sort": "published", "order": "asc"},
        "first page, updated": {"rows": 20, "sort": "updated"},
        "prefix + type filter": {"rows": 20, "filter": "prefix:10.5002,type:book-chapter"},
        "has-references, most cited": {"rows": 20, "filter": "has-references:true", "sort": "is-referenced-by-count"},
        "from-pub-date, published": {"rows": 20, "filter": "from-pub-date:2015", "sort": "published"},
        "1000 rows, most cited": {"rows": 1000, "sort": "is-referenced-by-count"},
    }
    for name, params in kinds.items():
        report(name, [timed(client, params) for _ in range(args.repeat)])
        deep = deep_cursor(client, params, pages=50 if params["rows"] == 20 else 5)
        report(f"{name} (cursor page {50 if params['rows'] == 20 else 5})", [timed(client, {**params, "cursor": deep}) for _ in range(args.repeat)])


def fill(count: int) -> None:
    from deposits.models import Work
    from members.models import Member

    if Work.objects.count() >= count:
        return
    Work.objects.all().delete()
    members = [Member.objects.get_or_create(name=f"Bench member {i}")[0] for i in range(5)]
    types = ["journal-article"] * 7 + ["book-chapter", "proceedings-article", "posted-content"]
    batch = []
    for i in range(count):
        batch.append(Work(
            doi=f"10.{5000 + i % 5}/bench.{i}", title=f"Bench work {i}", owner=members[i % 5], type=types[i % 10],
            publication_year=None if i % 50 == 0 else 1950 + (i * 7) % 75, cited_by_count=(i * 31) % 997 if i % 3 else 0,
            references_count=(i % 4) * 10, match_pending=False,
        ))
        if len(batch) == 5000:
            Work.objects.bulk_create(batch)
            batch = []
    Work.objects.bulk_create(batch)


def timed(client, params: dict) -> float:
    started = time.perf_counter()
    response = client.get("/works", params)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.content[:500]
    return elapsed


def deep_cursor(client, params: dict, *, pages: int) -> str:
    cursor = "*"
    for _ in range(pages):
        cursor = client.get("/works", {**params, "cursor": cursor}).json()["message"]["next-cursor"]
    return cursor


def report(name: str, times: list[float]) -> None:
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{name:55s} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms", flush=True)


if __name__ == "__main__":
    main()
