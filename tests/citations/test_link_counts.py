"""A matching chunk's recount of the works' stored link counts (citations.link_counts): right from
the counted links, written only where a count moved, locks taken in id order."""
from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from citations.link_counts import recount_links
from citations.models import Citation
from deposits.models import Reference, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(press):
    return press[0]


def work(member, doi: str, **counts) -> Work:
    return Work.objects.create(doi=doi, owner=member, title=f"Work {doi}", **counts)


def link(cited: Work, citing: Work, *, status: str = Citation.Status.LINKED) -> Citation:
    position = Reference.objects.filter(citing_work=citing).count() + 1
    reference = Reference.objects.create(citing_work=citing, key=f"ref{position}", position=position, doi=cited.doi)
    return Citation.objects.create(reference=reference, citing_work=citing, cited_work=cited, method=Citation.Method.PUBLISHER_DOI,
                                   status=status)


def counts(*works: Work) -> list[tuple[int, int]]:
    return [tuple(Work.objects.filter(pk=w.pk).values_list("cited_by_count", "linked_references_count").get()) for w in works]


def recount(**ids) -> set[int]:
    with transaction.atomic():
        return recount_links(**ids)


def test_counts_come_from_the_counted_links_and_the_moved_works_are_named(member):
    cited, right, citing, other = (work(member, f"10.5555/{n}") for n in ("cited", "right", "citing", "other"))
    link(cited, citing)
    link(cited, citing)  # the same citing work twice: one citing work
    link(cited, other)
    link(cited, other, status=Citation.Status.FLAGGED)  # not counted
    link(right, other)
    Work.objects.filter(pk=right.pk).update(cited_by_count=1)  # already right

    moved = recount(cited_ids=[cited.pk, right.pk], citing_ids=[citing.pk, other.pk])

    assert moved == {cited.pk, citing.pk, other.pk}
    assert counts(cited, right, citing, other) == [(2, 0), (1, 0), (0, 2), (0, 2)]


def test_a_count_not_asked_for_is_left_as_it_is(member):
    cited, citing = work(member, "10.5555/cited", linked_references_count=7), work(member, "10.5555/citing", cited_by_count=5)
    link(cited, citing)

    assert recount(cited_ids=[cited.pk], citing_ids=[]) == {cited.pk}
    assert counts(cited, citing) == [(1, 7), (5, 0)]


def test_a_count_dropping_to_nothing_is_written(member):
    cited, citing = work(member, "10.5555/cited", cited_by_count=3), work(member, "10.5555/citing", linked_references_count=3)

    assert recount(cited_ids=[cited.pk], citing_ids=[citing.pk]) == {cited.pk, citing.pk}
    assert counts(cited, citing) == [(0, 0), (0, 0)]


def test_nothing_moved_writes_nothing(member):
    cited, citing = work(member, "10.5555/cited"), work(member, "10.5555/citing")
    link(cited, citing)
    recount(cited_ids=[cited.pk], citing_ids=[citing.pk])

    with CaptureQueriesContext(connection) as queries:
        moved = recount(cited_ids=[cited.pk], citing_ids=[citing.pk])

    assert moved == set()
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_works_gone_meanwhile_and_no_works_at_all_are_fine(member):
    assert recount(cited_ids=[], citing_ids=[]) == set()
    assert recount(cited_ids=[987654], citing_ids=[987655]) == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_works_are_locked_in_id_order_without_blocking_new_links_to_them(member):
    works = [work(member, f"10.5555/{n}") for n in range(3)]

    with CaptureQueriesContext(connection) as queries:
        recount(cited_ids=[works[2].pk, works[0].pk], citing_ids=[works[1].pk])

    locks = [q["sql"] for q in queries.captured_queries if "FOR" in q["sql"] and "UPDATE" in q["sql"] and q["sql"].startswith("SELECT")]
    assert len(locks) == 1
    # NO KEY: a new citation's foreign key check (KEY SHARE) on these works does not wait for it.
    assert locks[0].startswith('SELECT "deposits_work"."id"') and "FOR NO KEY UPDATE" in locks[0]
    assert re.search(r'ORDER BY (1|"deposits_work"."id") ASC', locks[0])  # (1: the id, the first column)


def query_plan(sql: str) -> str:
    """The plan the database would run `sql` by, with scans of whole tables and bitmaps of rows
    ruled out on PostgreSQL (on a test's few rows the planner would rather read the table)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


def test_both_counts_are_read_from_the_citations_indexes_alone(member):
    """A popular work's recount read the row of every link to it for its citing work and status
    (780 ms a chunk at 7.4M citations); from the index alone, 58 ms. Both databases can."""
    cited, citing = work(member, "10.5555/cited"), work(member, "10.5555/citing")
    link(cited, citing)

    with CaptureQueriesContext(connection) as queries:
        recount(cited_ids=[cited.pk], citing_ids=[citing.pk])

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 2
    for sql in counts:
        with transaction.atomic():
            plan = query_plan(sql)
        if connection.vendor == "postgresql":
            assert "Index Only Scan using citation_c" in plan, plan
        else:
            assert "USING COVERING INDEX citation_c" in plan, plan
