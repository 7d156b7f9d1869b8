"""The dashboard's reads: right figures, and a query count that does not grow with the rows."""
import datetime

import pytest
from django.utils import timezone

from citations import dashboard
from citations.models import Citation, UnmatchedReference
from deposits.models import Reference, Work
from tests.citations.cited_by_builders import link, work

pytestmark = pytest.mark.django_db


def cited_by(cited: Work, citing: list[Work], **kwargs) -> None:
    for one in citing:
        link(cited, one, **kwargs)
    Work.objects.filter(pk=cited.pk).update(cited_by_count=len({c.pk for c in citing}))


def build(press, society, n: int) -> list[Work]:
    mine = [work(press, f"10.5555/w{i}", publication_year=2020 + i % 3, references_count=2 if i % 2 else 0,
                 linked_references_count=1 if i % 2 else 0) for i in range(n)]
    theirs = [work(society, f"10.6666/c{i}") for i in range(n)]
    for i, cited in enumerate(mine[: n // 2]):
        cited_by(cited, theirs[: i + 1])
    return mine


def test_totals_sum_stored_figures_and_count_distinct_citing_works_and_members(press, society):
    a, b = work(press[0], "10.5555/a", references_count=3, linked_references_count=2), work(press[0], "10.5555/b")
    c1, c2 = work(society[0], "10.6666/1"), work(society[0], "10.6666/2")
    own = work(press[0], "10.5555/self")
    cited_by(a, [c1, c2, own])
    cited_by(b, [c1])
    link(b, c2, status=Citation.Status.FLAGGED)  # waits for an editor: not counted
    figures = dashboard.totals(press[0])
    assert figures == dashboard.Totals(works=3, works_with_references=1, references=3, references_matched=2,
                                       citations_received=4, citing_works=3, citing_members=2)


def test_newest_citations_keep_to_the_chosen_window(press, society):
    cited, old, new = work(press[0], "10.5555/a"), work(society[0], "10.6666/old"), work(society[0], "10.6666/new")
    now = timezone.now()
    link(cited, old, created=now - datetime.timedelta(days=20))
    link(cited, new, created=now - datetime.timedelta(days=2))
    assert [c.citing_work.doi for c in dashboard.newest_citations(press[0], days=7)] == ["10.6666/new"]
    assert [c.citing_work.doi for c in dashboard.newest_citations(press[0], days=30)] == ["10.6666/new", "10.6666/old"]
    assert dashboard.newest_citations(society[0], days=90) == []


def test_works_list_searches_filters_and_sorts(press, society):
    build(press[0], society[0], 6)
    work(press[0], "10.5555/special", title="Peat carbon", type="book-chapter", publication_year=2001)
    doi = lambda query: [w.doi for w in dashboard.dashboard_works(press[0], query)]  # noqa: E731
    assert doi(dashboard.WorkQuery(search="peat")) == ["10.5555/special"]
    assert doi(dashboard.WorkQuery(search="10.5555/W1")) == ["10.5555/w1"]
    assert doi(dashboard.WorkQuery(search="https://doi.org/10.5555/W1")) == ["10.5555/w1"]
    assert doi(dashboard.WorkQuery(search=" doi:10.5555/special ")) == ["10.5555/special"]
    assert doi(dashboard.WorkQuery(type="book-chapter")) == ["10.5555/special"]
    assert doi(dashboard.WorkQuery(year=2001)) == ["10.5555/special"]
    assert doi(dashboard.WorkQuery(cited="cited")) == ["10.5555/w2", "10.5555/w1", "10.5555/w0"]
    assert "10.5555/w0" not in doi(dashboard.WorkQuery(cited="uncited"))
    assert doi(dashboard.WorkQuery(prefix="10.6666")) == []
    assert doi(dashboard.WorkQuery(sort="doi"))[0] == "10.5555/special"
    assert doi(dashboard.WorkQuery(sort="year"))[-1] == "10.5555/special"
    work(press[0], "10.5555/undated", publication_year=None)
    assert doi(dashboard.WorkQuery(sort="year"))[-1] == "10.5555/undated"


def test_citations_per_month_fill_empty_months_with_zero(press, society):
    cited = work(press[0], "10.5555/a")
    now = datetime.datetime(2026, 11, 15, tzinfo=datetime.timezone.utc)
    link(cited, work(society[0], "10.6666/1"), created=datetime.datetime(2026, 11, 2, tzinfo=datetime.timezone.utc))
    link(cited, work(society[0], "10.6666/2"), created=datetime.datetime(2026, 11, 3, tzinfo=datetime.timezone.utc))
    link(cited, work(society[0], "10.6666/3"), created=datetime.datetime(2026, 9, 30, tzinfo=datetime.timezone.utc))
    link(cited, work(society[0], "10.6666/4"), created=datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc))
    months = dashboard.citations_per_month(member=press[0], months=3, now=now)
    assert months == [(datetime.date(2026, 9, 1), 1), (datetime.date(2026, 10, 1), 0), (datetime.date(2026, 11, 1), 2)]
    assert dashboard.citations_per_month(work=cited, months=1, now=now) == [(datetime.date(2026, 11, 1), 2)]
    assert len(dashboard.citations_per_month(member=press[0], now=now)) == 12


def test_participation_shares_reasons_and_what_more_would_add(press, society):
    a = work(press[0], "10.5555/a", references_count=4, linked_references_count=2)
    work(press[0], "10.5555/b")
    work(press[0], "10.5555/c")
    for position, reason in enumerate(["no-candidates", "doi-not-registered", "no-candidates"]):
        reference = Reference.objects.create(citing_work=a, key=f"u{position}", position=100 + position)
        UnmatchedReference.objects.create(reference=reference, reason=reason)
    report = dashboard.participation(press[0])
    assert report.works_share == pytest.approx(1 / 3)
    assert report.matched_share == 0.5
    assert [(reason, n) for reason, _, n in report.unmatched] == [("no-candidates", 2), ("doi-not-registered", 1)]
    assert report.expected_more_links == 4
    assert dashboard.participation(society[0]).works_share is None


@pytest.mark.parametrize("call", [
    lambda m: dashboard.totals(m),
    lambda m: dashboard.newest_citations(m, days=90, limit=50),
    lambda m: dashboard.most_cited(m, limit=50),
    lambda m: list(dashboard.dashboard_works(m, dashboard.WorkQuery(search="w"))[:50]),
    lambda m: dashboard.work_facets(m),
    lambda m: dashboard.citations_per_month(member=m),
    lambda m: list(dashboard.citing_list(m)),
    lambda m: dashboard.participation(m),
])
def test_each_read_costs_the_same_queries_for_5_rows_as_for_50(press, society, django_assert_max_num_queries, call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build(press[0], society[0], 5)
    with CaptureQueriesContext(connection) as few:
        call(press[0])
    Work.objects.all().delete()
    build(press[0], society[0], 50)
    with django_assert_max_num_queries(len(few)):
        call(press[0])
