"""A member's stored dashboard figures (citations.models.MemberFigures): counting them, storing
them, and asking a worker to count them again after a change.

Counting is a handful of set queries over the member's works, links and unmatched references:
fine in a worker, too slow per request at a million links (COUNT(DISTINCT) of citing works and
members). So pages read the stored row (one query), and the background work keeps it current:

- every change to a work's counted links goes through services.refresh_link_counts (or a
  matching chunk's own recount), which call `figures_changed` with the works concerned; a deposit's
  receiver does the same for the works it registered;
- after the change commits, the owners of those works get one recount each, debounced: the
  first change in a window sets a cache key and queues the task `DEBOUNCE` seconds later (longer
  when the members' last recounts were slow: a few times what they cost together); changes
  meanwhile (a burst of matching chunks) find the key and queue nothing. The task deletes the
  keys before it counts, so a change committed after that queues a recount of its own;
- a periodic sweep recounts the members counted longest ago (a lost task, a failed cache).
"""
from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from citations.models import Citation, MemberFigures, UnmatchedReference
from deposits.models import Work
from members.models import Member

log = logging.getLogger(__name__)

PENDING_KEY = "citations:member-figures-pending:{}"
COST_KEY = "citations:member-figures-cost:{}"  # seconds the member's last recount took
# The chart shows 12 months; two years stored keep it whole for a while if recounts stop.
STORED_MONTHS = 24


def count_figures(*, member_id: int) -> dict:
    """The member's figures counted from the rows (six queries, whatever the member's size)."""
    figures = Work.objects.filter(owner_id=member_id).aggregate(
        works=Count("pk"),
        works_with_references=Count("pk", filter=Q(references_count__gt=0)),
        references=Sum("references_count", default=0),
        references_matched=Sum("linked_references_count", default=0),
        citations_received=Sum("cited_by_count", default=0),
    )
    counted = Citation.objects.filter(cited_work__owner_id=member_id, status__in=Citation.COUNTED)
    figures.update(counted.aggregate(
        citing_works=Count("citing_work", distinct=True),
        citing_members=Count("citing_work__owner", distinct=True),
    ))
    reasons = (UnmatchedReference.objects.filter(reference__citing_work__owner_id=member_id)
               .values("reason").annotate(n=Count("pk")).order_by())
    figures["unmatched_by_reason"] = {row["reason"]: row["n"] for row in reasons}
    figures["citations_per_month"] = _months(counted)
    works = Work.objects.filter(owner_id=member_id)
    figures["work_types"] = list(works.order_by("type").values_list("type", flat=True).distinct())
    figures["work_years"] = list(works.exclude(publication_year=None).order_by("-publication_year")
                                 .values_list("publication_year", flat=True).distinct())
    return figures


def _months(counted) -> dict[str, int]:
    """Counted links found in each of the last STORED_MONTHS calendar months, in one pass: a
    count filtered on each month's range (plain comparisons on the created column; truncating
    every row's date is a Python function call per row on SQLite)."""
    today = timezone.now().date()
    starts = [month_start(today, back=back) for back in range(STORED_MONTHS - 1, -1, -1)]
    ends = starts[1:] + [month_start(today, back=-1)]
    at = partial(datetime.datetime.combine, time=datetime.time.min, tzinfo=datetime.timezone.utc)
    counts = counted.aggregate(**{
        f"{start:%Y-%m}": Count("pk", filter=Q(created__gte=at(start), created__lt=at(end))) for start, end in zip(starts, ends)
    })
    return {month: n for month, n in counts.items() if n}


def month_start(day: datetime.date, *, back: int) -> datetime.date:
    """The first day of the month `back` months before `day`'s (negative: after)."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def refresh_member_figures(*, member_ids: Iterable[int]) -> list[MemberFigures]:
    """Count and store the figures of these members (those that still exist). Idempotent; two
    recounts racing both write whole rows counted from committed data, and the upsert never
    fails on the row the other one inserted."""
    existing = list(Member.objects.filter(pk__in=set(member_ids)).order_by("pk").values_list("pk", flat=True))
    rows, costs = [], {}
    for pk in existing:
        started = time.monotonic()
        rows.append(MemberFigures(member_id=pk, computed_at=timezone.now(), **count_figures(member_id=pk)))
        costs[COST_KEY.format(pk)] = time.monotonic() - started
    fields = [field.name for field in MemberFigures._meta.concrete_fields if field.name != "member"]
    MemberFigures.objects.bulk_create(rows, update_conflicts=True, unique_fields=["member"], update_fields=fields)
    try:
        cache.set_many(costs, timeout=7 * 24 * 3600)
    except Exception:  # only the spacing of later recounts depends on it
        log.warning("could not remember how long counting the figures of members %s took", existing[:20])
    return rows


def member_figures(member: Member) -> MemberFigures:
    """The member's stored figures (one query); counted once and stored when there are none yet."""
    stored = MemberFigures.objects.filter(member=member).first()
    if stored is None:
        stored = refresh_member_figures(member_ids=[member.pk])[0]
    return stored


