"""The matching pipeline: three kinds of reference, DOIs checked, flags, rejections that hold."""
from datetime import timedelta

import pytest

from citations.models import Citation, RejectedMatch, UnmatchedReference
from citations.reference_index import references_for_works
from citations.selectors import citing_works
from citations.services import match_works
from deposits.models import Reference, Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db

CITED = {
    "doi": "10.5555/glacier.1", "title": "Seasonal velocity of outlet glaciers in southeast Greenland",
    "authors": [("Ingrid", "Halvorsen"), ("Tomas", "Okafor")], "year": 2019, "volume": "47", "issue": "3", "first_page": "211",
}
OTHER = {
    "doi": "10.5555/soil.2", "title": "Microbial carbon turnover in boreal peat soils",
    "authors": [("Lena", "Brandt")], "year": 2019, "volume": "47", "issue": "3", "first_page": "230",
}


def deposit(member, articles, *, journal_title="Journal of Glaciology Letters", timestamp=20240101000000):
    content = journal_article_deposit(articles, journal_title=journal_title, timestamp=timestamp)
    done = deposit_process(deposit_id=deposit_create_from_bytes(member=member, content=content, filename="d.xml").pk)
    assert done.failure_count == 0, list(done.results.values_list("message", flat=True))
    return done


def cite(society, references, *, timestamp=20240101000000):
    deposit(society[0], [{"doi": "10.6666/citing", "title": "A citing paper", "year": 2024, "references": references}],
            journal_title="Citing Letters", timestamp=timestamp)
    work = Work.objects.get(doi="10.6666/citing")
    match_works(work_ids=[work.pk])
    return work


@pytest.fixture
def registry(press):
    deposit(press[0], [CITED, OTHER])
    return Work.objects.get(doi=CITED["doi"])


def link_for(key: str) -> Citation | None:
    return Citation.objects.filter(reference__key=key).first()


def test_each_kind_of_reference_is_linked_and_says_how(press, society, registry):
    cite(society, [
        {"key": "doi", "doi": "10.5555/GLACIER.1"},
        {"key": "structured", "journal_title": "J. Glaciol. Lett.", "volume": "47", "first_page": "211", "year": "2019"},
        {"key": "text", "unstructured": "Halvorsen I, Okafor T. Seasonal velocity of outlet glaciers in southeast "
                                        "Greenland. Journal of Glaciology Letters. 2019;47(3):211-229."},
    ])
    methods = {key: (link_for(key).method, link_for(key).status) for key in ("doi", "structured", "text")}
    assert methods == {"doi": ("publisher-doi", "linked"), "structured": ("structured", "linked"), "text": ("unstructured", "linked")}
    text = link_for("text")
    assert text.cited_work == registry and 0.5 < text.score <= 1 and {"title", "author", "year"} <= set(text.agreed)
    registry.refresh_from_db()
    assert registry.cited_by_count == 1  # one citing work, however many of its references


def test_a_doi_the_reference_contradicts_is_flagged_not_counted(press, society, registry):
    cite(society, [{"key": "wrong", "doi": "10.5555/glacier.1", "article_title": "Microbial carbon turnover in boreal peat soils",
                    "year": "2011", "first_page": "230"}])
    flagged = link_for("wrong")
    assert flagged.status == "flagged" and flagged.cited_work == registry
    registry.refresh_from_db()
    assert registry.cited_by_count == 0
    assert list(citing_works(registry, viewer=press[1])) == []


def test_an_unregistered_doi_waits_for_its_work(press, society):
    cite(society, [{"key": "early", "doi": "10.5555/glacier.1"}])
    assert UnmatchedReference.objects.get(reference__key="early").reason == "doi-not-registered"
    deposit(press[0], [CITED])
    match_works(work_ids=[Work.objects.get(doi=CITED["doi"]).pk])
    assert link_for("early").method == "publisher-doi"
    assert not UnmatchedReference.objects.filter(reference__key="early").exists()


def test_a_reference_to_an_unregistered_work_stays_unmatched_with_its_reason(press, society, registry):
    cite(society, [{"key": "elsewhere", "unstructured": "Nakamura, K. (2003). Quantum dots in lattice QCD. Nucl. Phys. B 12, 99."}])
    assert link_for("elsewhere") is None
    assert UnmatchedReference.objects.get(reference__key="elsewhere").reason


