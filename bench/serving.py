"""What the HTTP benchmarks share: the portal served by gunicorn as production serves it
(gunicorn.conf.py), and `hammer()`, concurrent keep-alive clients timing each answer.

Not a test. Timings on a shared machine are noisy: the benchmarks print what they measured and
on what, and never assert on it.
"""
from __future__ import annotations

import contextlib
import os
import runpy
import selectors
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "gunicorn.conf.py"
_PRODUCTION = runpy.run_path(str(CONFIG))["from_environment"]({})
# The production defaults (gunicorn.conf.py): 8 clients are served at once by 4 processes x 2 threads.
WORKERS = _PRODUCTION["workers"]
THREADS = _PRODUCTION["threads"]
# The clients' own CPU per answer in the last hammer(): they share the cores with the server, so
# a client dearer than the server would be measuring itself. Printed by the benchmarks.
last_client_cpu_ms = float("nan")
# Answers that had to be asked again on a new connection in the last hammer() (the server closed
# an idle keep-alive connection as the request left): their time counts from the second asking.
last_reconnects = 0
# The gunicorn master serving in gunicorn() (server_cpu_s() reads its processes' CPU).
server_pid = 0


def gunicorn_command(port: int) -> list[str]:
    """The command serving the portal with gunicorn.conf.py on 127.0.0.1:`port`."""
    return [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--config", str(CONFIG),
            "--bind", f"127.0.0.1:{port}"]


def server_env(env: dict[str, str]) -> dict[str, str]:
    """The environment a benchmark's gunicorn runs in: ours, production's settings, `env` on top."""
    return {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "WEB_LOG_LEVEL": "warning", **env}


