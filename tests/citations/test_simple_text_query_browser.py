"""The Simple Text Query in a real headless Chromium, by keyboard only."""
import re

import pytest
from playwright.sync_api import expect

from tests.builders import member_with_admin
from tests.citations.works_registry import GRAPHENE, GRAPHENE_REFERENCE, UNMATCHED_REFERENCE, register_registry
from tests.test_browser import browser, page, screenshot, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("no_matching_tasks")


def test_keyboard_user_pastes_references_and_lands_on_the_results(live_server, transactional_db, page):  # noqa: F811
    press, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    society, _ = member_with_admin("Citing Society", "10.6666", "admin@citing-society.example")
    register_registry(press, society)
    sign_in(page, live_server.url, admin.email)
    page.get_by_role("link", name="Simple Text Query").click()
    references = page.get_by_role("textbox", name="References")
    for _ in range(20):
        page.keyboard.press("Tab")
        if references.evaluate("el => el === document.activeElement"):
            break
    expect(references).to_be_focused()
    page.keyboard.insert_text(f"{GRAPHENE_REFERENCE}\n{UNMATCHED_REFERENCE}")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Match references")).to_be_focused()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="Results: 1 of 2 references matched")
    expect(heading).to_be_focused()
    table = page.get_by_role("table", name="The registered work each pasted reference cites, by line of the pasted text")
    expect(table.get_by_role("link", name=GRAPHENE["doi"], exact=True)).to_have_attribute("href", f"/doi/{GRAPHENE['doi']}")
    expect(table.get_by_role("link", name=f"doi.org link for {GRAPHENE['doi']}")).to_have_attribute("href", f"https://doi.org/{GRAPHENE['doi']}")
    expect(table.get_by_role("row")).to_have_count(3)
    screenshot(page, "simple-text-query.png")


def test_an_error_is_announced_and_takes_focus(live_server, transactional_db, page):  # noqa: F811
    _, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/tools/simple-text-query/")
    page.get_by_role("textbox", name="References").fill("\n".join(f"Ref {i}" for i in range(1002)))
    page.get_by_role("button", name="Match references").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("You pasted 1,002 references; at most 1,000")
    expect(summary).to_be_focused()
    # The field itself is described by its help and its error, for a screen reader arriving on it.
    expect(page.get_by_role("textbox", name="References")).to_have_accessible_description(
        re.compile(r"^One reference per line.*You pasted 1,002 references; at most 1,000"))