def stalest_member_ids(*, limit: int) -> list[int]:
    """Members never counted first, then those counted longest ago (the periodic sweep)."""
    return list(
        Member.objects.order_by(F("figures__computed_at").asc(nulls_first=True), "pk").values_list("pk", flat=True)[:limit]
    )


def figures_changed(*, work_ids: Iterable[int]) -> None:
    """These works' figures changed (in the current transaction, if any): once it commits, their
    owners' stored figures are recounted (debounced).

    One request per transaction however often this is called in it: a re-deposit that drops
    references deletes their links one by one (post_delete recounts each), and asking per link
    would cost a lookup and a cache round trip per row after the commit.
    """
    work_ids = list(work_ids)
    if not work_ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _request_for_works(work_ids)
        return
    pending = getattr(_changed, "pending", None)
    # Not waiting for this commit any more (it ran, or a rollback dropped it with the works
    # gathered for it): start afresh.
    if pending is None or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = _changed.pending = _ChangedWorks()
        transaction.on_commit(pending)
    pending.work_ids.update(work_ids)


_changed = threading.local()  # the current transaction's _ChangedWorks, per thread


class _ChangedWorks:
    """The works changed in one transaction; called once it commits."""

    def __init__(self) -> None:
        self.work_ids: set[int] = set()

    def __call__(self) -> None:
        if getattr(_changed, "pending", None) is self:
            _changed.pending = None
        if self.work_ids:
            _request_for_works(sorted(self.work_ids))


def _request_for_works(work_ids: list[int]) -> None:
    try:
        owners = Work.objects.filter(pk__in=work_ids).values_list("owner_id", flat=True).distinct()
        request_figures_refresh(member_ids=list(owners))
    except Exception:  # after commit: the change stands; the sweep recounts these members later
        log.exception("could not ask for a recount of the figures of the owners of works %s", work_ids[:20])


def request_figures_refresh(*, member_ids: Iterable[int]) -> None:
    """Queue one recount of these members' figures, unless one is already waiting."""
    from citations.tasks import refresh_member_figures_task  # tasks import the services that call this

    delay = settings.MEMBER_FIGURES_DEBOUNCE_SECONDS
    # The key outlives the countdown by a margin, so a recount waiting behind a busy queue is not
    # queued twice; if its task is lost, the key expires and the next change queues another.
    ttl = delay + settings.MEMBER_FIGURES_PENDING_SECONDS
    due = [pk for pk in sorted(set(member_ids)) if cache.add(PENDING_KEY.format(pk), timezone.now().isoformat(), timeout=ttl)]
    if due:
        # The members asked for together are recounted in one task, which waits FACTOR times what
        # their last recounts cost together (a million links on SQLite: tens of seconds), so a
        # long burst of matching never keeps a worker recounting: at most 1/(1 + FACTOR) of one.
        # Each member waiting by its own cost did not bound that: bench-scale's 40 members at
        # 1,000,000 works cost 0.4-2 s each, 26 s together, and each was asked again 10 s after
        # the recount began (a worker's 150 s of matching held one 26 s recount).
        costs = cache.get_many([COST_KEY.format(pk) for pk in due])
        wait = round(max(delay, settings.MEMBER_FIGURES_COST_FACTOR * sum(costs.values())), 1)
        if wait > delay:  # still waiting until then: changes meanwhile ride on it
            for pk in due:
                cache.touch(PENDING_KEY.format(pk), timeout=wait + settings.MEMBER_FIGURES_PENDING_SECONDS)
        refresh_member_figures_task.apply_async((due,), countdown=wait)


def forget_requests(*, member_ids: Iterable[int]) -> None:
    """The recount starts: changes committed from now on need a recount of their own."""
    cache.delete_many([PENDING_KEY.format(pk) for pk in member_ids])


def months_from(figures: MemberFigures, *, months: int = 12,
                now: datetime.datetime | None = None) -> list[tuple[datetime.date, int]]:
    """The stored counts of the last `months` calendar months, oldest first, missing ones as 0
    (the dashboard's chart: dashboard.citations_per_month counted from the stored row)."""
    today = (now or timezone.now()).date()
    return [(month, figures.citations_per_month.get(f"{month:%Y-%m}", 0))
            for month in (month_start(today, back=back) for back in range(months - 1, -1, -1))]
