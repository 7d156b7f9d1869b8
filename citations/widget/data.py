"""What the widget shows for one DOI, as the JSON bytes its endpoint sends, cached in Django's
cache (the database table on the embedded default, Redis in production) and forgotten when the
work gains or loses a citation (citations.services.refresh_cited_by_counts).

The cached entry does not depend on the key: the key and the asking site are checked on every
request, before the entry is read (members.access, on the key's cached copy that every change to
the key rewrites), so a revoked key stops at once.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from django.core.cache import cache

from citations.selectors import WIDGET_LISTED, citing_works_listed_by_widget
from citations.widget.rich import authors_line, rich_nodes
from deposits.doi import normalize_doi
from deposits.models import Work
from deposits.selectors import work_by_doi
from deposits.xml.markup import clean_html, plain_text
from members.access import widget_key_serves
from members.models import WidgetKey

# The widget lists at most this many citing works (newest first); "Cited by N" counts them all.
LISTED = WIDGET_LISTED
# A backstop only: changes to a work's links forget its entry at once (after commit).
TTL_SECONDS = 15 * 60
CACHE_VERSION = "v1"


@dataclass(frozen=True)
class WidgetEntry:
    owner_id: int
    etag: str
    body: bytes


def cache_key(doi: str) -> str:
    # DOIs hold any printable character; a digest keeps every cache backend's key rules.
    return f"citedby-widget:{CACHE_VERSION}:{hashlib.sha256(doi.encode()).hexdigest()[:32]}"


def widget_entry(doi: str, *, key: WidgetKey | None) -> WidgetEntry | None:
    """The widget's data for `doi`, when `key` may show it (its member owns the work); else None,
    the same for a DOI that is not registered and for another member's."""
    normal = normalize_doi(doi)
    if not normal or key is None:
        return None
    found = cache.get(cache_key(normal))
    if found is None:
        work = work_by_doi(normal, with_owner=False)
        if work is None or not widget_key_serves(key, owner_id=work.owner_id):
            return None
        found = _build(work, key=key)
        cache.set(cache_key(normal), found, TTL_SECONDS)
    entry = WidgetEntry(*found)
    return entry if widget_key_serves(key, owner_id=entry.owner_id) else None


def _build(work: Work, *, key: WidgetKey) -> tuple[int, str, bytes]:
    citing = citing_works_listed_by_widget(work, key=key)
    titles = [clean_html(item.title) for item in citing]  # cleaned once for both forms
    payload = {
        "doi": work.doi,
        "count": work.cited_by_count,
        "works": [
            {
                "doi": item.doi,
                "url": item.doi_url,
                "title": plain_text(title) or item.doi,
                "title_rich": rich_nodes(title, cleaned=True) or [item.doi],
                "authors": authors_line(item.contributors),
                "venue": plain_text(item.container_title),
                "year": item.publication_year,
            }
            for item, title in zip(citing, titles)
        ],
    }
    body = orjson.dumps(payload)
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    return (work.owner_id, etag, body)


def forget_widget_data(*, work_ids: Iterable[int]) -> None:
    """Drop the cached widget data of these works (their citations changed)."""
    forget_widget_dois(dois=Work.objects.filter(pk__in=list(work_ids)).values_list("doi", flat=True))


def forget_widget_dois(*, dois: Iterable[str]) -> None:
    """Drop the cached widget data of the works of these DOIs (for a caller that has the DOIs)."""
    keys = [cache_key(doi) for doi in dois]
    if keys:
        cache.delete_many(keys)
