"""How fast the widget's data endpoint answers: `make bench-widget` (BENCH_ARGS=--quick for a small run).

Not a test (no timed assertions anywhere). Fills a fresh database (SQLite under var/bench/ unless
DATABASE_URL names another, which is emptied first: give it one of its own; the cache is the
settings' own: a database table, or Redis with REDIS_URL, whose database is cleared too) with a member's cited works, each cited by N works of another member, and a widget key;
serves the portal with gunicorn as production does; then 8 concurrent clients (keep-alive HTTP,
the key's allowed Origin) ask:

- uncached: every work once, right after the cache was cleared (each answer is built from the database);
- cached: the same works again and again (each answer comes from the cache);
- revalidated: with the ETag they were given (304, no body).

Prints p50/p95 per phase, the data size and the database; the last line is
`cached_p95_ms= uncached_p95_ms=`.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "https://journal.example"
CLIENTS = 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000, help="cited works (each asked once uncached)")
    parser.add_argument("--citing", type=int, default=20, help="citing works per cited work")
    parser.add_argument("--requests", type=int, default=8000, help="cached requests in all")
    parser.add_argument("--quick", action="store_true", help="200 works, 2,000 cached requests")
    args = parser.parse_args()
    if args.quick:
        args.works, args.requests = 200, 2000
    key, dois, own_database = prepare(works=args.works, citing=args.citing)
    from django.core.cache import cache
    from django.db import connection

    from bench import serving
    from bench.serving import described, gunicorn, hammer, percentile, server_cpu_s

    with gunicorn({}) as port:
        paths = [f"/widget/v1/data/{quote(doi, safe='/')}?key={key}" for doi in dois]
        asked = {"Origin": ORIGIN}
        cache.clear()
        uncached, sizes, etags = hammer(port, [(path, asked) for path in paths], clients=CLIENTS)
        cpu = server_cpu_s()
        cached, _, _ = hammer(port, [(paths[i % len(paths)], asked) for i in range(args.requests)], clients=CLIENTS)
        cached_server_cpu = (server_cpu_s() - cpu) * 1000 / len(cached)
        cached_client_cpu = serving.last_client_cpu_ms
        revalidated, _, _ = hammer(port, [(path, {**asked, "If-None-Match": etags[path]})
                                          for path in (paths[i % len(paths)] for i in range(args.requests // 2))],
                                   clients=CLIENTS, expected=304)
    print(f"server: {described()} (gunicorn.conf.py); clients: {CLIENTS} concurrent keep-alive connections, "
          f"one thread (its own CPU, cached phase: {cached_client_cpu:.2f} ms per answer; the server's: {cached_server_cpu:.2f} ms)")
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) at the end")
    print(f"response size: median {statistics.median(sizes):,.0f} bytes of JSON ({args.citing} citing works listed)")
    for name, samples in (("uncached", uncached), ("cached", cached), ("revalidated (304)", revalidated)):
        print(f"{name:18} n={len(samples):5}  p50={percentile(samples, 50):6.2f} ms  p95={percentile(samples, 95):6.2f} ms")
    print(f"cached_p95_ms={percentile(cached, 95):.2f} uncached_p95_ms={percentile(uncached, 95):.2f}")
    if own_database:
        connection.close()


def prepare(*, works: int, citing: int) -> tuple[str, list[str], bool]:
    """Django set up on the benchmark's database, filled (fill()): the widget key, the cited
    works' DOIs, and whether the database is the benchmark's own SQLite file."""
    sys.path.insert(0, str(ROOT))
    path = ROOT / "var" / "bench" / f"widget-{works}x{citing}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    own_database = "DATABASE_URL" not in os.environ
    if own_database:
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-widget-not-secret-" + "x" * 40)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not own_database:
        # A database of the bench's own (make bench-widget: bench_widget), emptied for each run.
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    key, dois, citations = fill(works=works, citing=citing)
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    print(f"data: {len(dois):,} cited works, {citations:,} citations, filled in {time.perf_counter() - started:.1f} s")
    return key, dois, own_database

def fill(*, works: int, citing: int) -> tuple[str, list[str], int]:
    from citations.models import Citation
    from citations.services import refresh_cited_by_counts
    from deposits.models import Reference, Work
    from members.services import member_create, widget_key_create

    press = member_create(name="Bench Press", prefixes=["10.5555"]).member
    society = member_create(name="Bench Society", prefixes=["10.6666"]).member
    people = [{"given_name": "Ada", "surname": "Lovelace"}, {"given_name": "Charles", "surname": "Babbage"}]
    cited = Work.objects.bulk_create(
        Work(doi=f"10.5555/bench.{n}", owner=press, title=f"Cited work {n}", contributors=people, match_pending=False)
        for n in range(works)
    )
    pool = Work.objects.bulk_create(
        Work(doi=f"10.6666/citing.{n}", owner=society, title=f"A citing work on <i>graphene</i> H<sub>2</sub>O, number {n}",
             contributors=people * 2, container_title="Journal of Bench Letters", publication_year=2000 + n % 25,
             match_pending=False)
        for n in range(max(works, citing) * 2)
    )
    references, links = [], []
    for number, work in enumerate(cited):
        for k in range(citing):
            source = pool[(number + k * 7) % len(pool)]
            references.append(Reference(citing_work=source, key=f"r{number}-{k}", position=len(references), doi=work.doi))
    references = Reference.objects.bulk_create(references, batch_size=2000)
    for number, work in enumerate(cited):
        for k in range(citing):
            reference = references[number * citing + k]
            links.append(Citation(reference=reference, citing_work_id=reference.citing_work_id, cited_work=work,
                                  method=Citation.Method.PUBLISHER_DOI))
    Citation.objects.bulk_create(links, batch_size=2000)
    refresh_cited_by_counts(work_ids=[work.pk for work in cited])
    key = widget_key_create(member=press, name="Bench", origins=ORIGIN, created_by=None)
    return key.key, [work.doi for work in cited], len(links)


if __name__ == "__main__":
    main()
