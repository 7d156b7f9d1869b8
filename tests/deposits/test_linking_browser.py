"""In a real headless Chromium: a completed deposit's page follows linking to its end without a reload."""
import pytest
from playwright.sync_api import expect

from citations.services import match_works
from citations.tasks import match_works_task
from deposits.models import Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.builders import member_with_admin
from tests.test_browser import browser, page, screenshot, sign_in  # noqa: F401 (fixtures)
from tests.xmlbuild import journal_article_deposit


@pytest.fixture
def matching_held(monkeypatch):
    """The test plays the matching worker's part itself, at a moment it chooses."""
    monkeypatch.setattr(match_works_task, "delay", lambda *args, **kwargs: None)


def test_deposit_page_says_linking_runs_then_what_was_linked(live_server, transactional_db, page, matching_held):  # noqa: F811
    member, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    for articles in ([{"doi": "10.5555/cited", "title": "The cited one"}],
                     [{"doi": "10.5555/citing", "title": "The citing one", "references": [
                         {"key": "r1", "doi": "10.5555/cited"}, {"key": "r2", "unstructured": "Nobody (1900). Nothing."}]}]):
        deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles), filename="refs.xml")
        deposit = deposit_process(deposit_id=deposit.pk)

    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/deposits/{deposit.pk}/")
    progress = page.locator("#deposit-progress")
    expect(progress).to_contain_text("Completed")
    expect(progress.get_by_role("status").filter(has_text="Linking references…")).to_contain_text("0 of 2 checked")
    screenshot(page, "deposit-linking.png")
    page.evaluate("window.notReloaded = true")

    match_works(work_ids=Work.objects.values_list("pk", flat=True))

    linked = progress.get_by_role("status").filter(has_text="References linked")
    expect(linked).to_contain_text("1 of the 2 references cites a registered work", timeout=10_000)
    expect(page.get_by_role("row", name="10.5555/citing")).to_contain_text("Successfully added")
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "deposit-linked.png")
