"""What the HTTP benchmarks share: the portal served by gunicorn as production serves it, and
concurrent keep-alive clients timing each answer.

Not a test. Timings on a shared machine are noisy: the benchmarks print what they measured and
on what, and never assert on it.
"""
from __future__ import annotations

import contextlib
import http.client
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# 8 concurrent clients, each on its own keep-alive connection: gthread workers keep a connection
# (and its thread's persistent database connection) per client. Two processes so the GIL of one is
# not the limit on a 2-core machine; 4 threads each, so all 8 clients are served at once.
WORKERS = 2
THREADS = 4
# The clients' own CPU per answer in the last hammer(): they share the cores with the server, so
# a client dearer than the server would be measuring itself. Printed by the benchmarks.
last_client_cpu_ms = float("nan")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = WORKERS, threads: int = THREADS) -> Iterator[int]:
    """The portal under gunicorn on a free local port (yielded) with `env` on top of ours."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads), "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", **env},
    )
    try:
        wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def hammer(port: int, requests: list[tuple[str, dict[str, str]]], *, clients: int, expected: int = 200,
           ) -> tuple[list[float], list[int], dict[str, str]]:
    """`requests` (path, headers) asked by `clients` threads, each on its own keep-alive
    connection; milliseconds per answer, body sizes, and each path's ETag."""
    todo: queue.Queue[tuple[str, dict[str, str]]] = queue.Queue()
    for request in requests:
        todo.put(request)
    samples: list[float] = []
    sizes: list[int] = []
    etags: dict[str, str] = {}
    failures: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        try:
            while not failures:
                try:
                    path, headers = todo.get_nowait()
                except queue.Empty:
                    break
                start = time.perf_counter()
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - start) * 1000
                if response.status != expected:
                    failures.append(f"{path}: HTTP {response.status} (expected {expected}): {body[:300]!r}")
                    break
                with lock:
                    samples.append(elapsed)
                    sizes.append(len(body))
                    etags[path] = response.getheader("ETag") or ""
        finally:
            connection.close()

    global last_client_cpu_ms
    threads = [threading.Thread(target=client) for _ in range(clients)]
    cpu = time.process_time()  # this process does nothing else meanwhile
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    last_client_cpu_ms = (time.process_time() - cpu) * 1000 / max(len(samples), 1)
    if failures:
        raise SystemExit(failures[0])
    return samples, sizes, etags


def percentile(samples: list[float], p: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start (exit {server.returncode}); its errors are above")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start within 60 s")
