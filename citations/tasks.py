"""Celery tasks of citations: thin, they take ids and call a service."""
from celery import shared_task

from citations.services import match_works


@shared_task(acks_late=True)
def match_works_task(work_ids: list[int]) -> int:
    return match_works(work_ids=work_ids)
