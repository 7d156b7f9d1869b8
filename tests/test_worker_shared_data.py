"""A Celery worker's main process loads what every pool process would load for itself, before
the pool forks, and sets the pace of the collector its pool inherits (portal.celery, on worker_init)."""
import gc

from citations.matching import text
from portal import celery


def test_the_journal_list_is_loaded_and_frozen_before_the_pool_forks(monkeypatch):
    monkeypatch.setattr(text, "_abbreviator", None)  # as in a worker's fresh main process
    text.iso4_abbreviation.cache_clear()
    thresholds = gc.get_threshold()
    try:
        celery.prepare_worker(sender=None)

        assert text._abbreviator is not None
        assert gc.get_freeze_count() > 0  # the children's collectors leave the shared objects alone
        # Full passes over matching's caches rarely; the young generations' passes as they were.
        assert gc.get_threshold() == (*thresholds[:2], celery.FULL_COLLECTION_EVERY)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        text.iso4_abbreviation.cache_clear()
