"""A member admin's pages in headless Chromium: make a key (shown once), use it, revoke it; invite
a colleague. By keyboard and labels, as the rest of the portal."""
from __future__ import annotations

import requests
from playwright.sync_api import expect

from members.models import Membership, Role
from tests.builders import member_with_admin
from tests.test_browser import browser, page, screenshot, sign_in  # noqa: F401  (fixtures)


def test_admin_makes_uses_and_revokes_an_api_key(live_server, transactional_db, page):  # noqa: F811
    member, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    sign_in(page, live_server.url, admin.email)
    page.get_by_role("link", name="API keys").click()
    expect(page.get_by_role("heading", level=2, name="API keys")).to_be_visible()

    page.get_by_label("Name").fill("OJS production")
    page.get_by_label("Deposit (post deposits, read their logs)").check()
    page.get_by_role("button", name="Create key").press("Enter")
    new_key = page.get_by_role("textbox", name="Your new key")
    expect(page.get_by_role("status").filter(has_text="shown only this once")).to_be_focused()
    token = new_key.input_value()
    assert token.startswith("cbp_")
    screenshot(page, "api-key-created.png")

    listed = requests.get(f"{live_server.url}/api/v1/deposits/", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert listed.status_code == 200 and listed.json()["count"] == 0

    page.reload()  # a fresh GET: the key is not shown again, its last use is
    expect(page.get_by_role("textbox", name="Your new key")).to_have_count(0)
    row = page.get_by_role("row", name="OJS production")
    expect(row).not_to_contain_text("never")
    row.get_by_role("button", name="Revoke key OJS production").click()
    expect(page.get_by_role("status")).to_contain_text("is revoked")
    expect(page.get_by_role("row", name="OJS production")).to_contain_text("Revoked")
    refused = requests.get(f"{live_server.url}/api/v1/deposits/", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert refused.status_code == 401 and refused.json()["reason"] == "revoked_key"


def test_admin_invites_a_colleague_and_changes_their_role(live_server, transactional_db, page):  # noqa: F811
    member, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    sign_in(page, live_server.url, admin.email)
    page.get_by_role("link", name="Users").click()
    page.get_by_label("Email address").fill("colleague@cited-press.example")
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status")).to_contain_text("colleague@cited-press.example was added")
    row = page.get_by_role("row", name="colleague@cited-press.example")
    expect(row).to_contain_text("invited, no password yet")
    row.get_by_label("Role of colleague@cited-press.example").select_option("depositor")
    row.get_by_role("button", name="Change role").click()
    expect(page.get_by_role("status")).to_contain_text("is now depositor")
    assert Membership.objects.get(user__email="colleague@cited-press.example").role == Role.DEPOSITOR
    screenshot(page, "member-users.png")
