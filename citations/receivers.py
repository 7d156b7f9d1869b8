"""Listening to deposits: newly registered works start matching, removed links fix counts."""
from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver

from citations.models import Citation
from citations.services import refresh_cited_by_counts
from citations.tasks import match_works_task
from deposits.signals import works_registered


@receiver(works_registered)
def queue_matching(sender, work_ids, **kwargs) -> None:
    size = settings.MATCHING_CHUNK_SIZE
    for start in range(0, len(work_ids), size):
        match_works_task.delay(list(work_ids[start : start + size]))


@receiver(post_delete, sender=Citation)
def recount_after_unlink(sender, instance: Citation, **kwargs) -> None:
    # A re-deposit that drops references deletes their citations in its own transaction.
    refresh_cited_by_counts(work_ids=[instance.cited_work_id])