def described(env: dict[str, str] | None = None) -> str:
    """What serves in `env` (gunicorn.conf.py's reading of it), for the benchmarks' reports."""
    settings = runpy.run_path(str(CONFIG))["from_environment"](server_env(env or {}))
    shape = (f"{settings['workers']} sync processes" if settings["worker_class"] == "sync"
             else f"{settings['workers']} processes x {settings['threads']} threads (gthread)")
    return f"gunicorn, {shape}, access log {'on' if settings['accesslog'] else 'off'}"


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int | None = None, threads: int | None = None) -> Iterator[int]:
    """The portal under gunicorn on a free local port (yielded), `env` on top of ours;
    `workers` and `threads` override gunicorn.conf.py's (as WEB_CONCURRENCY and WEB_THREADS do)."""
    global server_pid
    sizes = {name: str(value) for name, value in (("WEB_CONCURRENCY", workers), ("WEB_THREADS", threads)) if value}
    port = free_port()
    server = subprocess.Popen(gunicorn_command(port), cwd=ROOT, env=server_env({**env, **sizes}))
    server_pid = server.pid
    try:
        wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def server_cpu_s(pid: int | None = None) -> float:
    """CPU seconds used so far by the process `pid` (the running gunicorn()'s master by default)
    and its children, from /proc: the live children's own, the ended ones' as the parent counts
    them (a gunicorn worker restarted, a database connection closed meanwhile still count).
    Unlike latency, the cost of an answer hardly moves with the load of the machine's other work.
    NaN when there is no such process here (a server on another machine)."""
    pid = pid or server_pid
    if not pid:
        return float("nan")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(entry) == pid:
            total += sum(int(field) for field in fields[11:15])  # utime, stime, ended children's cutime, cstime
        elif int(fields[1]) == pid:  # (fields[1]: the parent's pid)
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class _Exchange:
    """One keep-alive connection of hammer(): the request it waits on and its answer so far.
    Reads the status line, Content-Length (or chunked framing), Connection and ETag; the body is
    counted, not kept, past its first 300 bytes (for an error's message)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock = self._connect()
        self.answered = 0
        self.retried = -1  # the request last asked again on a new connection

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=600)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def reconnect(self, selector: selectors.BaseSelector) -> None:
        selector.unregister(self.sock)
        self.sock.close()
        self.sock = self._connect()
        selector.register(self.sock, selectors.EVENT_READ, self)

    def ask(self, index: int, request: bytes, *, started: float) -> None:
        self.index, self.started = index, started
        self.pending = bytearray()
        self.status = None
        self.size = 0
        self.excerpt = b""
        self.chunk_left = None
        self.trailer = False
        self.sock.sendall(request)

    def feed(self, chunk: bytes) -> bool:
        """True once the answer is whole; ValueError if it is not HTTP as gunicorn speaks it."""
        if self.status is None:
            self.pending += chunk
            end = self.pending.find(b"\r\n\r\n")
            if end < 0:
                return False
            self._read_head(bytes(self.pending[:end]))
            chunk = bytes(self.pending[end + 4:])
            self.pending = bytearray()
        if self.chunked:
            self.pending += chunk
            return self._dechunk()
        self.size += len(chunk)
        if len(self.excerpt) < 300:
            self.excerpt += chunk[:300]
        if self.size > self.length:
            raise ValueError(f"{self.size - self.length} bytes more than its Content-Length")
        return self.size == self.length

    def _read_head(self, head: bytes) -> None:
        lower = head.lower()
        if not head.startswith(b"HTTP/1.") or not head[9:12].isdigit():
            raise ValueError(f"not an HTTP answer: {head[:80]!r}")
        self.status = int(head[9:12])
        self.closing = _header(head, lower, b"connection") == b"close"
        self.etag = (_header(head, lower, b"etag") or b"").decode("latin-1")
        self.chunked = _header(head, lower, b"transfer-encoding") == b"chunked"
        length = _header(head, lower, b"content-length")
        if self.status in (204, 304):
            self.chunked, self.length = False, 0
        elif length is not None and not self.chunked:
            self.length = int(length)
        elif not self.chunked:
            raise ValueError("an answer with neither Content-Length nor chunked framing")

    def _dechunk(self) -> bool:
        pending = self.pending
        while True:
            if self.chunk_left is None:  # a size line, or (after the last chunk) a trailer line
                end = pending.find(b"\r\n")
                if end < 0:
                    return False
                line = bytes(pending[:end])
                del pending[:end + 2]
                if self.trailer:
                    if not line:
                        return True
                    continue
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    self.trailer = True
                    continue
                self.size += size
                self.chunk_left = size + 2  # its data and CRLF
            take = min(self.chunk_left, len(pending))
            if not take:
                return False
            if len(self.excerpt) < 300:
                self.excerpt += bytes(pending[:min(take, 300)])
            del pending[:take]
            self.chunk_left -= take
            if self.chunk_left == 0:
                self.chunk_left = None


def _header(head: bytes, lower: bytes, name: bytes) -> bytes | None:
    at = lower.find(b"\r\n" + name + b":")
    if at < 0:
        return None
    start = at + len(name) + 3
    end = head.find(b"\r\n", start)
    value = head[start:end if end >= 0 else None].strip()
    return value.lower() if name != b"etag" else value


def hammer(port: int, requests: list[tuple[str, dict[str, str]]], *, clients: int, expected: int = 200,
           ) -> tuple[list[float], list[int], dict[str, str]]:
    """`requests` (path, headers) asked over `clients` keep-alive connections at once, each asking
    its next request as soon as its answer is whole; milliseconds per answer (from sending the
    request to its last byte), body sizes, and each path's ETag.

    One thread serves all the connections (a selector), with each request's bytes built before
    the clock starts: the clients share the machine's cores with the server, so they must cost
    it as little as they can (last_client_cpu_ms says how little). A connection the server
    closes (Connection: close, as sync workers answer) is opened again, inside the next
    request's time. Any other answer than `expected` stops the run (SystemExit naming it).
    """
    global last_client_cpu_ms, last_reconnects
    paths = [path for path, _ in requests]
    prebuilt = [_request_bytes(port, path, headers) for path, headers in requests]
    samples: list[float] = []
    sizes: list[int] = []
    etags: dict[str, str] = {}
    following = iter(range(len(prebuilt)))
    selector = selectors.DefaultSelector()
    exchanges: list[_Exchange] = []
    reconnects = 0
    cpu = time.process_time()  # this process does nothing else meanwhile
    try:
        for _ in range(min(clients, len(prebuilt))):
            exchange = _Exchange(port)
            exchanges.append(exchange)
            selector.register(exchange.sock, selectors.EVENT_READ, exchange)
            index = next(following)
            exchange.ask(index, prebuilt[index], started=time.perf_counter())
        busy = len(exchanges)
        while busy:
            events = selector.select(timeout=600)
            if not events:
                waiting = ", ".join(paths[exchange.index] for exchange in exchanges if exchange.sock.fileno() >= 0)
                raise SystemExit(f"no answer within 600 s (waiting on: {waiting[:300]})")
            for key, _ in events:
                exchange = key.data
                try:
                    chunk = exchange.sock.recv(262144)
                except ConnectionResetError:
                    chunk = b""
                path = paths[exchange.index]
                if not chunk:
                    # An idle keep-alive connection the server closed as the request left: ask
                    # again once on a new one; any other closing is the server's failure.
                    if exchange.status is None and not exchange.pending and exchange.answered and exchange.retried != exchange.index:
                        reconnects += 1
                        exchange.retried = exchange.index
                        exchange.reconnect(selector)
                        exchange.ask(exchange.index, prebuilt[exchange.index], started=time.perf_counter())
                        continue
                    raise SystemExit(f"{path}: the server closed the connection before answering in full")
                try:
                    if not exchange.feed(chunk):
                        continue
                except ValueError as error:
                    raise SystemExit(f"{path}: {error}") from None
                elapsed = (time.perf_counter() - exchange.started) * 1000
                if exchange.status != expected:
                    raise SystemExit(f"{path}: HTTP {exchange.status} (expected {expected}): {exchange.excerpt[:300]!r}")
                samples.append(elapsed)
                sizes.append(exchange.size)
                etags[path] = exchange.etag
                exchange.answered += 1
                index = next(following, None)
                if index is None:
                    selector.unregister(exchange.sock)
                    exchange.sock.close()
                    busy -= 1
                    continue
                started = time.perf_counter()
                if exchange.closing:
                    exchange.reconnect(selector)
                try:
                    exchange.ask(index, prebuilt[index], started=started)
                except (BrokenPipeError, ConnectionResetError):  # closed while idle: once more, anew
                    reconnects += 1
                    exchange.retried = index
                    exchange.reconnect(selector)
                    exchange.ask(index, prebuilt[index], started=time.perf_counter())
    finally:
        for exchange in exchanges:
            exchange.sock.close()
        selector.close()
    last_client_cpu_ms = (time.process_time() - cpu) * 1000 / max(len(samples), 1)
    last_reconnects = reconnects
    return samples, sizes, etags


def _request_bytes(port: int, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


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
