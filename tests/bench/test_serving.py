"""bench/serving.py's hammer(), the one-thread client of the HTTP benchmarks, against real local
servers: a small HTTP/1.1 server of the test's own (keep-alive, Content-Length, chunked, 304,
Connection: close, a failure) and the portal under gunicorn as the benchmarks start it."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import serving
from tests.conftest import worker_env


class _Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.paths: list[str] = []
        self.connections = 0
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    """/size/N: N bytes (ETag "N"); /chunked/N: N bytes in chunks of 1,000; /close/N: N bytes and
    Connection: close (as a sync worker answers); /silent/N: N bytes, then the connection closed
    unannounced; /broken: HTTP 500."""

    protocol_version = "HTTP/1.1"
    server: _Recorder

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        with self.server.lock:
            self.server.paths.append(self.path)
        kind, _, number = self.path.strip("/").partition("/")
        if kind == "broken":
            self._send(500, b"broken on purpose")
        elif kind == "chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            body = b"x" * int(number)
            for start in range(0, len(body), 1000):
                part = body[start:start + 1000]
                self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif self.headers.get("If-None-Match") == f'"{number}"':
            self.send_response(304)
            self.send_header("ETag", f'"{number}"')
            self.end_headers()
        else:
            self._send(200, b"x" * int(number), close=kind == "close", etag=f'"{number}"')
            if kind == "silent":  # closes without saying so, as an idle keep-alive connection is closed
                self.close_connection = True

    def _send(self, status: int, body: bytes, *, close: bool = False, etag: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[_Recorder]:
    recorder = _Recorder()
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    yield recorder
    recorder.shutdown()
    recorder.server_close()


def _port(server: _Recorder) -> int:
    return server.server_address[1]


def test_each_request_is_asked_once_over_as_many_keep_alive_connections_as_clients(server):
    requests = [(f"/size/{n}", {}) for n in range(40)]

    samples, sizes, etags = serving.hammer(_port(server), requests, clients=4)

    assert sorted(server.paths) == sorted(path for path, _ in requests)
    assert server.connections == 4
    assert len(samples) == 40 and all(ms > 0 for ms in samples)
    assert sorted(sizes) == list(range(40))
    assert etags["/size/7"] == '"7"'


def test_headers_are_sent_and_revalidation_expects_304_without_a_body(server):
    _, sizes, _ = serving.hammer(_port(server), [("/size/5", {"If-None-Match": '"5"'})] * 6, clients=2, expected=304)

    assert sizes == [0] * 6


def test_a_body_larger_than_one_read_and_a_chunked_one_are_read_whole(server):
    big = 3_000_000
    _, sizes, _ = serving.hammer(_port(server), [(f"/size/{big}", {}), (f"/chunked/{big}", {}), ("/chunked/0", {}),
                                                 ("/size/1", {})] * 2, clients=1)

    # One connection: had a body been misread, the next answer's bytes would have been taken for it.
    assert sizes == [big, big, 0, 1] * 2
    assert server.connections == 1


def test_a_server_closing_each_connection_is_asked_again_on_a_new_one(server):
    samples, _, _ = serving.hammer(_port(server), [("/close/10", {})] * 9, clients=3)

    assert len(samples) == 9
    assert server.connections == 9
    assert serving.last_reconnects == 0  # each closing was announced: no request was lost on a closed one


def test_a_request_lost_on_a_connection_closed_unannounced_is_asked_again_on_a_new_one(server):
    samples, _, _ = serving.hammer(_port(server), [("/silent/10", {})] * 3, clients=1)

    assert len(samples) == 3
    assert server.paths == ["/silent/10"] * 3
    assert serving.last_reconnects == 2


def test_an_answer_other_than_expected_stops_the_run_naming_the_request_and_what_came(server):
    with pytest.raises(SystemExit, match=r"/broken: HTTP 500 \(expected 200\): b'broken on purpose'"):
        serving.hammer(_port(server), [("/size/1", {})] * 3 + [("/broken", {})], clients=2)


def test_the_client_cpu_per_answer_is_measured(server):
    serving.hammer(_port(server), [("/size/10", {})] * 20, clients=2)

    assert serving.last_client_cpu_ms > 0


@pytest.mark.django_db(transaction=True)
def test_the_portal_served_as_the_benchmarks_serve_it_answers_the_hammer():
    from bench.widget.run import ORIGIN, fill

    key, dois, _ = fill(works=3, citing=2)
    requests = [(f"/widget/v1/data/{doi}?key={key}", {"Origin": ORIGIN}) for doi in dois] * 4
    with serving.gunicorn(worker_env(WEB_CONCURRENCY="1", WEB_THREADS="2")) as port:
        samples, sizes, etags = serving.hammer(port, requests, clients=4)
        serving.hammer(port, [(path, {**headers, "If-None-Match": etags[path]}) for path, headers in requests],
                       clients=4, expected=304)

    assert len(samples) == 12 and min(sizes) > 100
    assert all(etags[path] for path, _ in requests)
