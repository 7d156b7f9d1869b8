"""Editors' decisions about links: confirm, reject for good, accept a flagged DOI reference; all kept."""
import re

import pytest
from django.db import connection

from citations.models import Citation, MatchDecision, RejectedMatch, UnmatchedReference
from citations.services import (
    DecisionRefused, citation_accept_flagged, citation_confirm, citation_reject, match_works,
)
from deposits.models import Reference, Work
from members.models import Role
from tests.builders import user_in
from tests.citations.plans import plan_of
from tests.citations.test_pipeline import CITED, OTHER, cite, deposit, link_for

pytestmark = pytest.mark.django_db

CONTRADICTING = {"key": "wrong", "doi": CITED["doi"], "article_title": OTHER["title"], "year": "2011", "first_page": "230"}


@pytest.fixture
def registry(press):
    deposit(press[0], [CITED, OTHER])
    return Work.objects.get(doi=CITED["doi"])


@pytest.fixture
def editor(press):
    return user_in(press[0], "editor@cited-press.example", Role.EDITOR)


def count_of(work: Work) -> int:
    work.refresh_from_db()
    return work.cited_by_count


def test_confirm_marks_the_link_confirmed_by_whom_and_when(press, society, registry, editor):
    cite(society, [{"key": "r1", "doi": CITED["doi"]}])
    confirmed = citation_confirm(citation=link_for("r1"), by=editor)
    link = link_for("r1")
    assert (link.status, link.decided_by, link.decided_at is not None) == ("confirmed", editor, True)
    assert confirmed.pk == link.pk and count_of(registry) == 1
    decision = MatchDecision.objects.get()
    assert (decision.action, decision.reference_key, decision.cited_work, decision.by_email) == (
        "confirm", "r1", registry, editor.email)


def test_confirm_twice_is_refused_and_recorded_once(press, society, registry, editor):
    cite(society, [{"key": "r1", "doi": CITED["doi"]}])
    citation_confirm(citation=link_for("r1"), by=editor)
    with pytest.raises(DecisionRefused):
        citation_confirm(citation=link_for("r1"), by=editor)
    assert MatchDecision.objects.count() == 1


def test_reject_removes_the_link_drops_the_count_and_keeps_why(press, society, registry, editor):
    citing = cite(society, [{"key": "r1", "doi": CITED["doi"]}])
    assert count_of(registry) == 1
    link = link_for("r1")
    rejection = citation_reject(citation=link, by=editor)
    assert link_for("r1") is None and count_of(registry) == 0
    assert (rejection.citing_work, rejection.reference_key, rejection.cited_work, rejection.rejected_by) == (
        citing, "r1", registry, editor)
    assert (rejection.method, rejection.score) == (link.method, link.score) == ("publisher-doi", 1.0)
    assert UnmatchedReference.objects.get(reference__key="r1").reason == "rejected"
    decision = MatchDecision.objects.get()
    assert (decision.action, decision.by, decision.method) == ("reject", editor, "publisher-doi")


def test_a_rejected_link_stays_gone_after_rematching_and_a_redeposit(press, society, registry, editor):
    references = [{"key": "r1", "doi": CITED["doi"]}]
    citing = cite(society, references)
    citation_reject(citation=link_for("r1"), by=editor)
    match_works(work_ids=[citing.pk, registry.pk])
    assert link_for("r1") is None and count_of(registry) == 0
    cite(society, references, timestamp=20250101000000)  # new reference rows, same key
    assert Reference.objects.filter(key="r1").count() == 1
    assert link_for("r1") is None and count_of(registry) == 0
    assert UnmatchedReference.objects.get(reference__key="r1").reason == "rejected"