def test_a_rejected_link_is_never_made_again_even_after_a_redeposit(press, society, registry):
    references = [{"key": "r1", "doi": "10.5555/glacier.1"}]
    citing = cite(society, references)
    link = link_for("r1")
    RejectedMatch.objects.create(citing_work=citing, reference_key="r1", cited_work=registry, rejected_by=press[1])
    link.delete()
    match_works(work_ids=[citing.pk, registry.pk])
    assert link_for("r1") is None
    cite(society, references, timestamp=20250101000000)  # re-deposit: new reference rows, same key
    assert link_for("r1") is None and Reference.objects.filter(key="r1").count() == 1
    assert UnmatchedReference.objects.get(reference__key="r1").reason == "rejected"


def test_a_new_work_finds_the_unmatched_references_that_cite_it_through_the_index(press, society, monkeypatch):
    cite(society, [
        {"key": "text", "unstructured": "Halvorsen I, Okafor T. Seasonal velocity of outlet glaciers in southeast "
                                        "Greenland. Journal of Glaciology Letters. 2019;47(3):211-229."},
        {"key": "short", "unstructured": "I. Halvorsen, J. Glaciol. Lett. 47, 211 (2019)."},
    ])
    assert UnmatchedReference.objects.filter(reference__key__in=["text", "short"]).count() == 2
    deposit(press[0], [CITED])
    cited = Work.objects.get(doi=CITED["doi"])
    found = []
    monkeypatch.setattr("citations.services.references_for_works", lambda works: found.extend(references_for_works(works)) or set(found))
    match_works(work_ids=[cited.pk])
    assert set(found) == set(Reference.objects.filter(key__in=["text", "short"]).values_list("pk", flat=True))
    assert link_for("text").cited_work == cited and link_for("text").method == "unstructured"
    assert link_for("short").cited_work == cited
    assert not UnmatchedReference.objects.filter(reference__key__in=["text", "short"]).exists()


def test_the_periodic_retry_takes_the_longest_untried_first_in_bounded_chunks(press, society):
    from citations.services import rematch_references, unmatched_reference_ids

    cite(society, [{"key": f"r{n}", "unstructured": f"Nobody N. Unregistered thing {n}. Nowhere {n}, 1 (2001)."} for n in range(5)])
    oldest = unmatched_reference_ids(limit=2)
    assert len(oldest) == 2
    rematch_references(reference_ids=oldest)
    assert set(unmatched_reference_ids(limit=3)).isdisjoint(oldest)  # just tried: now last in line


def test_links_to_a_changed_work_are_rechecked(press, society, registry):
    cite(society, [{"key": "text", "unstructured": "Halvorsen I, Okafor T. Seasonal velocity of outlet glaciers in "
                                                   "southeast Greenland. Journal of Glaciology Letters. 2019;47(3):211-229."}])
    assert link_for("text").cited_work == registry
    changed = {**CITED, "title": "Tidal mixing of nutrients in Arctic fjords", "authors": [("Someone", "Else")],
               "year": 2002, "volume": "9", "issue": "1", "first_page": "1"}
    deposit(press[0], [changed], timestamp=20250101000000)
    match_works(work_ids=[registry.pk])
    assert link_for("text") is None
    registry.refresh_from_db()
    assert registry.cited_by_count == 0


def taken_up(work: Work) -> set[str]:
    """The keys of the references the work's matching chunk would take up now."""
    from citations.services import references_to_match

    works = list(Work.objects.filter(pk=work.pk).values("pk", "doi", "title", "volume", "first_page", "publication_year"))
    return set(Reference.objects.filter(pk__in=references_to_match(work_ids=[work.pk], works=works)).values_list("key", flat=True))


