"""Which gunicorn configuration answers the widget's cached data fastest on this machine:
`python -m bench.widget.configs` (on the production stack: DATABASE_URL and REDIS_URL as
`make bench-widget` gives them; without them, SQLite and the database cache).

Not a test (no timed assertions anywhere). One fill of bench/widget/run.py's data, then rounds:
in each, every configuration (gunicorn.conf.py with a few variables changed, below) in turn, in
an order rotated each round so none always comes first or last after a busy neighbour, serves
the same cached answers to 8 concurrent keep-alive clients (hammer()). A shared machine's load
drifts over minutes: alternating runs expose each configuration to the same drift, and the
median over rounds of each one's p95 is the figure to compare; beside it, the server's CPU per
answer (its processes' own, from /proc), which hardly moves with the load of others. Prints each
run with the machine's load, then the medians; the last line is `<config>_p95_ms= <config>_cpu_ms=`
per configuration. First it prints what the access log costs a request in CPU, in process.
"""
from __future__ import annotations

import argparse
import os
import statistics
from urllib.parse import quote

from bench.widget.run import CLIENTS, ORIGIN, ROOT, prepare

ACCESS_LOG = ROOT / "var" / "bench" / "widget-access.log"
# name -> the environment on top of production's (gunicorn.conf.py's defaults: gthread 4 x 2, no access log).
CONFIGS = {
    "gthread_4x2": {},
    "gthread_4x2_access_log": {"WEB_ACCESS_LOG": str(ACCESS_LOG)},
    "gthread_2x4": {"WEB_CONCURRENCY": "2", "WEB_THREADS": "4"},
    "gthread_1x8": {"WEB_CONCURRENCY": "1", "WEB_THREADS": "8"},
    "sync_2": {"WEB_WORKER_CLASS": "sync", "WEB_CONCURRENCY": "2"},
    "sync_4": {"WEB_WORKER_CLASS": "sync", "WEB_CONCURRENCY": "4"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=200, help="cited works")
    parser.add_argument("--citing", type=int, default=20, help="citing works per cited work")
    parser.add_argument("--requests", type=int, default=4000, help="cached requests per run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", action="append", choices=sorted(CONFIGS), help="compare only these (repeatable)")
    args = parser.parse_args()
    names = args.only or list(CONFIGS)
    key, dois, _ = prepare(works=args.works, citing=args.citing)
    from django.db import connection

    from bench import serving
    from bench.serving import described, gunicorn, hammer, percentile, server_cpu_s

    connection.close()
    asked = {"Origin": ORIGIN}
    paths = [f"/widget/v1/data/{quote(doi, safe='/')}?key={key}" for doi in dois]
    cached = [(paths[i % len(paths)], asked) for i in range(args.requests)]
    for name in names:
        print(f"{name}: {described(CONFIGS[name])}")
    print(f"access log: {access_log_cpu_us():.0f} µs of CPU per request (gunicorn's own logger writing a widget "
          f"answer's line to a file, in process; load {os.getloadavg()[0]:.2f})", flush=True)
    p95s: dict[str, list[float]] = {name: [] for name in names}
    p50s: dict[str, list[float]] = {name: [] for name in names}
    cpus: dict[str, list[float]] = {name: [] for name in names}
    for number in range(args.rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        for name in order:
            ACCESS_LOG.unlink(missing_ok=True)
            with gunicorn(CONFIGS[name]) as port:
                # Not timed: every answer cached, every thread connected and its imports done.
                hammer(port, [(path, asked) for path in paths] + cached[:CLIENTS * 8], clients=CLIENTS)
                cpu = server_cpu_s()
                samples, _, _ = hammer(port, cached, clients=CLIENTS)
                cpus[name].append((server_cpu_s() - cpu) * 1000 / len(samples))
            p95s[name].append(percentile(samples, 95))
            p50s[name].append(percentile(samples, 50))
            print(f"round {number + 1} {name:24} p50={p50s[name][-1]:6.2f} ms  p95={p95s[name][-1]:6.2f} ms  "
                  f"server CPU {cpus[name][-1]:.3f} ms/answer, client CPU {serving.last_client_cpu_ms:.2f} ms/answer, "
                  f"reconnects {serving.last_reconnects}  "
                  f"(load {os.getloadavg()[0]:.2f})", flush=True)
    print(f"medians over {args.rounds} rounds, {args.requests} cached answers each, {CLIENTS} concurrent clients, "
          f"{os.cpu_count()} cores (load now {' '.join(f'{x:.2f}' for x in os.getloadavg())}):")
    for name in sorted(names, key=lambda name: statistics.median(p95s[name])):
        print(f"  {name:24} p50={statistics.median(p50s[name]):6.2f} ms  p95={statistics.median(p95s[name]):6.2f} ms"
              f"  server CPU {statistics.median(cpus[name]):.3f} ms/answer"
              f"  (p95 runs: {' '.join(f'{x:.1f}' for x in p95s[name])})")
    print(" ".join(f"{name}_p95_ms={statistics.median(p95s[name]):.2f} {name}_cpu_ms={statistics.median(cpus[name]):.3f}"
                   for name in names))


def access_log_cpu_us(requests: int = 20_000) -> float:
    """What gunicorn's access log adds to each request, in CPU microseconds: its logger, as a
    worker calls it after a widget answer (the request parsed by gunicorn, the answer's headers)."""
    import datetime
    import socket
    import time

    from gunicorn.config import Config
    from gunicorn.glogging import Logger
    from gunicorn.http import wsgi
    from gunicorn.http.parser import RequestParser

    ACCESS_LOG.parent.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set("accesslog", str(ACCESS_LOG))
    logger = Logger(config)
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.sendall(b"GET /widget/v1/data/10.5555/bench.1?key=a1b2c3d4e5f6a1b2c3d4e5f6 HTTP/1.1\r\n"
                     b"Host: portal.example\r\nOrigin: " + ORIGIN.encode() + b"\r\n\r\n")
        request = next(iter(RequestParser(config, theirs, ("127.0.0.1", 40000))))
        response, environ = wsgi.create(request, theirs, ("127.0.0.1", 40000), ("127.0.0.1", 8000), config)
    response.status, response.sent = "200 OK", 6626
    response.headers = [("Content-Type", "application/json"), ("ETag", '"0123456789abcdef"'),
                        ("Cache-Control", "public, max-age=300"), ("Access-Control-Allow-Origin", ORIGIN),
                        ("Vary", "Origin"), ("Content-Security-Policy", "default-src 'self'"), ("X-Frame-Options", "DENY"),
                        ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"), ("Content-Length", "6626")]
    took = datetime.timedelta(microseconds=3000)
    cpu = time.process_time()
    for _ in range(requests):
        logger.access(response, request, environ, took)
    spent = time.process_time() - cpu
    for handler in logger.access_log.handlers:
        handler.close()
    ACCESS_LOG.unlink(missing_ok=True)
    return spent * 1e6 / requests


if __name__ == "__main__":
    main()
