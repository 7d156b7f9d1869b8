"""Who sees what: the count is public, the citing list only for the cited work's owner."""
import pytest
from django.urls import reverse

from citations.services import match_works
from deposits.models import Deposit, Work
from deposits.services import deposit_create_from_bytes, deposit_process
from members.access import can_deposit_for, can_view_citing_list
from members.models import Role
from tests.builders import member_with_admin, user_in
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db

CITING_TITLE = "An article that cites the press"


@pytest.fixture
def cited_work(press, society):
    """10.5555/target (owned by the press) cited by a society article."""
    for member, articles in [
        (press[0], [{"doi": "10.5555/target", "title": "The target"}]),
        (society[0], [{"doi": "10.6666/citer", "title": CITING_TITLE, "references": [{"key": "r", "doi": "10.5555/target"}]}]),
    ]:
        deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles), filename="d.xml")
        deposit_process(deposit_id=deposit.pk)
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    return Work.objects.get(doi="10.5555/target")


def test_owner_sees_the_citing_list(client, press, cited_work):
    client.force_login(press[1])
    page = client.get(reverse("citations:cited_by", args=[cited_work.doi]))
    assert page.status_code == 200
    assert CITING_TITLE in page.content.decode()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.DEPOSITOR, Role.ADMIN])
def test_every_role_of_the_owner_sees_the_citing_list(client, press, cited_work, role):
    client.force_login(user_in(press[0], f"{role}@cited-press.example", role))
    assert CITING_TITLE in client.get(reverse("citations:cited_by", args=[cited_work.doi])).content.decode()


def test_another_member_gets_404_for_the_citing_list(client, society, cited_work):
    client.force_login(society[1])
    page = client.get(reverse("citations:cited_by", args=[cited_work.doi]))
    assert page.status_code == 404
    assert CITING_TITLE not in page.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in_for_the_citing_list(client, cited_work):
    page = client.get(reverse("citations:cited_by", args=[cited_work.doi]))
    assert page.status_code == 302 and page.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["anonymous", "other member"])
def test_public_work_page_shows_the_count_but_never_the_list(client, society, cited_work, who):
    if who == "other member":
        client.force_login(society[1])
    page = client.get(reverse("citations:work", args=[cited_work.doi]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Cited by 1" in body
    assert CITING_TITLE not in body and "10.6666/citer" not in body


def test_user_without_membership_sees_no_member_pages(client, press, cited_work):
    outsider = member_with_admin("Outsider Ltd", "10.7777", "someone@outsider.example")[1]
    client.force_login(outsider)
    member = press[0]
    deposit = Deposit.objects.filter(member=member).first()
    for url in [
        reverse("citations:dashboard", args=[member.pk]),
        reverse("deposits:list", args=[member.pk]),
        reverse("deposits:detail", args=[deposit.pk]),
        reverse("citations:cited_by", args=[cited_work.doi]),
    ]:
        assert client.get(url).status_code == 404, url


def test_member_overview_lists_works_with_counts(client, press, cited_work):
    client.force_login(press[1])
    body = client.get(reverse("citations:dashboard", args=[press[0].pk])).content.decode()
    assert "Cited Press" in body and "10.5555" in body and "The target" in body
    assert '<td class="num" data-label="Cited by">1</td>' in body


def test_editor_may_not_deposit_but_depositor_may(press):
    member = press[0]
    editor = user_in(member, "ed@cited-press.example", Role.EDITOR)
    depositor = user_in(member, "dep@cited-press.example", Role.DEPOSITOR)
    assert not can_deposit_for(editor, member)
    assert can_deposit_for(depositor, member)


def test_editor_cannot_upload_through_the_form(client, press):
    client.force_login(user_in(press[0], "ed@cited-press.example", Role.EDITOR))
    url = reverse("deposits:list", args=[press[0].pk])
    assert 'type="file"' not in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 404
    assert Deposit.objects.count() == 0


def test_inactive_user_loses_access(press, cited_work):
    user = press[1]
    user.is_active = False
    user.save()
    assert not can_view_citing_list(user, cited_work.owner_id)
