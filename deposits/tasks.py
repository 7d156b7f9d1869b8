"""Celery tasks of deposits: thin, they take ids and call a service."""
from celery import shared_task

from deposits.services import deposit_process


@shared_task(acks_late=True)
def process_deposit(deposit_id: int) -> None:
    deposit_process(deposit_id=deposit_id)
