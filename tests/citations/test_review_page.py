"""The cited-by page explains each link and lets the cited work's editors decide about it."""
import pytest
from django.urls import reverse

from citations.models import Citation, MatchDecision
from deposits.models import Work
from members.access import can_review_citations, can_view_citing_list
from members.models import Role, User
from tests.builders import user_in
from tests.citations.test_decisions import CONTRADICTING
from tests.citations.test_pipeline import CITED, OTHER, cite, deposit, link_for

pytestmark = pytest.mark.django_db

PAGE = reverse("citations:cited_by", args=[CITED["doi"]])
TEXT_REFERENCE = {"key": "text", "unstructured": "Halvorsen I, Okafor T. Seasonal velocity of outlet glaciers in southeast "
                                                  "Greenland. Journal of Glaciology Letters. 2019;47(3):211-229."}


@pytest.fixture
def registry(press):
    deposit(press[0], [CITED, OTHER])
    return Work.objects.get(doi=CITED["doi"])


@pytest.fixture
def linked(press, society, registry):
    """The society's paper cites the glacier paper by its text, and gives its DOI in a reference
    that describes another work (flagged)."""
    cite(society, [TEXT_REFERENCE, CONTRADICTING])
    return link_for("text")


def decide(client, citation: Citation, action: str):
    return client.post(reverse("citations:decide", args=[citation.pk]), {"action": action, "work": CITED["doi"]})


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editors_and_admins_of_the_owner_may_review(press, role):
    assert can_review_citations(user_in(press[0], f"{role}@cited-press.example", role), press[0])


def test_depositors_and_other_members_may_not_review(press, society):
    assert not can_review_citations(user_in(press[0], "dep@cited-press.example", Role.DEPOSITOR), press[0])
    assert not can_review_citations(society[1], press[0])
    assert not can_review_citations(press[1], None)


def test_agency_superusers_see_citing_lists_but_do_not_decide(press):
    staff = User.objects.create_superuser("staff@agency.example", "pw")
    assert can_view_citing_list(staff, press[0]) and not can_review_citations(staff, press[0])
    staff.is_active = False
    staff.save()
    assert not can_view_citing_list(staff, press[0])


def test_page_explains_how_each_link_was_found(client, press, linked):
    client.force_login(press[1])
    body = client.get(PAGE).content.decode()
    assert "Matched on the reference&#x27;s text" in body
    assert f">{round(linked.score * 100)}%<" in body
    assert "title, authors" in body and "Linked by the matcher" in body
    assert 'aria-label="Confirm: A citing paper"' in body and 'aria-label="Reject: A citing paper"' in body


def test_page_lists_flagged_doi_references_with_the_reference_as_deposited(client, press, linked):
    client.force_login(press[1])
    body = client.get(PAGE).content.decode()
    section = body.split("DOI references that contradict this work", 1)[1]
    assert OTHER["title"] in section and "<dt>Year</dt><dd>2011</dd>" in section
    assert "Why it waits" in section and 'aria-label="Accept: A citing paper"' in section


def test_editor_confirms_and_the_page_says_by_whom(client, press, linked):
    client.force_login(press[1])
    response = decide(client, linked, "confirm")
    assert response.status_code == 302 and response.url == PAGE
    body = client.get(PAGE).content.decode()
    assert "Confirmed: “A citing paper” cites this work." in body
    assert f"Confirmed by {press[1].email} on" in body
    assert 'aria-label="Confirm: A citing paper"' not in body


def test_editor_rejects_and_the_citing_work_and_count_go(client, press, registry, linked):
    client.force_login(user_in(press[0], "ed@cited-press.example", Role.EDITOR))
    assert "Cited by 1" in client.get(PAGE).content.decode()
    response = decide(client, linked, "reject")
    assert response.status_code == 302
    body = client.get(PAGE).content.decode()
    assert "Rejected: “A citing paper” no longer cites this work" in body
    citing_list = body.split("DOI references that contradict this work", 1)[0]
    assert "Cited by 0" in citing_list and "Matched on the reference&#x27;s text" not in citing_list
    assert "Rejected by ed@cited-press.example on" in body


def test_editor_accepts_a_flagged_reference_and_it_counts(client, press, registry, linked):
    client.force_login(press[1])
    decide(client, link_for("wrong"), "accept")
    body = client.get(PAGE).content.decode()
    assert "Accepted: “A citing paper” now counts" in body
    assert link_for("wrong").status == "confirmed"
    assert "None: no deposited reference gives this work" in body


def test_a_second_decision_on_a_gone_link_says_nothing_changed(client, press, linked):
    client.force_login(press[1])
    decide(client, linked, "reject")
    decide(client, linked, "reject")
    assert "Nothing was changed" in client.get(PAGE).content.decode()
    assert MatchDecision.objects.count() == 1


def test_depositor_sees_the_explanations_and_why_there_are_no_buttons(client, press, linked):
    client.force_login(user_in(press[0], "dep@cited-press.example", Role.DEPOSITOR))
    body = client.get(PAGE).content.decode()
    assert "Matched on the reference&#x27;s text" in body and "editors and administrators" in body
    assert 'aria-label="Reject:' not in body
    assert decide(client, linked, "reject").status_code == 403
    assert link_for("text") is not None and not MatchDecision.objects.exists()


def test_an_editor_of_another_member_gets_404_and_nothing_changes(client, society, linked):
    client.force_login(user_in(society[0], "ed@citing-society.example", Role.EDITOR))
    for action in ("reject", "confirm"):
        assert decide(client, linked, action).status_code == 404
    assert link_for("text").status == "linked"


def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_changes(client, linked):
    response = decide(client, linked, "reject")
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert link_for("text") is not None


def test_deciding_needs_a_post(client, press, linked):
    client.force_login(press[1])
    assert client.get(reverse("citations:decide", args=[linked.pk]), {"action": "reject"}).status_code == 405
    assert link_for("text") is not None


def test_a_gone_link_of_another_members_work_is_still_404(client, society, press, linked):
    client.force_login(press[1])
    decide(client, linked, "reject")
    client.force_login(society[1])
    assert decide(client, linked, "reject").status_code == 404


def test_agency_superuser_sees_the_page_without_buttons_and_may_not_decide(client, press, linked):
    client.force_login(User.objects.create_superuser("staff@agency.example", "pw"))
    body = client.get(PAGE).content.decode()
    assert "A citing paper" in body and 'aria-label="Reject:' not in body
    assert client.get(reverse("citations:dashboard", args=[press[0].pk])).status_code == 200
    assert decide(client, linked, "reject").status_code == 403
