"""A member's admins manage its users and API keys on its own pages; nobody else can."""
import re

import pytest
from django.core import mail

from members.machine_auth import MachineLogin, MachineRefusal, key_authenticate
from members.models import APIKey, Membership, Role, User
from members.services import api_key_create
from tests.builders import PASSWORD, user_in

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_admin_invites_a_colleague_who_chooses_a_password_through_a_one_time_link(client, press, django_capture_on_commit_callbacks):
    member, admin = press
    signed_in(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/members/{member.pk}/users/", {"email": "New.Colleague@Cited-Press.example", "role": "depositor"})
    assert response.status_code == 302
    colleague = User.objects.get(email="new.colleague@cited-press.example")
    assert not colleague.has_usable_password()
    assert Membership.objects.get(user=colleague).role == Role.DEPOSITOR
    assert mail.outbox[0].to == ["new.colleague@cited-press.example"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)

    client.logout()
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert b"Cited-by Portal" in page.content and b"Choose your password" in page.content  # the portal's layout
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"password1": "a-fresh-long-password", "password2": "a-fresh-long-password"})
    assert done.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password("a-fresh-long-password")

    client.logout()
    again = client.get(link, follow=True)  # one time only
    assert b"invalid" in again.content.lower()


def test_inviting_an_existing_account_adds_the_role_without_a_link(client, press, society, django_capture_on_commit_callbacks):
    member, admin = press
    _, other_admin = society
    signed_in(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/members/{member.pk}/users/", {"email": other_admin.email, "role": "editor"})
    assert Membership.objects.get(user=other_admin, member=member).role == Role.EDITOR
    assert "password/reset/key" not in mail.outbox[0].body
    other_admin.refresh_from_db()
    assert other_admin.check_password(PASSWORD)


def test_inviting_someone_already_in_the_member_says_so(client, press):
    member, admin = press
    signed_in(client, admin)
    response = client.post(f"/members/{member.pk}/users/", {"email": admin.email, "role": "editor"})
    assert response.status_code == 400
    assert b"already a user" in response.content


def test_admin_changes_a_role_and_removes_a_user(client, press):
    member, admin = press
    depositor = user_in(member, "dep@cited-press.example", Role.DEPOSITOR)
    membership = Membership.objects.get(user=depositor)
    signed_in(client, admin)
    client.post(f"/members/{member.pk}/users/{membership.pk}/role", {f"m{membership.pk}-role": "editor"})
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    client.post(f"/members/{member.pk}/users/{membership.pk}/remove")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=depositor.pk).exists()  # the account stays


def test_the_last_admin_can_be_neither_removed_nor_demoted(client, press):
    member, admin = press
    membership = Membership.objects.get(user=admin)
    signed_in(client, admin)
    page = client.post(f"/members/{member.pk}/users/{membership.pk}/remove", follow=True)
    assert b"last administrator" in page.content
    client.post(f"/members/{member.pk}/users/{membership.pk}/role", {f"m{membership.pk}-role": "editor"})
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_admin_creates_a_key_shown_once_and_stored_hashed(client, press):
    member, admin = press
    signed_in(client, admin)
    response = client.post(f"/members/{member.pk}/keys/", {"name": "OJS production", "scopes": ["deposit", "retrieve"]}, follow=True)
    assert response.redirect_chain and response.status_code == 200
    token = re.search(rb'value="(cbp_[^"]+)"', response.content).group(1).decode()
    key = APIKey.objects.get()
    assert (key.name, key.scopes, key.created_by) == ("OJS production", ["deposit", "retrieve"], admin)
    assert token.split("_", 2)[2] not in key.secret_hash and token not in str(APIKey.objects.values().get())
    assert b'<td data-label="Last used">never</td>' in client.get(f"/members/{member.pk}/keys/").content
    assert isinstance(key_authenticate(request=None, token=token, scope="deposit"), MachineLogin)
    listing = client.get(f"/members/{member.pk}/keys/")
    assert token.encode() not in listing.content  # never shown again
    assert key.key_id.encode() in listing.content
    key.refresh_from_db()
    assert key.last_used is not None
    assert b'<td data-label="Last used">never</td>' not in listing.content  # its last use is shown


def test_key_needs_a_name_and_a_scope(client, press):
    member, admin = press
    signed_in(client, admin)
    assert client.post(f"/members/{member.pk}/keys/", {"name": "", "scopes": ["deposit"]}).status_code == 400
    assert client.post(f"/members/{member.pk}/keys/", {"name": "x"}).status_code == 400
    assert not APIKey.objects.exists()


def test_admin_revokes_a_key(client, press):
    member, admin = press
    new = api_key_create(member=member, name="old", scopes=["deposit"], created_by=admin)
    signed_in(client, admin)
    client.post(f"/members/{member.pk}/keys/{new.key.pk}/revoke")
    new.key.refresh_from_db()
    assert new.key.revoked is not None
    refusal = key_authenticate(request=None, token=new.token, scope="deposit")
    assert isinstance(refusal, MachineRefusal) and refusal.reason == "revoked_key"


