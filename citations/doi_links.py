"""References that carry a DOI, decided a whole chunk at a time.

A reference with a DOI is linked to that DOI's work or to nothing: its other fields can only
contradict it (then it is flagged for the cited work's editors), and an unregistered DOI waits
for its work. So a chunk needs no candidate search: one query fetches the works of all its DOIs
(plain rows, no ORM objects), and the matcher's own `match` decides each reference among the
works of its DOIs alone, the very candidates the index would have fetched for it, so the
decisions are the DOI rules' own (`citations.matching.matcher`), never a copy of them.

The writes are those of every match (`citations.services._match_and_link`): citations and flags
in bulk (`insert_links`, ON CONFLICT DO NOTHING, so a chunk run again changes nothing), then the
counts and the widget's cache once per chunk.
"""
from __future__ import annotations

from collections.abc import Sequence

import orjson
from django.db import connections
from django.utils import timezone

from citations import matching
from citations.matching.records import MatchResult, ReferenceQuery, WorkRecord
from citations.models import Citation
from citations.search.records import work_records_by_doi
from deposits.doi import normalize_doi


def doi_key(doi: str) -> str:
    """The form a DOI is looked up in (as the search index looks it up: registered DOIs are bare
    and lower case, references give URLs, prefixes and capitals)."""
    return normalize_doi(doi) or (doi or "").strip().lower()


def works_by_doi(dois: Sequence[str], *, using: str = "default") -> dict[str, WorkRecord]:
    """The registered works of these DOIs, by `doi_key`: one query per IDS_PER_QUERY DOIs."""
    keys = sorted({doi_key(doi) for doi in dois} - {""})
    return {doi_key(record.doi): record for record in work_records_by_doi(keys, using=using)}


def decide_doi_references(
    queries: Sequence[ReferenceQuery], dois: Sequence[tuple[str, ...]], *, using: str = "default"
) -> list[MatchResult | None]:
    """The DOI rules' answer for each reference that carries a DOI (None for the others): linked,
    contradicted (to be flagged) or unmatched ("doi-not-registered")."""
    works = works_by_doi([doi for given in dois for doi in given], using=using)
    return [decide(query, given, works=works) if given else None for query, given in zip(queries, dois)]


def decide(query: ReferenceQuery, dois: tuple[str, ...], *, works: dict[str, WorkRecord]) -> MatchResult:
    """One reference: the matcher's `match` among the works of its DOIs, in the order it gives
    them (its first registered DOI wins), as the candidate search would hand them over."""
    candidates = list({work.id: work for doi in dois if (work := works.get(doi_key(doi))) is not None}.values())
    return matching.match(query, candidates=candidates)


# The columns a new link is written with (the others stay empty until an editor decides); their
# SQL types are the model's own, asked of the connection.
_LINK_COLUMNS = (
    "reference_id", "citing_work_id", "cited_work_id", "method", "score", "agreed", "note", "status", "created", "counted_since",
    "cited_version",
)


def insert_links(links: Sequence[dict], *, using: str = "default") -> None:
    """Write new links (dicts of Citation fields: reference_id, citing_work_id, cited_work_id,
    method, score, agreed, note, status, counted_since, cited_version); a reference linked already (a chunk run
    again, or linked by another worker meanwhile) keeps its link (ON CONFLICT DO NOTHING).

    On PostgreSQL the links go as one JSON document that the server turns into rows: the ORM's
    `bulk_create` built a model object and prepared ten parameters a row in Python, which cost the
    matching process about as much as deciding the references.
    """
    if not links:
        return
    connection = connections[using]
    now = timezone.now()
    if connection.vendor != "postgresql":
        Citation.objects.using(using).bulk_create([Citation(**link, created=now) for link in links], ignore_conflicts=True)
        return
    names = ", ".join(_LINK_COLUMNS)
    shape = ", ".join(f"{name} {Citation._meta.get_field(name).db_type(connection)}" for name in _LINK_COLUMNS)
    document = orjson.dumps([{**link, "created": now} for link in links])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Citation._meta.db_table} ({names}) SELECT {names} FROM jsonb_to_recordset(%s::jsonb) AS t({shape}) "
            "ON CONFLICT (reference_id) DO NOTHING",
            [document.decode()],
        )