def test_a_link_keeps_the_version_of_the_work_it_was_decided_on_and_only_a_change_rechecks_it(press, society, registry):
    cite(society, [{"key": "doi", "doi": CITED["doi"]},
                   {"key": "text", "unstructured": "Halvorsen I, Okafor T. Seasonal velocity of outlet glaciers in "
                                                   "southeast Greenland. Journal of Glaciology Letters. 2019;47(3):211-229."}])
    registry.refresh_from_db()
    assert {link_for(key).cited_version for key in ("doi", "text")} == {registry.updated}

    # Its own chunk, after the citing work's: nothing to check again, both were decided on this version.
    assert taken_up(registry) == set()
    match_works(work_ids=[registry.pk])
    assert {link_for(key).cited_version for key in ("doi", "text")} == {registry.updated}
    # A link decided on the row read just before a change (committed after it) is re-checked.
    Citation.objects.filter(reference__key="text").update(cited_version=registry.updated - timedelta(microseconds=1))
    assert taken_up(registry) == {"text"}
    # So are links whose version is unknown (made before versions were kept), and every link once
    # the work changes.
    Citation.objects.filter(reference__key="text").update(cited_version=None)
    assert taken_up(registry) == {"text"}
    deposit(press[0], [{**CITED, "title": "Seasonal velocity of outlet glaciers in southeast Greenland, revised"}],
            timestamp=20250101000000)
    assert taken_up(registry) == {"doi", "text"}
    match_works(work_ids=[registry.pk])
    registry.refresh_from_db()
    # Both still stand, now decided on the new version: the work's next chunk leaves them alone.
    assert {key: (link_for(key).cited_work_id, link_for(key).cited_version) for key in ("doi", "text")} == {
        "doi": (registry.pk, registry.updated), "text": (registry.pk, registry.updated)}
    assert taken_up(registry) == set()


def test_matching_puts_a_work_its_lost_signal_left_out_back_in_the_index(press, society, registry):
    from citations.matching.records import CandidateQuery
    from citations.search import work_index

    work_index().remove_works([registry.pk])  # as if the process died between commit and the receiver
    query = CandidateQuery(text="seasonal velocity outlet glaciers greenland")
    assert registry.pk not in [found.id for found in work_index().search(query)]
    match_works(work_ids=[registry.pk])  # what the reconciler runs for a work still match_pending
    assert registry.pk in [found.id for found in work_index().search(query)]


def test_the_matching_reconciler_only_tops_the_queue_up(db, press, monkeypatch, settings):
    from datetime import timedelta

    from django.utils import timezone

    from citations import tasks
    from deposits.models import Work

    settings.MATCHING_RECONCILE_CHUNKS = 3
    settings.MATCHING_CHUNK_SIZE = 2
    for n in range(5):
        Work.objects.create(doi=f"10.5555/pending.{n}", owner=press[0], match_pending=True)
    Work.objects.update(updated=timezone.now() - timedelta(hours=1))
    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.match_works_task, "delay", lambda ids: sent.append(ids))

    monkeypatch.setattr(tasks, "waiting_tasks", lambda: 3)  # a backlog as long as one run's chunks
    assert tasks.match_pending_works() == 0 and sent == []
    monkeypatch.setattr(tasks, "waiting_tasks", lambda: None)  # the broker cannot say
    assert tasks.match_pending_works() == 0 and sent == []
    monkeypatch.setattr(tasks, "waiting_tasks", lambda: 0)
    assert tasks.match_pending_works() == 5
    assert sorted(id for chunk in sent for id in chunk) == sorted(Work.objects.values_list("pk", flat=True))


def test_a_work_changed_while_links_to_it_were_decided_is_matched_again(press, society, registry, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    """The citing work's chunk decides its link on the cited work's row as read; the work is
    re-deposited, and its own chunk runs, before that link is written. The link stands on the old
    metadata: the chunk that wrote it finds the change (it holds the work's lock to recount it),
    marks the work pending again and queues its matching once committed."""
    from django.utils import timezone

    from citations import services
    from citations.tasks import match_works_task

    decide = services.match_reference_queries
    changed = []

    def decide_then_redeposit(queries, **kwargs):
        results = decide(queries, **kwargs)
        if not changed:  # the re-deposit and its chunk, between the decision and the write
            changed.append(Work.objects.filter(pk=registry.pk).update(updated=timezone.now(), match_pending=False))
        return results

    read = registry.updated
    queued: list[list[int]] = []
    monkeypatch.setattr(match_works_task, "delay", lambda ids: queued.append(ids))
    monkeypatch.setattr(services, "match_reference_queries", decide_then_redeposit)
    with django_capture_on_commit_callbacks(execute=True):
        cite(society, [{"key": "doi", "doi": CITED["doi"]}])

    registry.refresh_from_db()
    assert link_for("doi").cited_version == read and read < registry.updated
    citing = Work.objects.get(doi="10.6666/citing")
    assert registry.match_pending and queued == [[citing.pk], [registry.pk]]  # (the deposit's own chunk, then this)
    assert taken_up(registry) == {"doi"}

    # Nothing changed meanwhile: nothing queued again.
    monkeypatch.setattr(services, "match_reference_queries", decide)
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        match_works(work_ids=[registry.pk])
    registry.refresh_from_db()
    assert link_for("doi").cited_version == registry.updated and not registry.match_pending and queued == []
