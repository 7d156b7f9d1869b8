"""A member's stored dashboard figures: recounted by the worker after deposits and link changes
(one recount per member for a burst of changes), swept periodically, read by pages in a fixed
number of queries, and only ever shown to the member's own users."""
import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citations.figures import COST_KEY, figures_changed, member_figures
from citations.models import Citation, MemberFigures
from citations.services import citation_reject
from citations.tasks import match_works_task, refresh_member_figures_task, refresh_stalest_member_figures
from deposits.models import Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.citations.cited_by_builders import link, work
from tests.citations.test_pipeline import CITED, OTHER
from tests.xmlbuild import journal_article_deposit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_matching_tasks")]


@pytest.fixture
def queued(monkeypatch):
    """The recounts sent to the broker (the outside world here), as (member ids, countdown)."""
    sent: list[tuple[list[int], float | None]] = []

    def apply_async(args, kwargs=None, countdown=None, **options):
        sent.append((list(args[0]), countdown))

    monkeypatch.setattr(refresh_member_figures_task, "apply_async", apply_async)
    return sent


def work_off(queued) -> None:
    """What the worker does with the queued recounts: runs each task."""
    while queued:
        member_ids, _ = queued.pop(0)
        refresh_member_figures_task.apply(args=(member_ids,)).get()


def register(member, articles, captured, *, journal="Journal of Glaciology Letters"):
    with captured(execute=True):  # works_registered is sent on commit
        deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles, journal_title=journal),
                                            filename="d.xml")
        deposit_process(deposit_id=deposit.pk)


def stored(member) -> MemberFigures:
    return MemberFigures.objects.get(member=member)


def test_a_deposit_queues_one_debounced_recount_and_the_task_stores_the_new_figures(press, queued, settings, django_capture_on_commit_callbacks):
    settings.MEMBER_FIGURES_DEBOUNCE_SECONDS = 7
    before = member_figures(press[0])
    assert before.works == 0
    register(press[0], [CITED, OTHER], django_capture_on_commit_callbacks)
    assert queued == [([press[0].pk], 7)]
    assert stored(press[0]).works == 0  # pages read the stored row until the worker recounts
    work_off(queued)
    after = stored(press[0])
    assert (after.works, after.references) == (2, 0) and after.computed_at >= before.computed_at


