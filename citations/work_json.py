"""A work's answers kept in the shared cache for portal.front to send again without Django, and the
one hook that forgets them all, forget_public_answers:

- its Crossref JSON, `GET /works/{doi}` (the exact bytes citations.api.views sends);
- the widget's data (citations.widget.data);
- the first page of its cited-by list by API key, and of its prefix's (citations.api.cited_by).

Whatever changes what they show calls forget_public_answers after commit: a work's links and
counts (citations.services' recounts, an editor's decision), a re-deposit or an import
(citations.receivers, citations.work_import), a row saved or deleted (citations.receivers; a
prefix's too, for its page).

One change is not followed at once: a citing work's own metadata (its title edited, say) in the
cited-by pages of the works it cites. Those pages live CITED_BY_PAGE_SECONDS only, so it shows
within a minute; forgetting them on every metadata change would read the changed works' links.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import cache

from citations.widget.data import cache_key as widget_data_key
from deposits.doi import doi_prefix
from deposits.models import Work

# A backstop only: every change forgets the entry at once (after commit).
TTL_SECONDS = 15 * 60
CACHE_VERSION = "v1"
# Short: the page shows its citing works' metadata, whose changes do not forget it (above).
CITED_BY_PAGE_SECONDS = 60
# Ids or keys per statement: a re-deposit may change thousands of works, and the database cache
# deletes many keys in one statement (within SQLite's and Django's limits on its parameters).
CHUNK = 900


def _digest(doi: str) -> str:
    # DOIs hold any printable character; a digest keeps every cache backend's key rules.
    return hashlib.sha256(doi.encode()).hexdigest()[:32]


def cache_key(doi: str) -> str:
    return f"works-json:{CACHE_VERSION}:{_digest(doi)}"


def remember_work_json(doi: str, body: bytes) -> None:
    cache.set(cache_key(doi), body, TTL_SECONDS)


def cited_by_page_key(*, doi: str | None = None, prefix: str | None = None) -> str:
    """The cached first cited-by page of a work (its bare lower-case DOI) or of a prefix."""
    if doi is not None:
        return f"citedby-page:{CACHE_VERSION}:work:{_digest(doi)}"
    return f"citedby-page:{CACHE_VERSION}:prefix:{prefix}"


def remember_cited_by_page(key: str, *, address: str, owner_id: int, headers: list[tuple[str, str]], body: bytes) -> None:
    """A first page as sent to the owner's key at `address` (the whole URL: the page's links name
    it), with the view's own headers; portal.front sends it again only for that same address."""
    cache.set(key, (address, owner_id, headers, body), CITED_BY_PAGE_SECONDS)


def forget_prefix_page(*, prefix: str) -> None:
    """A prefix's cited-by page, when the prefix changes hands (the page names its owner)."""
    cache.delete(cited_by_page_key(prefix=prefix))


def forget_public_answers(*, work_ids: Iterable[int] = (), dois: Iterable[str] = ()) -> None:
    """Forget every cached answer about these works (by id or by DOI): call it after commit, or
    a request in between could cache the old state again."""
    dois = set(dois)
    work_ids = list(work_ids)
    for start in range(0, len(work_ids), CHUNK):
        dois.update(Work.objects.filter(pk__in=work_ids[start:start + CHUNK]).values_list("doi", flat=True))
    keys = set()
    for doi in dois:
        keys.update((cache_key(doi), widget_data_key(doi), cited_by_page_key(doi=doi), cited_by_page_key(prefix=doi_prefix(doi))))
    keys = sorted(keys)
    for start in range(0, len(keys), CHUNK):
        cache.delete_many(keys[start:start + CHUNK])
