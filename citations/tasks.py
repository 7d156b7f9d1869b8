"""Celery tasks of citations: thin, they take ids and call a service."""
from celery import shared_task

from citations.services import match_works
from portal.celery import DATABASE_TROUBLE


@shared_task(acks_late=True, autoretry_for=DATABASE_TROUBLE, retry_backoff=True, retry_backoff_max=300, max_retries=10)
def match_works_task(work_ids: list[int]) -> int:
    return match_works(work_ids=work_ids)
