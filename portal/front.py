"""A WSGI layer in front of Django that answers the commonest machine reads from the shared cache
alone, before Django's handler, URL resolver and middleware run: the widget's data
(citations.widget.front), `GET /works/{doi}` and an owner's key's first cited-by page
(citations.api.front).

Eight pages or platforms asking at once on two cores wait for one another, so an answer's latency
is several times the CPU of one request; Django's request handling alone cost more than the whole
budget of a cached answer (issue 16's notes). Here a cached answer costs one Redis round trip and
a few dozen microseconds of Python.

Each reader (READERS below) decides from the cached records with the same functions as its Django
view (members.access for widget and API keys), and answers only when it is sure: on a cache miss,
a cookie, any other method, or any doubt it returns None and Django answers, as if this layer
were not there. The headers are those Django's kept middleware adds (security headers, the
Content-Security-Policy, X-Frame-Options, Content-Length), taken once per process from that
middleware itself run on an empty answer (tests/test_front.py compares every header and byte).
"""
from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.utils.module_loading import import_string

from portal.cache import RedisCache
from portal.machine_paths import SKIPPED

MACHINE_PATHS = "portal.machine_paths.MachinePathsMiddleware"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """What a reader answers: status, its own headers (in Django's view's order), the body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


# The readers: the path prefix each serves, and its function of the request (None: Django answers).
READERS = [
    ("/widget/v1/data/", "citations.widget.front.data_answer"),
    ("/works/", "citations.api.front.work_answer"),
    ("/api/v1/", "citations.api.front.cited_by_answer"),
]
Reader = Callable[[WSGIRequest], "Answer | None"]


def enabled() -> bool:
    """Only over a cache outside the database: a read from the database table would need Django's
    per-request connection handling, and would save nothing."""
    # (Paths excluded from the CSP would make the headers differ by path: then Django answers.)
    excluded = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES")
    return "DatabaseCache" not in settings.CACHES["default"]["BACKEND"] and not settings.DEBUG and not excluded


class Front:
    """WSGI application: the readers' answers, else Django's `application`."""

    def __init__(self, application) -> None:
        self.application = application
        self._middleware: list | None = None
        self._tails: dict[bool, list[tuple[str, str]]] = {}
        self._lock = threading.Lock()
        self._readers: list[tuple[str, Reader]] | None = None
        self._error_logged = False

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and not environ.get("HTTP_COOKIE") and enabled():
            answer = self._answer(environ)
            if answer is not None:
                start_response(answer[0], answer[1])
                return [answer[2]]
        return self.application(environ, start_response)

    def _answer(self, environ) -> tuple[str, list[tuple[str, str]], bytes] | None:
        path = environ.get("PATH_INFO", "")
        if self._readers is None:
            self._readers = [(prefix, import_string(reader)) for prefix, reader in READERS]
        reader = next((read for prefix, read in self._readers if path.startswith(prefix)), None)
        if reader is None:
            return None
        try:
            request = WSGIRequest(environ)
            # What Django's kept middleware would do first (an HTTPS redirect, a refused host or
            # user agent, a "www." redirect): any answer of theirs is Django's to give.
            for process_request in self.request_steps():
                if process_request(request) is not None:
                    return None
            answer = reader(request)
        except Exception:  # noqa: BLE001  (any doubt, even a bad Host header: Django answers, and says why)
            # The first error's traceback once per process (Redis down would log one per request).
            log.warning("portal.front left %s to Django after an error", path, exc_info=not self._error_logged)
            self._error_logged = True
            return None
        if answer is None:
            return None
        headers = list(answer.headers)
        for name, value in self.tail(request.is_secure()):
            headers.append((name, str(len(answer.body)) if name == "Content-Length" else value))
        return f"{answer.status} {HTTPStatus(answer.status).phrase}", headers, answer.body

    def middleware(self) -> list:
        """Django's middleware that machine reads keep (portal.machine_paths), outermost first."""
        if self._middleware is None:
            kept = [path for path in settings.MIDDLEWARE if path not in SKIPPED and path != MACHINE_PATHS]
            self._middleware = [import_string(path)(_no_view) for path in kept]
        return self._middleware

    def request_steps(self) -> list:
        return [middleware.process_request for middleware in self.middleware() if hasattr(middleware, "process_request")]

    def tail(self, secure: bool) -> list[tuple[str, str]]:
        """The headers the kept middleware adds after a view's own, in Django's order: their
        process_response run on an empty answer (Content-Length is filled in per answer)."""
        tail = self._tails.get(secure)
        if tail is None:
            with self._lock:
                environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "front", "SERVER_PORT": "443" if secure else "80",
                           "wsgi.url_scheme": "https" if secure else "http", "wsgi.input": io.BytesIO()}
                request = WSGIRequest(environ)
                response = HttpResponse(b"")
                own = set(response.headers)
                for middleware in reversed(self.middleware()):
                    response = middleware.process_response(request, response)
                tail = self._tails[secure] = [(name, value) for name, value in response.items() if name not in own]
        return tail


def _no_view(request):  # the kept middleware is only asked for its request and response steps
    raise AssertionError("portal.front never calls a view through the middleware")


def cached_many(keys: Iterable[str], *, count: str | None = None) -> tuple[list, int | None]:
    """The shared cache's values for `keys` (None where missing) and, if `count` is given, that
    rate-limit counter ("ratelimit" cache) incremented: its new value, or None if it has not been
    started. On Redis both in one round trip (one pipeline); on other caches, as they can."""
    keys = list(keys)
    default, counters = caches["default"], caches["ratelimit"]
    if isinstance(default, RedisCache):
        both = default.get_many_counted(keys, counters=counters if isinstance(counters, RedisCache) else None, count=count)
        if both is not None:
            return both
    found = default.get_many(keys)
    counted = None
    if count is not None:
        try:
            counted = counters.incr(count)
        except ValueError:
            counted = None
    return [found.get(key) for key in keys], counted