def test_a_rejected_reference_is_findable_again_when_works_arrive(press, society, registry, editor):
    """Rejected for this work only: the reference index must offer it to the work it does cite."""
    from citations.reference_index import references_for_works

    cite(society, [{"key": "text", "unstructured": "Halvorsen I, Okafor T. Seasonal velocity of outlet glaciers in "
                                                   "southeast Greenland. J Glaciol Lett. 2019;47(3):211-229."}])
    link = link_for("text")
    arriving = {"title": "Seasonal velocity of outlet glaciers revisited", "volume": "47", "first_page": "211", "publication_year": 2019}
    assert link.reference_id not in references_for_works([arriving])
    citation_reject(citation=link, by=editor)
    assert link.reference_id in references_for_works([arriving])


def test_rejecting_one_link_leaves_the_citing_works_other_links(press, society, registry, editor):
    cite(society, [{"key": "r1", "doi": CITED["doi"]},
                   {"key": "r2", "journal_title": "J. Glaciol. Lett.", "volume": "47", "first_page": "211", "year": "2019"}])
    citation_reject(citation=link_for("r1"), by=editor)
    assert link_for("r2").cited_work == registry and count_of(registry) == 1


def test_accepting_a_flagged_doi_reference_makes_it_count(press, society, registry, editor):
    cite(society, [CONTRADICTING])
    assert link_for("wrong").status == "flagged" and count_of(registry) == 0
    citation_accept_flagged(citation=link_for("wrong"), by=editor)
    link = link_for("wrong")
    assert (link.status, link.decided_by) == ("confirmed", editor) and count_of(registry) == 1
    assert MatchDecision.objects.get().action == "accept"


def test_rejecting_a_flagged_doi_reference_keeps_it_out_for_good(press, society, registry, editor):
    citing = cite(society, [CONTRADICTING])
    citation_reject(citation=link_for("wrong"), by=editor)
    match_works(work_ids=[citing.pk, registry.pk])
    assert link_for("wrong") is None and count_of(registry) == 0
    assert RejectedMatch.objects.get().method == "publisher-doi"


def test_accept_applies_only_to_flagged_links_and_confirm_not_to_them(press, society, registry, editor):
    cite(society, [{"key": "r1", "doi": CITED["doi"]}, CONTRADICTING])
    with pytest.raises(DecisionRefused):
        citation_accept_flagged(citation=link_for("r1"), by=editor)
    with pytest.raises(DecisionRefused):
        citation_confirm(citation=link_for("wrong"), by=editor)
    assert set(Citation.objects.values_list("status", flat=True)) == {"linked", "flagged"}
    assert not MatchDecision.objects.exists()


def test_deciding_about_a_link_already_gone_is_refused(press, society, registry, editor):
    cite(society, [{"key": "r1", "doi": CITED["doi"]}])
    link = link_for("r1")
    citation_reject(citation=link, by=editor)
    with pytest.raises(DecisionRefused):
        citation_reject(citation=link, by=editor)
    assert MatchDecision.objects.count() == 1 and RejectedMatch.objects.count() == 1


def test_a_deleted_editor_s_decisions_stay_without_their_name_found_by_the_partial_index(press, society, registry, editor):
    cite(society, [{"key": "r1", "doi": CITED["doi"]}, {"key": "r2", "doi": OTHER["doi"]}])
    citation_confirm(citation=link_for("r1"), by=editor)
    # A user's deletion finds the links it decided through the index of decided ones alone
    # (citation_decided_by, where decided_by is set): the matcher's links are not in it.
    assert re.search(r"\bcitation_decided_by\b", plan_of(Citation.objects.filter(decided_by=editor)))
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Citation._meta.db_table)
    assert [name for name, index in indexes.items() if index["index"] and index["columns"] == ["decided_by_id"]] == ["citation_decided_by"]

    editor.delete()
    assert (link_for("r1").status, link_for("r1").decided_by, link_for("r2").status) == ("confirmed", None, "linked")
    decision = MatchDecision.objects.get()
    assert (decision.by, decision.by_email) == (None, "editor@cited-press.example")
