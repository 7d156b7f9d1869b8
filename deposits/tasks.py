"""Celery tasks of deposits: thin, they take ids and call a service."""
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from deposits.services import deposit_files_purge, deposit_process, deposits_requeue_stale
from portal.celery import DATABASE_TROUBLE


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, retry_backoff=True, retry_backoff_max=300, max_retries=10)
def process_deposit(deposit_id: int) -> None:
    deposit_process(deposit_id=deposit_id)


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, max_retries=3)
def requeue_stale_deposits() -> list[int]:
    """Periodic (beat): deposits whose task was lost or died are taken up again."""
    return deposits_requeue_stale()


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, max_retries=3)
def purge_failed_deposit_files() -> int:
    """Periodic (beat, daily): files of deposits that registered nothing, past their retention."""
    return deposit_files_purge(older_than=timedelta(days=settings.FAILED_DEPOSIT_FILE_RETENTION_DAYS))
