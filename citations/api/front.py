"""`GET /works/{doi}` answered before Django (portal.front) from each work's cached Crossref JSON,
with the public rate limit counted in the same round trip.

views.WorkDetail caches the exact bytes it sends (citations.work_json, which says when they are
forgotten). A 404, a rate limit reached, an Accept
the API does not serve, a miss or any doubt is left to Django.
"""
from __future__ import annotations

import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from citations.api.throttling import COUNTED, counter_of
from citations.work_json import cache_key
from deposits.doi import normalize_doi
from portal.front import Answer, cached_many

PREFIX = "/works/"
# What views.WorkDetail sends besides its body (DRF's Allow for an APIView with get()).
HEADERS = [("Content-Type", "application/json"), ("Allow", "GET, HEAD, OPTIONS")]
# Accept values the API's one renderer (application/json) serves as it would without one.
SERVED = frozenset({"*/*", "application/*", "application/json"})
_throttle = BaseThrottle()  # for get_ident: the same client identity as the Django path's


def work_answer(request) -> Answer | None:
    path = request.path_info[len(PREFIX):]
    # An old page address ("…/") or a Crossref resolver URL ("https:/…", merged "//"): Django's.
    if not path or path.endswith("/") or "://" in path or path.lower().startswith("http"):
        return None
    if not _accepts_json(request.META.get("HTTP_ACCEPT", "")) or "format=" in request.META.get("QUERY_STRING", ""):
        return None  # DRF negotiates (406, or ?format=)
    doi = normalize_doi(path)
    if not doi:
        return None
    limit = getattr(settings, "PUBLIC_API_REQUESTS_PER_MINUTE", 0)
    counter = counter_of(_throttle.get_ident(request), now=time.time())[0] if limit else None
    (body,), count = cached_many([cache_key(doi)], count=counter)
    if count is not None:
        # Counted once: if Django answers after all, its throttle reads this count.
        request.META[COUNTED] = count
        if count > limit:
            return None  # the refusal, and when to retry, are Django's to say
    elif counter is not None:
        return None  # a window's first request: Django's throttle starts its counter
    if body is None:
        return None
    return Answer(status=200, headers=HEADERS, body=body)


def _accepts_json(accept: str) -> bool:
    if not accept:
        return True
    types = [part.split(";", 1) for part in accept.split(",")]
    # Media type parameters other than q change what DRF picks: leave those to it.
    if any(len(kind) > 1 and not kind[1].strip().startswith("q=") for kind in types):
        return False
    return any(kind[0].strip() in SERVED for kind in types)