def test_matching_and_a_rejection_recount_both_the_cited_and_the_citing_member(press, society, queued, django_capture_on_commit_callbacks):
    register(press[0], [CITED, OTHER], django_capture_on_commit_callbacks)
    citing = {"doi": "10.6666/citing", "title": "A citing paper", "year": 2024,
              "references": [{"key": "r1", "doi": CITED["doi"]}, {"key": "r2", "unstructured": "Nobody, A study of nothing, 1901"}]}
    register(society[0], [citing], django_capture_on_commit_callbacks, journal="Citing Letters")
    work_off(queued)
    assert (stored(press[0]).citations_received, stored(society[0]).references_matched) == (0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        match_works_task.apply(args=([Work.objects.get(doi="10.6666/citing").pk],)).get()
    assert sorted(member for ids, _ in queued for member in ids) == sorted([press[0].pk, society[0].pk])
    work_off(queued)
    cited, citing_member = stored(press[0]), stored(society[0])
    assert (cited.citations_received, cited.citing_works, cited.citing_members) == (1, 1, 1)
    assert (citing_member.references, citing_member.references_matched) == (2, 1)
    assert sum(citing_member.unmatched_by_reason.values()) == 1
    assert cited.citations_per_month == {f"{timezone.now():%Y-%m}": 1}

    with django_capture_on_commit_callbacks(execute=True):
        citation_reject(citation=Citation.objects.get(reference__key="r1"), by=press[1])
    work_off(queued)
    cited, citing_member = stored(press[0]), stored(society[0])
    assert (cited.citations_received, cited.citing_works, cited.citing_members) == (0, 0, 0)
    assert citing_member.references_matched == 0 and citing_member.unmatched_by_reason["rejected"] == 1


def test_a_burst_of_changes_queues_one_recount_per_member_until_it_starts(press, society, queued, django_capture_on_commit_callbacks):
    mine, theirs = work(press[0], "10.5555/a"), work(society[0], "10.6666/b")
    for _ in range(5):  # five matching chunks touching the same members, each its own transaction
        with django_capture_on_commit_callbacks(execute=True):
            figures_changed(work_ids=[mine.pk, theirs.pk])
    assert queued == [([press[0].pk, society[0].pk], 10)]
    work_off(queued)
    with django_capture_on_commit_callbacks(execute=True):  # a change after the recount started
        figures_changed(work_ids=[mine.pk])
    assert queued == [([press[0].pk], 10)]


def test_members_whose_recounts_were_slow_together_wait_longer_for_the_next(press, society, queued, settings, django_capture_on_commit_callbacks):
    settings.MEMBER_FIGURES_COST_FACTOR = 3
    mine, theirs = work(press[0], "10.5555/a"), work(society[0], "10.6666/b")
    refresh_member_figures_task.apply(args=([press[0].pk, society[0].pk],)).get()
    cache.set(COST_KEY.format(press[0].pk), 20.0)  # as if counting its million links had taken 20 s
    cache.set(COST_KEY.format(society[0].pk), 2.0)
    with django_capture_on_commit_callbacks(execute=True):
        figures_changed(work_ids=[theirs.pk, mine.pk])
    assert queued == [([press[0].pk, society[0].pk], 66)]


def test_cheap_recounts_wait_the_debounce_only(press, society, queued, settings, django_capture_on_commit_callbacks):
    settings.MEMBER_FIGURES_COST_FACTOR = 3
    mine, theirs = work(press[0], "10.5555/a"), work(society[0], "10.6666/b")
    cache.set(COST_KEY.format(press[0].pk), 1.0)
    cache.set(COST_KEY.format(society[0].pk), 2.0)
    with django_capture_on_commit_callbacks(execute=True):
        figures_changed(work_ids=[theirs.pk, mine.pk])
    assert queued == [([press[0].pk, society[0].pk], 10)]


def test_one_transaction_asks_once_and_a_rolled_back_change_asks_nothing(press, society, queued, django_capture_on_commit_callbacks):
    mine, theirs = work(press[0], "10.5555/a"), work(society[0], "10.6666/b")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(50):  # a re-deposit deleting fifty links, each recounted by post_delete
            figures_changed(work_ids=[mine.pk])
    assert len(callbacks) == 1 and queued == [([press[0].pk], 10)]
    work_off(queued)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            figures_changed(work_ids=[mine.pk])
            raise RuntimeError("the change is rolled back")
        figures_changed(work_ids=[theirs.pk])
    assert queued == [([society[0].pk], 10)]


def test_figures_wait_for_the_commit_of_the_change(press, queued, django_capture_on_commit_callbacks):
    mine = work(press[0], "10.5555/a")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        figures_changed(work_ids=[mine.pk])
    assert queued == [] and len(callbacks) == 1


def test_the_sweep_recounts_members_never_counted_first_then_the_oldest_a_bounded_number(press, society, queued, settings):
    settings.MEMBER_FIGURES_SWEEP_LIMIT = 1
    member_figures(press[0])
    MemberFigures.objects.filter(member=press[0]).update(computed_at=timezone.now() - datetime.timedelta(days=1))
    assert refresh_stalest_member_figures.apply().get() == 1
    assert [ids for ids, _ in queued] == [[society[0].pk]]  # never counted
    work_off(queued)
    refresh_stalest_member_figures.apply().get()
    assert [ids for ids, _ in queued] == [[press[0].pk]]  # counted a day ago
    work_off(queued)
    assert stored(press[0]).computed_at > timezone.now() - datetime.timedelta(minutes=1)


def test_a_recount_of_a_member_deleted_meanwhile_does_nothing(press):
    assert refresh_member_figures_task.apply(args=([press[0].pk + 1000],)).get() == 0
    assert not MemberFigures.objects.exists()


def _dashboard_queries(client, user, member) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("citations:dashboard", args=[member.pk]) + "?days=90")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_dashboard_costs_the_same_queries_for_3_works_as_for_300(client, press, society):
    small = [work(press[0], f"10.5555/s{i}", references_count=2, linked_references_count=1) for i in range(3)]
    big = Work.objects.bulk_create(Work(doi=f"10.6666/b{i:03}", title=f"Big {i}", owner=society[0], references_count=3,
                                        cited_by_count=1 if i < 100 else 0) for i in range(300))
    for i, cited in enumerate(big[:100]):
        link(cited, small[i % 3])
    link(small[0], big[200])
    refresh_member_figures_task.apply(args=([press[0].pk, society[0].pk],)).get()  # as the worker keeps them
    few, small_page = _dashboard_queries(client, press[1], press[0])
    many, big_page = _dashboard_queries(client, society[1], society[0])
    assert few == many
    assert "<dt>Works</dt><dd>3</dd>" in small_page and "<dt>Works</dt><dd>300</dd>" in big_page
    assert "<dt>Citing works</dt><dd>3</dd>" in big_page and "<dt>Citing members</dt><dd>1</dd>" in big_page
    assert 'id="figures-as-of"' in big_page


def test_pages_show_the_stored_figures_and_when_they_were_counted(client, press, society):
    work(press[0], "10.5555/a")
    counted = member_figures(press[0]).computed_at
    work(press[0], "10.5555/b")  # not counted yet: the worker has not run
    _, page = _dashboard_queries(client, press[1], press[0])
    assert "<dt>Works</dt><dd>1</dd>" in page
    assert f'Figures as of <time datetime="{timezone.localtime(counted).isoformat()}' in page
    refresh_member_figures_task.apply(args=([press[0].pk],)).get()
    assert "<dt>Works</dt><dd>2</dd>" in _dashboard_queries(client, press[1], press[0])[1]
    report = client.get(reverse("citations:participation", args=[press[0].pk])).content.decode()
    assert 'id="figures-as-of"' in report and "(0 of 2)" in report


def test_a_member_never_sees_another_members_figures(client, press, society):
    for i in range(4):
        work(society[0], f"10.6666/w{i}")
    work(press[0], "10.5555/only")
    member_figures(society[0])
    _, own = _dashboard_queries(client, press[1], press[0])
    assert "<dt>Works</dt><dd>1</dd>" in own and "<dd>4</dd>" not in own
    for url in (reverse("citations:dashboard", args=[society[0].pk]), reverse("citations:participation", args=[society[0].pk])):
        response = client.get(url)
        assert response.status_code == 404 and b"<dt>Works</dt>" not in response.content
