"""A Celery worker's main process loads what every pool process would load for itself, before
the pool forks (portal.celery, on worker_init)."""
import gc

from citations.matching import text
from portal import celery


def test_the_journal_list_is_loaded_and_frozen_before_the_pool_forks(monkeypatch):
    monkeypatch.setattr(text, "_abbreviator", None)  # as in a worker's fresh main process
    text.iso4_abbreviation.cache_clear()
    try:
        celery._load_shared_data(sender=None)

        assert text._abbreviator is not None
        assert gc.get_freeze_count() > 0  # the children's collectors leave the shared objects alone
    finally:
        gc.unfreeze()
        text.iso4_abbreviation.cache_clear()
