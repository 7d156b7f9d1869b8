"""Listening to deposits: registered works enter the search index and start matching; removed
works leave the index; removed links fix counts; changed works' cached answers are forgotten."""
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from citations.models import Citation
from citations.figures import request_figures_refresh
from citations.search import work_index
from citations.services import refresh_link_counts
from citations.tasks import match_works_task
from citations.work_json import forget_prefix_page, forget_public_answers
from deposits.models import Work
from deposits.signals import works_registered
from members.models import Prefix

log = logging.getLogger(__name__)


# Connected before queue_matching, so the index already holds these works when matching starts.
@receiver(works_registered)
def index_registered_works(sender, work_ids, **kwargs) -> None:
    # Sent after the deposit committed: a failure here must not fail the deposit, whose works
    # are registered; they stay findable by DOI and rebuild_work_index puts them in the index.
    try:
        work_index().index_works(work_ids)
    except Exception:
        log.exception("works %s are registered but not in the search index: run manage.py rebuild_work_index", list(work_ids)[:20])


@receiver(works_registered)
def queue_matching(sender, work_ids, **kwargs) -> None:
    size = settings.MATCHING_CHUNK_SIZE
    for start in range(0, len(work_ids), size):
        match_works_task.delay(list(work_ids[start : start + size]))


@receiver(works_registered)
def recount_owners_figures(sender, work_ids, **kwargs) -> None:
    # Works, references deposited: the owners' stored figures change with the deposit itself,
    # before any matching (which asks again as it links). Never fails the committed deposit.
    try:
        owners = Work.objects.filter(pk__in=list(work_ids)).values_list("owner_id", flat=True).distinct()
        request_figures_refresh(member_ids=list(owners))
    except Exception:
        log.exception("could not ask for a recount of the figures of the owners of works %s", list(work_ids)[:20])


@receiver(works_registered)
def forget_redeposited_works_json(sender, work_ids, **kwargs) -> None:
    # Sent after the deposit committed: the works' cached answers changed with their metadata.
    forget_public_answers(work_ids=work_ids)


@receiver(post_save, sender=Work)
@receiver(post_delete, sender=Work)
def forget_changed_work_json(sender, instance: Work, **kwargs) -> None:
    # A row saved or deleted one by one (the admin, a service): forgotten once committed.
    transaction.on_commit(partial(forget_public_answers, dois=[instance.doi]))


@receiver(post_save, sender=Prefix)
@receiver(post_delete, sender=Prefix)
def forget_moved_prefix_page(sender, instance: Prefix, **kwargs) -> None:
    # Its cached cited-by page names the member it was made for (the Django admin may move it).
    transaction.on_commit(partial(forget_prefix_page, prefix=instance.value))


@receiver(post_delete, sender=Work)
def unindex_removed_work(sender, instance: Work, using: str, **kwargs) -> None:
    # In the deleting transaction: the index row goes (or stays) with the work.
    work_index(using=using).remove_works([instance.pk])


@receiver(post_delete, sender=Citation)
def recount_after_unlink(sender, instance: Citation, **kwargs) -> None:
    # A re-deposit that drops references deletes their citations in its own transaction.
    refresh_link_counts(cited_ids=[instance.cited_work_id], citing_ids=[instance.citing_work_id])
