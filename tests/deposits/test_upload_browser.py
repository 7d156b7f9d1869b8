"""The upload form's refusal before queueing, in a real headless Chromium: the problems are
announced and take the keyboard focus."""
from playwright.sync_api import expect

from tests.builders import member_with_admin
from tests.test_browser import browser, page, screenshot, sign_in  # noqa: F401 (fixtures)
from tests.xmlbuild import journal_article_deposit


def test_structural_problems_take_the_focus_and_keep_the_parsers_words_in_details(live_server, transactional_db, page, tmp_path):  # noqa: F811
    member, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/members/{member.pk}/deposits/")
    broken = tmp_path / "broken.xml"
    broken.write_bytes(journal_article_deposit([{"doi": "10.5555/b.1", "title": "B"}]).replace(b"</title>", b"</titel>"))
    page.get_by_label("Deposit XML file").set_input_files(broken)
    page.get_by_role("button", name="Upload and process").click()
    summary = page.locator("#upload-problems")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("broken.xml was not queued")
    expect(summary).to_contain_text("Line 2:")
    details = summary.locator("details")
    expect(details.locator("code")).not_to_be_visible()
    details.locator("summary").click()
    expect(details.locator("code")).to_contain_text("Opening and ending tag mismatch")
    screenshot(page, "upload-structural-problems.png")
