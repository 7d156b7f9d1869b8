"""Fixtures of the citations tests."""
import pytest

import citations.matching
from citations.tasks import match_works_task
from tests.citations import matcher_placeholder

MATCHER_FUNCTIONS = ("candidate_query", "index_text", "match")


@pytest.fixture(autouse=True)
def matcher(monkeypatch):
    """The matcher's functions: the real ones when merged, else the test placeholder (see its module)."""
    for name in MATCHER_FUNCTIONS:
        if not hasattr(citations.matching, name):
            monkeypatch.setattr(citations.matching, name, getattr(matcher_placeholder, name), raising=False)
    return citations.matching


@pytest.fixture
def no_matching_tasks(monkeypatch):
    """Registering works queues matching tasks; tests of the index do not want them in the broker."""
    monkeypatch.setattr(match_works_task, "delay", lambda *args, **kwargs: None)
