"""Reading a big member's links in bounded pieces. The export takes a bounded number of works at a time: every
counted link comes out once, by cited work (newest registered first) then oldest first, whatever the chunk boundaries. The
newest links are the same found either way (by the works, or by date on SQLite)."""
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
    expected = [(t.doi, s.doi) for i, t in reversed(list(enumerate(cited))) for s in citing[: i % 3 + 1]]
    assert rows == expected
    assert [c.citing_work.doi for c in dashboard.citing_list(press[0], work=cited[4])] == ["10.6666/c0", "10.6666/c1"]
    recent = dashboard.citing_list(press[0], since=(now - datetime.timedelta(days=15)).date())
    assert [(c.cited_work.doi, c.citing_work.doi) for c in recent] == [(t.doi, "10.6666/c2") for t in (cited[2],)]


@pytest.mark.parametrize("by_date", [False, True])
def test_newest_citations_are_the_same_whichever_way_they_are_found(press, society, by_date):
    now = timezone.now()
    mine, theirs = work(press[0], "10.5555/a"), work(society[0], "10.6666/own")
    citers = [work(society[0], f"10.6666/c{i}") for i in range(6)]
    for i, citer in enumerate(citers):
        link(mine, citer, created=now - datetime.timedelta(days=i * 4))
        link(theirs, work(press[0], f"10.5555/x{i}"), created=now - datetime.timedelta(days=i * 4, hours=1))
    link(mine, work(society[0], "10.6666/flagged"), status=Citation.Status.FLAGGED)
    found = dashboard.newest_citations(press[0], days=15, limit=3, by_date=by_date)
    assert [c.citing_work.doi for c in found] == ["10.6666/c0", "10.6666/c1", "10.6666/c2"]
    assert [c.citing_work.doi for c in dashboard.newest_citations(press[0], days=15, by_date=by_date)] == [
        "10.6666/c0", "10.6666/c1", "10.6666/c2", "10.6666/c3"]


def test_a_filtered_works_list_counts_up_to_a_cap_and_says_so(client, press, monkeypatch):
    from django.urls import reverse

    from citations import dashboard_views

    monkeypatch.setattr(dashboard_views, "FILTERED_COUNT_CAP", 3)
    for i in range(5):
        work(press[0], f"10.5555/w{i}", type="book-chapter")
    client.force_login(press[1])
    url = reverse("citations:dashboard", args=[press[0].pk])
    capped = client.get(url + "?type=book-chapter").content.decode()
    assert "(3+ found)" in capped and "More than 3 works match" in capped
    exact = client.get(url + "?q=10.5555/w1").content.decode()
    assert "(1 found)" in exact and "More than" not in exact
    assert "(5)" in client.get(url).content.decode()  # unfiltered: the exact count
