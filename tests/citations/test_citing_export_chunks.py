"""The citing-list export reads a big member's links a bounded number of works at a time: every
counted link comes out once, by cited work then oldest first, whatever the chunk boundaries."""
import datetime

import pytest
from django.utils import timezone

from citations import dashboard
from citations.models import Citation
from tests.citations.cited_by_builders import link, work

pytestmark = pytest.mark.django_db


def test_export_crosses_chunks_of_works_keeping_every_link_once_in_order(press, society, monkeypatch):
    monkeypatch.setattr(dashboard, "EXPORT_WORKS_PER_QUERY", 2)
    now = timezone.now()
    cited = [work(press[0], f"10.5555/w{i}") for i in range(5)]  # 5 works: chunks of 2, 2 and 1
    citing = [work(society[0], f"10.6666/c{i}") for i in range(3)]
    for i, target in enumerate(cited):
        for j, source in enumerate(citing[: i % 3 + 1]):
            link(target, source, created=now - datetime.timedelta(days=10 * (3 - j)))
    link(cited[0], work(society[0], "10.6666/flagged"), status=Citation.Status.FLAGGED)
    rows = [(c.cited_work.doi, c.citing_work.doi) for c in dashboard.citing_list(press[0])]
    expected = [(t.doi, s.doi) for i, t in enumerate(cited) for s in citing[: i % 3 + 1]]
    assert rows == expected
    assert [c.citing_work.doi for c in dashboard.citing_list(press[0], work=cited[4])] == ["10.6666/c0", "10.6666/c1"]
    recent = dashboard.citing_list(press[0], since=(now - datetime.timedelta(days=15)).date())
    assert [(c.cited_work.doi, c.citing_work.doi) for c in recent] == [(t.doi, "10.6666/c2") for t in (cited[2],)]
