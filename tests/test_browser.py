"""The pages in a real headless Chromium (Debian's), as a member's staff would use them."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connections
from playwright.sync_api import Page, expect, sync_playwright

from deposits.models import Deposit
from deposits.services import deposit_process
from tests.builders import PASSWORD, member_with_admin
from tests.xmlbuild import journal_article_deposit

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTICLE = {"doi": "10.5555/browser.1", "title": "Seen in a browser", "authors": [("Bea", "Browser")], "year": 2025}


@contextmanager
def headless_chromium():
    """Debian's chromium under Playwright's sync API, for as long as the block runs.

    While Playwright runs, its event loop lives in this thread, and Django would take every ORM
    call (the tests' own, fixture teardown) for one made from async code. They are plain
    synchronous calls, so the check is lifted for exactly as long as Playwright runs. A running
    loop also gives Django's connections a storage of their own (asgiref keeps them per context
    then), which nothing closes after the loop stops: so they are closed here, before it stops,
    or the test database cannot be dropped at the end of the run ("being accessed by other users").
    """
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            connections.close_all()


@pytest.fixture(scope="module")
def browser():
    with headless_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield context.new_page()
    context.close()


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / name, full_page=True)


def test_member_signs_in_uploads_a_deposit_and_sees_it_completed_by_the_worker(live_server, celery_worker, page, tmp_path):
    member, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    sign_in(page, live_server.url, admin.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cited Press")
    # The dashboard names the prefix in its filters too: the line that lists the member's prefixes.
    expect(page.get_by_text("DOI prefixes: 10.5555")).to_be_visible()

    page.get_by_role("link", name="Deposits").click()
    deposit_file = tmp_path / "articles.xml"
    deposit_file.write_bytes(journal_article_deposit([ARTICLE, {"doi": "10.6666/not-ours"}]))
    page.get_by_label("Deposit XML file").set_input_files(deposit_file)
    page.get_by_role("button", name="Upload and process").click()

    expect(page.get_by_role("status").filter(has_text="articles.xml was received")).to_be_visible()
    progress = page.locator("#deposit-progress")
    expect(progress).to_contain_text("Completed", timeout=60_000)
    expect(progress).to_contain_text("1 of 2 records succeeded, 1 failed")
    expect(page.get_by_role("row", name="10.5555/browser.1")).to_contain_text("Successfully added")
    expect(page.get_by_role("row", name="10.6666/not-ours")).to_contain_text("not under a prefix of Cited Press")
    screenshot(page, "deposit-completed.png")

    page.get_by_role("link", name="Works").click()
    expect(page.get_by_role("row", name="Seen in a browser")).to_contain_text("10.5555/browser.1")
    screenshot(page, "member-works.png")


def test_deposit_pages_follow_processing_without_a_reload(live_server, transactional_db, page):
    member, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    # Stored but not queued: this test plays the worker's part itself, at a moment it chooses.
    deposit = Deposit(member=member, uploaded_by=admin, filename="slow.xml", sha256="0" * 64)
    content = journal_article_deposit([ARTICLE])
    deposit.size = len(content)
    deposit.file.save("slow.xml", ContentFile(content))

    sign_in(page, live_server.url, admin.email)
    history = page.context.new_page()
    history.goto(f"{live_server.url}/members/{member.pk}/deposits/")
    expect(history.get_by_role("row", name="slow.xml")).to_contain_text("Queued")
    page.goto(f"{live_server.url}/deposits/{deposit.pk}/")
    progress = page.locator("#deposit-progress")
    expect(progress).to_contain_text("Queued")
    for tab in (page, history):
        tab.evaluate("window.notReloaded = true")

    deposit_process(deposit_id=deposit.pk)

    expect(progress).to_contain_text("Completed", timeout=10_000)
    expect(page.get_by_role("row", name="10.5555/browser.1")).to_contain_text("Successfully added")
    expect(history.get_by_role("row", name="slow.xml")).to_contain_text("Completed", timeout=10_000)
    for tab in (page, history):
        assert tab.evaluate("window.notReloaded") is True


def test_pages_work_by_keyboard(live_server, transactional_db, page):
    member, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/members/{member.pk}/deposits/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown when focused
    file_input = page.get_by_label("Deposit XML file")
    for _ in range(15):
        page.keyboard.press("Tab")
        if file_input.evaluate("el => el === document.activeElement"):
            break
    expect(file_input).to_be_focused()
    screenshot(page, "deposits-keyboard.png")


def test_editor_rejects_a_match_by_keyboard_and_sees_it_gone(live_server, transactional_db, page, monkeypatch):
    from citations.services import match_works
    from citations.tasks import match_works_task
    from deposits.models import Work
    from deposits.services import deposit_create_from_bytes
    from deposits.tasks import process_deposit
    from members.models import Role
    from tests.builders import user_in

    # This test plays the workers' part itself: nothing goes to the broker.
    monkeypatch.setattr(process_deposit, "delay", lambda *args, **kwargs: None)
    monkeypatch.setattr(match_works_task, "delay", lambda *args, **kwargs: None)
    press, _ = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    society, _ = member_with_admin("Citing Society", "10.6666", "admin@citing-society.example")
    for member, articles in [
        (press, [ARTICLE]),
        (society, [{"doi": "10.6666/wrongly.linked", "title": "A paper that does not cite it",
                    "references": [{"key": "r1", "doi": ARTICLE["doi"]}]},
                   {"doi": "10.6666/wrong.doi", "title": "A paper giving the wrong DOI",
                    "references": [{"key": "r1", "doi": ARTICLE["doi"], "year": "1990",
                                    "article_title": "Deep-sea sediment cores of the Arctic shelf"}]}]),
    ]:
        deposit_process(deposit_id=deposit_create_from_bytes(member=member, content=journal_article_deposit(articles), filename="d.xml").pk)
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    editor = user_in(press, "editor@cited-press.example", Role.EDITOR)

    sign_in(page, live_server.url, editor.email)
    page.goto(f"{live_server.url}/cited-by/{ARTICLE['doi']}")
    expect(page.get_by_role("heading", name="Cited by 1")).to_be_visible()
    expect(page.get_by_text("DOI given by the publisher", exact=True)).to_be_visible()
    flagged = page.get_by_role("region", name="DOI references that contradict this work")
    expect(flagged).to_contain_text("Deep-sea sediment cores of the Arctic shelf")
    expect(flagged.get_by_role("button", name="Accept: A paper giving the wrong DOI")).to_be_visible()
    screenshot(page, "cited-by-review.png")
    reject = page.get_by_role("button", name="Reject: A paper that does not cite it")
    for _ in range(30):
        page.keyboard.press("Tab")
        if reject.evaluate("el => el === document.activeElement"):
            break
    expect(reject).to_be_focused()
    page.keyboard.press("Enter")

    message = page.get_by_role("status")
    expect(message).to_contain_text("Rejected: “A paper that does not cite it” no longer cites this work")
    expect(message).to_be_focused()
    expect(page.get_by_role("heading", name="Cited by 0")).to_be_visible()
    expect(page.get_by_text("Rejected by editor@cited-press.example on")).to_be_visible()
    expect(reject).to_have_count(0)
    screenshot(page, "cited-by-rejected.png")


def test_an_upload_error_takes_the_keyboard_focus(live_server, transactional_db, page, tmp_path):
    member, admin = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/members/{member.pk}/deposits/")
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    page.get_by_label("Deposit XML file").set_input_files(empty)
    page.get_by_role("button", name="Upload and process").click()
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("empty")
    expect(errors).to_be_focused()
