"""The dashboard's main flows by keyboard alone, in a real headless Chromium: find a work by its
title, narrow the list to uncited works, open a work's cited-by page from the list."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from deposits.models import Work
from tests.builders import member_with_admin
from tests.citations.cited_by_builders import link, work
from tests.test_browser import browser, page, screenshot, sign_in  # noqa: F401 (the module's one browser)


@pytest.fixture
def dashboard_data(transactional_db):
    press, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    society, _ = member_with_admin("Citing Society", "10.6666", "admin@citing-society.example")
    cited = work(press, "10.5555/peat", title="Peat carbon budgets", publication_year=2024)
    work(press, "10.5555/lonely", title="A lonely work", publication_year=2023)
    link(cited, work(society, "10.6666/c1", title="A citing paper"))
    Work.objects.filter(pk=cited.pk).update(cited_by_count=1)
    return press, admin


def press_tab_until(page: Page, target, *, limit: int = 80) -> None:
    """Tab forward until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("never reached by Tab")


def test_dashboard_search_filter_and_open_a_work_by_keyboard(live_server, dashboard_data, page):  # noqa: F811
    press, admin = dashboard_data
    sign_in(page, live_server.url, admin.email)
    expect(page.get_by_role("heading", name="At a glance")).to_be_visible()
    works = page.get_by_role("region", name="Works of Cited Press")

    search = page.get_by_label("Title or DOI")
    press_tab_until(page, search)
    page.keyboard.type("peat")
    page.keyboard.press("Enter")
    expect(works.get_by_role("row")).to_have_count(2)  # the header and one work
    expect(works).to_contain_text("Peat carbon budgets")

    search = page.get_by_label("Title or DOI")
    search.focus()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    citations = page.get_by_label("Citations", exact=True)
    press_tab_until(page, citations)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "Not cited"
    press_tab_until(page, page.get_by_role("button", name="Show works"))
    page.keyboard.press("Enter")
    expect(works).to_contain_text("A lonely work")
    expect(works).not_to_contain_text("Peat carbon budgets")
    screenshot(page, "dashboard-filtered.png")

    lonely = works.get_by_role("link", name="A lonely work")
    press_tab_until(page, lonely)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("A lonely work")
    expect(page.get_by_role("heading", name="Cited by 0")).to_be_visible()
