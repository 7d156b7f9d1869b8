"""Fixtures of the citations tests."""
import pytest

from citations.tasks import match_works_task


@pytest.fixture
def no_matching_tasks(monkeypatch):
    """Registering works queues matching tasks; tests of the index do not want them in the broker."""
    monkeypatch.setattr(match_works_task, "delay", lambda *args, **kwargs: None)
