"""Works and links made straight in the database, for the cited-by API tests (matching itself is
tested elsewhere; here only who may read the links, and how they are written out)."""
from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from citations.models import Citation
from citations.services import refresh_cited_by_counts
from deposits.models import Reference, Work

_positions = itertools.count(1)


def work(member, doi: str, **fields) -> Work:
    fields.setdefault("title", f"Work {doi}")
    return Work.objects.create(doi=doi, owner=member, **fields)


def link(cited: Work, citing: Work, *, key: str = "", created: datetime.datetime | None = None,
         method: str = Citation.Method.PUBLISHER_DOI, status: str = Citation.Status.LINKED, score: float | None = None) -> Citation:
    position = next(_positions)
    reference = Reference.objects.create(citing_work=citing, key=key or f"ref{position}", position=position, doi=cited.doi)
    citation = Citation.objects.create(reference=reference, citing_work=citing, cited_work=cited, method=method, status=status,
                                       score=score, counted_since=None if status == Citation.Status.FLAGGED else timezone.now())
    if created is not None:
        counted_since = None if status == Citation.Status.FLAGGED else created
        Citation.objects.filter(pk=citation.pk).update(created=created, counted_since=counted_since)
        citation.created, citation.counted_since = created, counted_since
    # As every real change to links does: the stored count is what pages and APIs read.
    refresh_cited_by_counts(work_ids=[cited.pk])
    cited.refresh_from_db(fields=["cited_by_count"])
    return citation
