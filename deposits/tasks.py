"""Celery tasks of deposits: thin, they take ids and call a service."""
from celery import shared_task

from deposits.services import deposit_process
from portal.celery import DATABASE_TROUBLE


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, retry_backoff=True, retry_backoff_max=300, max_retries=10)
def process_deposit(deposit_id: int) -> None:
    deposit_process(deposit_id=deposit_id)
