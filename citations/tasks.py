"""Celery tasks of citations: thin, they take ids and call a service."""
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from citations.services import match_works, pending_work_ids, rematch_references, unmatched_reference_ids
from portal.celery import DATABASE_TROUBLE, waiting_tasks


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, retry_backoff=True, retry_backoff_max=300, max_retries=10)
def match_works_task(work_ids: list[int]) -> int:
    return match_works(work_ids=work_ids)


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, max_retries=3)
def match_pending_works() -> int:
    """Periodic (beat): queue matching again for works whose matching task was lost.

    Bounded: at most MATCHING_RECONCILE_CHUNKS chunks per run; the next run takes the rest. It
    only tops the queue up: while that many tasks already wait (a large deposit's own matching,
    or an earlier run's), the works still marked are most likely in them, and sending them again
    would only make the backlog longer.
    """
    waiting = waiting_tasks()
    if waiting is None or waiting >= settings.MATCHING_RECONCILE_CHUNKS:
        return 0
    size = settings.MATCHING_CHUNK_SIZE
    work_ids = pending_work_ids(
        older_than=timedelta(seconds=settings.MATCHING_PENDING_GRACE_SECONDS),
        limit=size * settings.MATCHING_RECONCILE_CHUNKS,
    )
    for start in range(0, len(work_ids), size):
        match_works_task.delay(work_ids[start : start + size])
    return len(work_ids)


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, max_retries=3)
def retry_unmatched_references() -> int:
    """Periodic (beat): try again the unmatched references tried longest ago, a bounded chunk a run.

    New works find the references that could match them through the reference index at once;
    this slow sweep catches what that misses (a better matcher, a work found by other words).
    """
    return rematch_references(reference_ids=unmatched_reference_ids(limit=settings.MATCHING_RETRY_CHUNK))


# --- Notifications (citations.notifications) ------------------------------------------------

@shared_task(bind=True, acks_late=True, autoretry_for=DATABASE_TROUBLE, max_retries=3)
def deliver_callback(self, delivery_pk: int) -> str:
    """One attempt; a failure is tried again after its backoff (and found by the scan if lost).
    Idempotent: a delivered or given-up delivery is left alone."""
    from citations.notifications import deliver

    delivery = deliver(delivery_pk=delivery_pk)
    if delivery is not None and delivery.status == delivery.Status.PENDING and delivery.next_try:
        from django.utils import timezone

        deliver_callback.apply_async((delivery_pk,), countdown=max((delivery.next_try - timezone.now()).total_seconds(), 0))
    return delivery.status if delivery else "gone"


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, max_retries=3)
def send_callbacks() -> int:
    """Periodic (beat): new citations become deliveries; due deliveries are queued."""
    from citations.notifications import claim_due_deliveries, queue_new_citation_deliveries

    queue_new_citation_deliveries()
    due = claim_due_deliveries()
    for pk in due:
        deliver_callback.delay(pk)
    return len(due)


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, max_retries=3)
def send_citation_digests() -> int:
    """Periodic (beat, hourly): daily and weekly emails of new citations."""
    from citations.notifications import send_due_digests

    return send_due_digests()


# --- Members' stored figures (citations.figures) ---------------------------------------------

@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, retry_backoff=True, retry_backoff_max=300, max_retries=10)
def refresh_member_figures_task(member_ids: list[int]) -> int:
    """Recount these members' dashboard figures. Idempotent: it counts from the rows each time."""
    from citations.figures import forget_requests, refresh_member_figures

    forget_requests(member_ids=member_ids)
    return len(refresh_member_figures(member_ids=member_ids))


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, max_retries=3)
def refresh_stalest_member_figures() -> int:
    """Periodic (beat): the safety net. Queues a recount of the members counted longest ago (or
    never), a bounded number a run, each its own short task."""
    from citations.figures import stalest_member_ids

    member_ids = stalest_member_ids(limit=settings.MEMBER_FIGURES_SWEEP_LIMIT)
    for pk in member_ids:
        refresh_member_figures_task.delay([pk])
    return len(member_ids)


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, max_retries=3)
def rebuild_set_aside_indexes() -> int:
    """Periodic (beat): build the registry's indexes that a bulk `import_works` which died had set
    aside (citations.bulk_load). The next import_works run builds them too, but a load that is
    never run again would leave searches and pages without them. A live bulk load holds them (its
    lock): left to it. Returns how many were built."""
    from django.db import connection

    from citations import bulk_load

    if connection.vendor != "postgresql":
        return 0
    return len(bulk_load.rebuild_set_aside_indexes() or [])