@pytest.mark.parametrize("role", [Role.DEPOSITOR, Role.EDITOR])
def test_depositors_and_editors_cannot_manage(client, press, role):
    member, admin = press
    someone = user_in(member, f"{role}@cited-press.example", role)
    admin_membership = Membership.objects.get(user=admin)
    new = api_key_create(member=member, name="k", scopes=["deposit"], created_by=admin)
    signed_in(client, someone)
    assert client.get(f"/members/{member.pk}/users/").status_code == 404
    assert client.get(f"/members/{member.pk}/keys/").status_code == 404
    assert client.post(f"/members/{member.pk}/users/", {"email": "x@example.org", "role": "admin"}).status_code == 404
    assert client.post(f"/members/{member.pk}/keys/", {"name": "mine", "scopes": ["deposit"]}).status_code == 404
    assert client.post(f"/members/{member.pk}/users/{admin_membership.pk}/remove").status_code == 404
    assert client.post(f"/members/{member.pk}/keys/{new.key.pk}/revoke").status_code == 404
    assert b"API keys" not in client.get(f"/members/{member.pk}/").content  # no tab either
    assert APIKey.objects.count() == 1 and not User.objects.filter(email="x@example.org").exists()
    assert Membership.objects.filter(pk=admin_membership.pk).exists()


def test_one_members_admin_cannot_see_or_change_another_members_users_or_keys(client, press, society):
    member, admin = press
    other, other_admin = society
    their_membership = Membership.objects.get(user=other_admin)
    their_key = api_key_create(member=other, name="theirs", scopes=["deposit"], created_by=other_admin)
    signed_in(client, admin)
    assert client.get(f"/members/{other.pk}/users/").status_code == 404
    assert client.get(f"/members/{other.pk}/keys/").status_code == 404
    # Their rows through our member's addresses: not found either.
    assert client.post(f"/members/{member.pk}/users/{their_membership.pk}/remove").status_code == 404
    assert client.post(f"/members/{member.pk}/users/{their_membership.pk}/role", {f"m{their_membership.pk}-role": "editor"}).status_code == 404
    assert client.post(f"/members/{member.pk}/keys/{their_key.key.pk}/revoke").status_code == 404
    their_membership.refresh_from_db()
    their_key.key.refresh_from_db()
    assert (their_membership.role, their_key.key.revoked) == (Role.ADMIN, None)
    assert b"theirs" not in client.get(f"/members/{member.pk}/keys/").content


def test_admin_sees_the_tabs(client, press):
    member, admin = press
    signed_in(client, admin)
    page = client.get(f"/members/{member.pk}/")
    assert f'href="/members/{member.pk}/keys/"'.encode() in page.content
    assert f'href="/members/{member.pk}/users/"'.encode() in page.content


def test_a_key_is_split_into_its_id_and_secret_only_when_shaped_like_one():
    from members.machine_auth import split_key

    assert split_key("cbp_0123456789ab_se_cr-et") == ("cbp_0123456789ab", "se_cr-et")
    assert split_key("cbp_0123456789ab") is None
    assert split_key("editor@example.org") is None
    assert split_key("cbp__secret") is None


def test_last_use_is_written_at_most_once_a_minute(press):
    from datetime import timedelta

    from django.utils import timezone

    member, admin = press
    new = api_key_create(member=member, name="busy", scopes=["deposit"], created_by=admin)
    key_authenticate(request=None, token=new.token, scope="deposit")
    new.key.refresh_from_db()
    first = new.key.last_used
    key_authenticate(request=None, token=new.token, scope="deposit")
    new.key.refresh_from_db()
    assert new.key.last_used == first
    APIKey.objects.filter(pk=new.key.pk).update(last_used=first - timedelta(minutes=2))
    key_authenticate(request=None, token=new.token, scope="deposit")
    new.key.refresh_from_db()
    assert new.key.last_used > first - timedelta(minutes=1) and new.key.last_used <= timezone.now()


def test_an_admin_who_steps_down_lands_on_a_page_they_may_see(client, press):
    member, admin = press
    user_in(member, "second-admin@cited-press.example", Role.ADMIN)
    mine = Membership.objects.get(user=admin)
    signed_in(client, admin)
    response = client.post(f"/members/{member.pk}/users/{mine.pk}/role", {f"m{mine.pk}-role": "editor"}, follow=True)
    assert response.status_code == 200 and b"is now editor" in response.content
    mine.refresh_from_db()
    assert mine.role == Role.EDITOR


def test_a_key_used_within_the_minute_is_checked_without_writing(press, django_assert_num_queries):
    """A busy platform's key: each call reads the key and writes nothing (the cache is the
    database table in the embedded default, so a cache write would show here too)."""
    member, admin = press
    new = api_key_create(member=member, name="busy", scopes=["retrieve"], created_by=admin)
    key_authenticate(request=None, token=new.token, scope="retrieve")  # the first use is recorded
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert isinstance(key_authenticate(request=None, token=new.token, scope="retrieve"), MachineLogin)
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


TABS = [("citations:dashboard", "Works"), ("deposits:list", "Deposits"), ("citations:digest", "Citation emails"),
        ("members:users", "Users"), ("members:keys", "API keys"), ("members:agents", "Agents"),
        ("citations:notifications", "Notifications"), ("widget:keys", "Widget")]


@pytest.mark.parametrize("current", [name for name, _ in TABS])
def test_each_admin_page_has_every_tab_once_and_marks_its_own(client, press, current):
    import lxml.html
    from django.urls import reverse

    member, admin = press
    signed_in(client, admin)
    page = client.get(reverse(current, args=[member.pk]))
    assert page.status_code == 200
    [nav] = lxml.html.fromstring(page.content).xpath('//nav[@class="tabs"]')
    links = [(a.get("href"), a.text_content().strip()) for a in nav.xpath(".//a")]
    assert links == [(reverse(name, args=[member.pk]), label) for name, label in TABS]
    assert nav.text_content().split() == " ".join(label for _, label in TABS).split()  # no stray text
    assert [a.get("href") for a in nav.xpath('.//a[@aria-current="page"]')] == [reverse(current, args=[member.pk])]
