"""Sign-in, sign-out, password reset and change are the portal's own pages: its layout, its
words, linked to each other; the emails they send link only to pages that exist."""
from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.builders import PASSWORD

PORTAL_HEADER = '<header class="site-header">'
SIGNED_OUT_PAGES = ["account_login", "account_reset_password", "account_reset_password_done", "account_signup"]
SIGNED_IN_PAGES = ["account_change_password", "account_logout"]


def links_of(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


@pytest.mark.parametrize("name", SIGNED_OUT_PAGES)
def test_signed_out_account_pages_use_the_portal_layout_and_link_to_each_other(client, db, name):
    html = client.get(reverse(name)).content.decode()
    assert PORTAL_HEADER in html and 'aria-label="Account"' in html
    assert {reverse("account_login"), reverse("account_reset_password"), reverse("home")} <= links_of(html)
    assert reverse("account_signup") not in links_of(html)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_pages_use_the_portal_layout_and_link_to_each_other(client, press, name):
    _, admin = press
    client.force_login(admin)
    html = client.get(reverse(name)).content.decode()
    assert PORTAL_HEADER in html and admin.email in html
    assert {reverse("account_change_password"), reverse("account_logout")} <= links_of(html)


def test_the_portal_header_links_to_the_password_page_when_signed_in(client, press):
    _, admin = press
    assert reverse("account_change_password") not in links_of(client.get("/").content.decode())
    client.force_login(admin)
    assert reverse("account_change_password") in links_of(client.get("/", follow=True).content.decode())


def test_sign_in_page_links_to_the_reset_and_says_there_is_no_sign_up(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "no\n  open sign-up" in html or "no open sign-up" in html
    assert reverse("account_reset_password") in links_of(html)


def test_the_closed_sign_up_says_who_creates_accounts(client, db):
    html = client.get(reverse("account_signup")).content.decode()
    assert "<h1>No open sign-up</h1>" in html and "administrator" in html
    assert "<form" not in html.split("<main", 1)[1]


def test_a_wrong_password_is_summarised_focused_and_the_email_kept(client, press):
    _, admin = press
    response = client.post(reverse("account_login"), {"login": admin.email, "password": "wrong"})
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'role="alert"' in html and "data-focus-on-load" in html
    assert "not correct" in html and f'value="{admin.email}"' in html


def test_the_reset_email_for_an_unknown_address_has_no_link_to_the_closed_sign_up(client, db):
    client.post(reverse("account_reset_password"), {"email": "nobody@nowhere.example"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "nobody@nowhere.example" in body and "No portal account uses this address" in body
    assert "signup" not in body and "sign up for" not in body.lower()
    assert "http" not in body  # nothing to follow: the page it would point to does not exist


def test_the_reset_email_links_to_a_page_that_lets_the_user_choose_a_password(client, press):
    _, admin = press
    client.post(reverse("account_reset_password"), {"email": admin.email})
    (message,) = mail.outbox
    (link,) = re.findall(r"https?://\S+", message.body)
    page = client.get(link, follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and PORTAL_HEADER in html and "<h1>Choose your password</h1>" in html
    done = client.post(page.redirect_chain[-1][0] if page.redirect_chain else link,
                       {"password1": "a-new-long-password-1", "password2": "a-new-long-password-1"}, follow=True)
    assert "<h1>Your password is changed</h1>" in done.content.decode()
    assert client.login(email=admin.email, password="a-new-long-password-1")


def test_a_used_reset_link_says_so_and_offers_a_new_one(client, press):
    html = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "nope"})).content.decode()
    assert "This link no longer works" in html and reverse("account_reset_password") in links_of(html)


def test_password_change_errors_are_tied_to_their_fields(client, press):
    _, admin = press
    client.force_login(admin)
    html = client.post(reverse("account_change_password"),
                       {"oldpassword": "wrong", "password1": "x", "password2": "y"}).content.decode()
    assert 'class="error-summary"' in html
    assert 'aria-describedby="id_oldpassword_helptext id_oldpassword_error"' in html or 'aria-describedby="id_oldpassword_error' in html
    assert 'id="id_oldpassword_error"' in html and 'aria-invalid="true"' in html


def test_password_change_keeps_working_and_says_so(client, press):
    _, admin = press
    client.force_login(admin)
    response = client.post(reverse("account_change_password"),
                           {"oldpassword": PASSWORD, "password1": "another-long-password-2", "password2": "another-long-password-2"},
                           follow=True)
    assert response.status_code == 200 and "Password successfully changed" in response.content.decode()
