"""Refusals are the portal's own pages and say what happened and who can change it."""
import pytest
from django.test import Client
from django.urls import reverse

from members.models import Role
from tests.builders import user_in
from tests.citations.test_review_page import CITED, linked, registry  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def decide(client, citation, action: str):
    return client.post(reverse("citations:decide", args=[citation.pk]), {"action": action, "work": CITED["doi"]}, follow=True)


def test_a_depositor_refused_a_review_action_is_told_why_in_the_portal_layout(client, press, linked):  # noqa: F811
    client.force_login(user_in(press[0], "dep@cited-press.example", Role.DEPOSITOR))
    response = decide(client, linked, "reject")
    html = response.content.decode()
    assert response.status_code == 403 and '<header class="site-header">' in html
    assert 'role="alert"' in html and "Only the member&#x27;s editors and administrators confirm or reject links." in html
    assert "ask them" in html


def test_a_refused_decision_is_announced_as_an_alert_and_takes_focus(client, press, linked):  # noqa: F811
    client.force_login(press[1])
    html = decide(client, linked, "neither").content.decode()
    assert 'data-focus-on-load' in html.split('id="messages"', 1)[1].split(">", 1)[0]
    assert '<p class="message error" role="alert">Nothing was changed: choose Confirm, Accept or Reject.</p>' in html


def test_an_expired_form_says_so_in_the_portal_layout(db):
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "a@b.example", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403 and '<header class="site-header">' in html and "This form has expired" in html
