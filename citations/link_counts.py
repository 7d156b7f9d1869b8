"""The works' stored counts of their links (cited_by_count, linked_references_count), recounted
by matching chunks that run side by side: locks taken in one order, rows written only when a
count moved."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connections
from django.db.models import Count

from citations.models import Citation
from deposits.models import Work

# Ids in one `IN (...)` list: under SQLite's and Django's limits on a statement's parameters.
IDS_PER_QUERY = 900


def recount_links(*, cited_ids: Iterable[int], citing_ids: Iterable[int], using: str = "default") -> set[int]:
    """Set the cited-by count (distinct citing works) of the works `cited_ids` and the linked
    references count of the works `citing_ids` from their counted links; return the works whose
    counts changed. Runs in the caller's transaction (it must be in one).

    The works are locked first, in id order, FOR NO KEY UPDATE (new links may still reference
    them meanwhile): two chunks sharing popular works queue for them instead of deadlocking, and
    the counts, read once the locks are held, see every link committed before. Only the rows
    whose counts moved are written, in one statement: most works of a chunk keep theirs. Both
    counts read only columns of the citations' (cited_work, status, citing_work) and
    (citing_work, status) indexes (`COUNT(*)`, not of the key), so PostgreSQL counts from the
    indexes without visiting a link's row (migration 0016).
    """
    cited, citing = set(cited_ids), set(citing_ids)
    ids = sorted(cited | citing)
    if not ids:
        return set()
    works = Work.objects.using(using)
    current: dict[int, tuple[int, int]] = {}
    for part in _parts(ids):  # (ascending parts: the locks are taken in id order all along)
        locked = works.select_for_update(no_key=True).filter(pk__in=part).order_by("pk")
        current.update((pk, (cited_by, linked)) for pk, cited_by, linked in locked.values_list("pk", "cited_by_count", "linked_references_count"))
    links = Citation.objects.using(using).filter(status__in=Citation.COUNTED).order_by()
    cited_by: dict[int, int] = {}
    for part in _parts(sorted(cited)):
        cited_by.update(links.filter(cited_work_id__in=part).values_list("cited_work_id").annotate(n=Count("citing_work_id", distinct=True)))
    linked: dict[int, int] = {}
    for part in _parts(sorted(citing)):
        linked.update(links.filter(citing_work_id__in=part).values_list("citing_work_id").annotate(n=Count("*")))
    moved: dict[int, tuple[int, int]] = {}
    for pk, was in current.items():  # (a work deleted meanwhile has no row to lock nor to count)
        now = (cited_by.get(pk, 0) if pk in cited else was[0], linked.get(pk, 0) if pk in citing else was[1])
        if now != was:
            moved[pk] = now
    _write_counts(moved, using=using)
    return set(moved)


def _write_counts(counts: dict[int, tuple[int, int]], *, using: str) -> None:
    """Write (cited_by_count, linked_references_count) for each work: one statement on PostgreSQL."""
    if not counts:
        return
    connection = connections[using]
    if connection.vendor != "postgresql":
        rows = [Work(pk=pk, cited_by_count=cited_by, linked_references_count=linked) for pk, (cited_by, linked) in sorted(counts.items())]
        Work.objects.using(using).bulk_update(rows, ["cited_by_count", "linked_references_count"])
        return
    quote = connection.ops.quote_name
    key, cited_by, linked = Work._meta.pk, Work._meta.get_field("cited_by_count"), Work._meta.get_field("linked_references_count")
    ids = sorted(counts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Work._meta.db_table)} AS w SET {quote(cited_by.column)} = u.cited_by, {quote(linked.column)} = u.linked "
            f"FROM unnest(%s::{key.cast_db_type(connection)}[], %s::{cited_by.cast_db_type(connection)}[], "
            f"%s::{linked.cast_db_type(connection)}[]) AS u(id, cited_by, linked) WHERE w.{quote(key.column)} = u.id",
            [ids, [counts[pk][0] for pk in ids], [counts[pk][1] for pk in ids]],
        )


def _parts(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), IDS_PER_QUERY):
        yield ids[start : start + IDS_PER_QUERY]
