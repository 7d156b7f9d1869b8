"""Rate limit of the public works API (`GET /works`, `/works/{doi}`): 429 with Retry-After.

A fixed one-minute window per client address, counted in the "ratelimit" cache (Redis in
production, so every web process counts together). DRF's AnonRateThrottle keeps the time of
every request of the window in one cache entry, which at a generous limit means reading and
writing thousands of floats on each call; one counter per window costs one increment.
The limit is the setting PUBLIC_API_REQUESTS_PER_MINUTE (0: no limit), read on each request.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import BaseThrottle

WINDOW_SECONDS = 60
# The WSGI environ's entry where portal.front leaves its count of a request it passed on to Django.
COUNTED = "portal.front.public_rate_count"


def counter_of(ident: str, *, now: float) -> tuple[str, float]:
    """The cache key counting this client's requests in the window of `now`, and the seconds
    left in that window (portal.front counts here too, in its one round trip)."""
    window = int(now // WINDOW_SECONDS)
    return f"throttle:public:{ident}:{window}", (window + 1) * WINDOW_SECONDS - now


class PublicRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        limit = getattr(settings, "PUBLIC_API_REQUESTS_PER_MINUTE", 0)
        if not limit:
            return True
        now = time.time()
        key, self._wait = counter_of(self.get_ident(request), now=now)
        cache = caches["ratelimit"]  # cheap: Redis, or this process's memory (portal/settings.py)
        # One call per request once the window has started: incr, and add() only for the
        # window's first request (it outlives the window, so incr never finds it gone mid-way).
        count = request.META.get(COUNTED)  # counted by portal.front already: never twice
        if count is None:
            try:
                count = cache.incr(key)
            except ValueError:
                count = 1 if cache.add(key, 1, timeout=2 * WINDOW_SECONDS) else cache.incr(key)
        return count <= limit

    def wait(self) -> float:
        return max(self._wait, 1)
