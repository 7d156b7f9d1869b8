"""Two machine reads answered before Django (portal.front), each in one round trip to the cache:

- `GET /works/{doi}` from each work's cached Crossref JSON, with the public rate limit counted.
  A 404, a rate limit reached, an Accept the API does not serve, a miss or any doubt: Django.
- the first page of `GET /api/v1/works/{doi}/cited-by` and `/api/v1/prefixes/{prefix}/cited-by`
  for one of the owner's own API keys, from the cached page and the key's cached record
  (members.selectors), decided by members.access as Django decides. Anything else is Django's:
  other parameters, a session, agents (their grants are read afresh on every request), another
  member's key, a revoked or wrongly scoped key, an address with sign-in failures counted, and a
  key whose use is due to be recorded (once a minute: Django records it and rewrites the record).

views.WorkDetail and cited_by.CitedByBase cache the exact bytes they send (citations.work_json,
which says when they are forgotten).
"""
from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from citations.api.throttling import COUNTED, counter_of
from citations.work_json import cache_key, cited_by_page_key
from deposits.doi import normalize_doi
from members import login_throttle
from members.access import acts_for_itself, key_allows
from members.machine_auth import split_key
from members.models import PREFIX_RE, APIKey
from members.selectors import api_key_cache_key, api_key_from_record
from members.services import api_key_hash, api_key_use_recorded
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


CITED_BY_WORK, CITED_BY_PREFIX, CITED_BY_END = "/api/v1/works/", "/api/v1/prefixes/", "/cited-by"


def cited_by_answer(request) -> Answer | None:
    path = request.path_info
    # The first page only, as the owner's key asked it (the page's links name that very address).
    if not path.endswith(CITED_BY_END) or request.META.get("QUERY_STRING"):
        return None
    if path.startswith(CITED_BY_WORK):
        doi = normalize_doi(path[len(CITED_BY_WORK):-len(CITED_BY_END)])
        page_key = cited_by_page_key(doi=doi) if doi else None
    elif path.startswith(CITED_BY_PREFIX):
        prefix = path[len(CITED_BY_PREFIX):-len(CITED_BY_END)]
        page_key = cited_by_page_key(prefix=prefix) if PREFIX_RE.fullmatch(prefix) else None
    else:
        return None
    credentials = request.META.get("HTTP_AUTHORIZATION", "").split()
    parts = split_key(credentials[1]) if len(credentials) == 2 and credentials[0].lower() == "bearer" else None
    if page_key is None or parts is None:
        return None
    key_id, secret = parts
    failure_keys = login_throttle.failure_keys(request, key_id)
    (record, *failures, page), _ = cached_many([api_key_cache_key(api_key_hash(secret)), *failure_keys, page_key])
    # If Django answers after all, its check of the key reads these instead of asking again.
    request.META[login_throttle.READ_BY_FRONT] = (failure_keys, failures)
    # A record found under the secret's hash proves the secret (as Django's hash comparison does).
    key = api_key_from_record(record) if record else None
    if key is None or key.key_id != key_id or page is None or any(found is not None for found in failures):
        return None
    if not key_allows(key, APIKey.Scope.RETRIEVE) or not api_key_use_recorded(key.last_used, now=timezone.now()):
        return None
    address, owner_id, headers, body = page
    if address != request.build_absolute_uri() or not acts_for_itself(key.member_id, owner_id):
        return None
    return Answer(status=200, headers=headers, body=body)


def cache_once_sent(response, write: Callable[[list[tuple[str, str]], bytes], None]) -> None:
    """`write(headers, body)` with the rendered response's exact headers and bytes, run when the
    response is closed, i.e. after the WSGI server has sent it: the cache's round trip is then no
    part of the client's wait. (Django runs a response's private `_resource_closers` on close;
    tests/test_front.py holds the views to it.)"""
    def callback(rendered) -> None:
        headers, body = list(rendered.items()), rendered.content
        rendered._resource_closers.append(lambda: write(headers, body))

    response.add_post_render_callback(callback)
