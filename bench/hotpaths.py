"""CPU per request of the machine read paths, in this process: `python -m bench.hotpaths`.

Not a test, and not the latency benchmarks (bench-widget, bench-api time real HTTP under load):
this calls the WSGI application as gunicorn does, one request at a time, and prints the CPU
milliseconds and the queries of each kind of request, so a change to the code shows in numbers
that do not depend on how busy the machine is. `--profile KIND` prints cProfile's top functions.

Kinds: widget-cached, widget-304, widget-uncached (the widget's data endpoint), works and
works-cached (`/works/{doi}`, through Django or answered by portal.front), works-references
(`/works/{doi}` through Django of citing works, 10 references on average), citedby and
citedby-cached (the first page of a work's 1,000-link cited-by list by its owner's API key,
through Django or answered by portal.front). Data: a fresh
SQLite database under var/bench/ unless DATABASE_URL names one (then emptied first: give it one
of its own); the cache is the settings' own (REDIS_URL for Redis; its database is cleared).

citedby-small: the first read of a short cited-by list (1-5 links), a different work each time,
through Django, as bench-scale's citedby_small times it.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "https://journal.example"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests of each kind")
    parser.add_argument("--only", action="append", help="only these kinds")
    parser.add_argument("--profile", help="cProfile this kind and print its top functions")
    parser.add_argument("--sort", default="cumulative", help="pstats order of --profile: cumulative, tottime")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request of each kind")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    path = ROOT / "var" / "bench" / "hotpaths.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    own_database = "DATABASE_URL" not in os.environ
    if own_database:
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-hotpaths-not-secret-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not own_database:
        call_command("flush", interactive=False, verbosity=0)
    cache.clear()
    widget_key, dois, token, hot_doi, small_dois = fill()
    from citations import work_json
    from portal.wsgi import application

    widget_paths = [f"/widget/v1/data/{quote(doi, safe='/')}?key={widget_key}" for doi in dois]
    etags: dict[str, str] = {}

    def widget_cached(i: int):
        return widget_paths[i % len(widget_paths)], {"HTTP_ORIGIN": ORIGIN}

    def widget_304(i: int):
        path = widget_paths[i % len(widget_paths)]
        return path, {"HTTP_ORIGIN": ORIGIN, "HTTP_IF_NONE_MATCH": etags[path]}

    def widget_uncached(i: int):
        cache.delete_many(_widget_cache_keys(dois[i % len(dois)]))
        return widget_cached(i)

    def works(i: int):  # uncached: through Django
        cache.delete(work_json.cache_key(dois[i % len(dois)]))
        return works_cached(i)

    def works_cached(i: int):  # answered by portal.front once Django has cached it
        return f"/works/{dois[i % len(dois)]}", {}

    def works_references(i: int):  # uncached, through Django: one of the 400 citing works (10 references on average)
        doi = f"10.6666/citing.{i % 400}"
        cache.delete(work_json.cache_key(doi))
        return f"/works/{doi}", {}

    def citedby(i: int):  # uncached: through Django
        cache.delete(work_json.cited_by_page_key(doi=hot_doi))
        return citedby_cached(i)

    def citedby_cached(i: int):  # answered by portal.front once Django has cached it
        return f"/api/v1/works/{hot_doi}/cited-by", {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def citedby_small(i: int):  # a short list's first read: through Django
        doi = small_dois[i % len(small_dois)]
        cache.delete(work_json.cited_by_page_key(doi=doi))
        return f"/api/v1/works/{doi}/cited-by", {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    kinds = {"widget-cached": widget_cached, "widget-304": widget_304, "widget-uncached": widget_uncached,
             "works": works, "works-cached": works_cached, "works-references": works_references, "citedby": citedby,
             "citedby-cached": citedby_cached}
    kinds["citedby-small"] = citedby_small
    for path in widget_paths:  # the ETags, and every entry cached
        status, headers, _ = call(application, path, {"HTTP_ORIGIN": ORIGIN})
        etags[path] = headers.get("ETag", "")
    for i in range(len(dois)):
        call(application, *works_cached(i))
    for name, make in kinds.items():
        if args.only and name not in args.only:
            continue
        for i in range(20):  # warm: imports, connections
            call(application, *make(i))
        statuses = set()
        queries: list[str] = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            call(application, *make(0))
        profiler = cProfile.Profile() if args.profile == name else None
        cpu = time.process_time()
        if profiler:
            profiler.enable()
        for i in range(args.requests):
            statuses.add(call(application, *make(i))[0])
        if profiler:
            profiler.disable()
        per_request = (time.process_time() - cpu) * 1000 / args.requests
        print(f"{name:16} cpu={per_request:6.2f} ms/request  queries={len(queries):2d}  status={sorted(statuses)}", flush=True)
        if args.queries:
            print("".join(f"  {sql}\n" for sql in queries), flush=True)
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(45)
            print(out.getvalue())
    if own_database:
        connection.close()


def _widget_cache_keys(doi: str) -> list[str]:
    from citations.widget import data

    return [data.cache_key(doi)]


def call(application, path: str, extra: dict) -> tuple[int, dict, bytes]:
    """One request through the WSGI application, as gunicorn would make it."""
    parts = urlsplit(path)
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": parts.path, "QUERY_STRING": parts.query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True,
        "wsgi.run_once": False, "wsgi.version": (1, 0), "REMOTE_ADDR": "127.0.0.1", **extra,
    }
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    result = application(environ, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return answer["status"], answer["headers"], body


def fill() -> tuple[str, list[str], str, str, list[str]]:
    """The widget bench's data (200 cited works, 20 citing works each), one work cited 1,000
    times, 500 works cited 1 to 5 times, and a retrieve API key of its member."""
    from bench.widget.run import fill as widget_fill
    from citations.models import Citation
    from citations.services import refresh_cited_by_counts
    from deposits.models import Reference, Work
    from members.models import Member
    from members.services import api_key_create

    widget_key, dois, _ = widget_fill(works=200, citing=20)
    press = Member.objects.get(name="Bench Press")
    hot = Work.objects.get(doi=dois[0])
    citing = list(Work.objects.filter(doi__startswith="10.6666/")[:1000])
    while len(citing) < 1000:
        citing += Work.objects.bulk_create(Work(doi=f"10.6666/more.{len(citing) + n}", owner_id=citing[0].owner_id,
                                                title=f"More {n}", match_pending=False) for n in range(1000 - len(citing)))
    references = Reference.objects.bulk_create(
        Reference(citing_work=work, key=f"hot-{n}", position=1000 + n, doi=hot.doi) for n, work in enumerate(citing))
    Citation.objects.bulk_create(
        (Citation(reference=ref, citing_work_id=ref.citing_work_id, cited_work=hot, method=Citation.Method.PUBLISHER_DOI)
         for ref in references), ignore_conflicts=True)
    small = Work.objects.bulk_create(Work(doi=f"10.5555/small.{n}", owner=press, title=f"Small {n}", match_pending=False)
                                     for n in range(500))
    small_ids = {work.doi: work.pk for work in small}
    references = Reference.objects.bulk_create(
        Reference(citing_work=citing[(n * 7 + k) % len(citing)], key=f"small-{n}-{k}", position=3000 + n * 5 + k, doi=work.doi)
        for n, work in enumerate(small) for k in range(1 + n % 5))
    Citation.objects.bulk_create(
        (Citation(reference=ref, citing_work_id=ref.citing_work_id, cited_work_id=small_ids[ref.doi],
                  method=Citation.Method.PUBLISHER_DOI) for ref in references), ignore_conflicts=True)
    refresh_cited_by_counts(work_ids=[hot.pk, *(work.pk for work in small)])
    token = api_key_create(member=press, name="bench", scopes=["retrieve"], created_by=None).token
    return widget_key, dois, token, hot.doi, [work.doi for work in small]


if __name__ == "__main__":
    main()
