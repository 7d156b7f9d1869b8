"""Matching references to registered works, creating citation links, keeping cited-by counts right."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from citations import matching
from citations.matching.records import MatchResult, ReferenceQuery
from citations.models import Citation
from citations.search import WorkIndex, work_index
from deposits.models import Reference, Work

log = logging.getLogger(__name__)


@transaction.atomic
def match_works(*, work_ids: Iterable[int]) -> int:
    """Link the DOI-bearing references of these works, and the references waiting for their DOIs.

    Idempotent: references already linked are left alone. Returns how many links were made.
    Clears the works' `match_pending` unless they changed again meanwhile.
    """
    work_ids = list(work_ids)
    started = timezone.now()
    outgoing = Reference.objects.filter(citing_work_id__in=work_ids)
    waiting = Reference.objects.filter(doi__in=Work.objects.filter(pk__in=work_ids).values("doi"))
    unlinked = (outgoing | waiting).exclude(doi="").filter(citation__isnull=True)
    references = list(unlinked.values_list("pk", "citing_work_id", "doi"))
    registered = dict(Work.objects.filter(doi__in={doi for _, _, doi in references}).values_list("doi", "pk"))
    links = [
        Citation(reference_id=ref_id, citing_work_id=citing_id, cited_work_id=registered[doi], method=Citation.Method.PUBLISHER_DOI)
        for ref_id, citing_id, doi in references
        if doi in registered
    ]
    Citation.objects.bulk_create(links, ignore_conflicts=True)
    refresh_cited_by_counts(work_ids={link.cited_work_id for link in links})
    Work.objects.filter(pk__in=work_ids, match_pending=True, updated__lte=started).update(match_pending=False)
    log.info("matched %s of %s unlinked DOI references for %s works", len(links), len(references), len(work_ids))
    return len(links)


def pending_work_ids(*, older_than: timedelta, limit: int) -> list[int]:
    """Works registered or changed a while ago whose matching never finished (a lost task)."""
    cutoff = timezone.now() - older_than
    return list(
        Work.objects.filter(match_pending=True, updated__lt=cutoff).order_by("updated").values_list("pk", flat=True)[:limit]
    )


def refresh_cited_by_counts(*, work_ids: Iterable[int]) -> None:
    """Set each work's cited-by count to its number of distinct citing works."""
    work_ids = list(work_ids)
    if not work_ids:
        return
    distinct_citing = (
        Citation.objects.filter(cited_work=OuterRef("pk"))
        .values("cited_work")
        .annotate(n=Count("citing_work", distinct=True))
        .values("n")
    )
    Work.objects.filter(pk__in=work_ids).update(cited_by_count=Coalesce(Subquery(distinct_citing), Value(0)))


def match_reference_queries(
    queries: Sequence[ReferenceQuery], *, index: WorkIndex | None = None, limit: int = 20
) -> list[MatchResult]:
    """The matcher's answer for each reference, in order: candidates from the index, then `match`.

    The matcher says what to look up (`candidate_query`); the index fetches the candidates of the
    whole batch in a few queries; the matcher picks among them. Pass one `index` for many calls
    to reuse its cache of works (a long-lived process should make a new one now and then).
    """
    index = index or work_index()
    candidates = index.candidates([matching.candidate_query(query) for query in queries], limit=limit)
    return [matching.match(query, candidates=found) for query, found in zip(queries, candidates)]
