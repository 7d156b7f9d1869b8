"""Each work's Crossref JSON (`GET /works/{doi}`) as the exact bytes the API sends, kept in the
shared cache for portal.front to send again, and forgotten (after commit) whenever what it shows
changes: the work's count of citing works, its references' links, a re-deposit, its row.
citations.services and citations.receivers call forget_work_json; citations.api views remember.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import cache

from deposits.models import Work

# A backstop only: every change forgets the entry at once (after commit).
TTL_SECONDS = 15 * 60
CACHE_VERSION = "v1"


def cache_key(doi: str) -> str:
    # DOIs hold any printable character; a digest keeps every cache backend's key rules.
    return f"works-json:{CACHE_VERSION}:{hashlib.sha256(doi.encode()).hexdigest()[:32]}"


def remember_work_json(doi: str, body: bytes) -> None:
    cache.set(cache_key(doi), body, TTL_SECONDS)


def forget_work_json(*, work_ids: Iterable[int]) -> None:
    forget_dois_json(dois=Work.objects.filter(pk__in=list(work_ids)).values_list("doi", flat=True))


def forget_dois_json(*, dois: Iterable[str]) -> None:
    keys = [cache_key(doi) for doi in dois]
    if keys:
        cache.delete_many(keys)
