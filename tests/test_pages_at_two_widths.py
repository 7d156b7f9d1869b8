"""Every main page, as each role sees it, on a phone (390×844) and a desktop (1280×800): nothing
scrolls the page sideways, the header keeps to two rows, axe-core finds no serious or critical
WCAG violation, and a screenshot of each is kept in test-artifacts/screenshots/<page>-<width>.png."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from members.models import Role, User
from tests.builders import PASSWORD, member_with_admin, user_in
from tests.test_browser import ARTIFACTS, browser  # noqa: F401 (the module's one browser)
from tests.xmlbuild import journal_article_deposit

SCREENSHOTS = ARTIFACTS / "screenshots"
WIDTHS = [(390, 844), (1280, 800)]
AXE = Axe()
# Long, unbroken words are what push a phone page sideways: a DOI and a title made of them.
CITED = {"doi": "10.5555/jod.2025.a-rather-long-suffix-00012345-with-no-break-in-it",
         "title": "Interdisciplinary sedimentological reconstructions of palaeoenvironmental variability along continental margins",
         "authors": [("Bea", "Browser"), ("Carla", "Cartographer-Longname")], "year": 2025, "volume": "12", "first_page": "101"}
CITING = {"doi": "10.6666/citing.2026.0001", "title": "A paper that cites the long one",
          "references": [{"key": "r1", "doi": CITED["doi"]}]}
CONTRADICTING = {"doi": "10.6666/citing.2026.0002", "title": "A paper giving the wrong DOI",
                 "references": [{"key": "r1", "doi": CITED["doi"], "year": "1990",
                                 "article_title": "Deep-sea sediment cores of the Arctic shelf"}]}

# Rows of the header: the distinct vertical bands its visible links and buttons sit in.
HEADER_METRICS = """() => {
  const header = document.querySelector('header.site-header');
  const centres = [...header.querySelectorAll('a, button')]
    .filter(el => el.offsetParent !== null && !el.classList.contains('skip-link'))
    .map(el => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; })
    .sort((a, b) => a - b);
  let rows = 0, last = -1e9;
  for (const c of centres) { if (c - last > 12) { rows += 1; last = c; } }
  return {rows, height: header.getBoundingClientRect().height,
          pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth};
}"""


@pytest.fixture
def seeded(transactional_db, monkeypatch):
    """Two members, a deposit with a failure, a citation and a flagged DOI reference, and a user of
    each role. The tests play the workers' part: nothing goes to the broker."""
    from citations.services import match_works
    from citations.tasks import match_works_task
    from deposits.models import Work
    from deposits.services import deposit_create_from_bytes, deposit_process
    from deposits.tasks import process_deposit

    monkeypatch.setattr(process_deposit, "delay", lambda *args, **kwargs: None)
    monkeypatch.setattr(match_works_task, "delay", lambda *args, **kwargs: None)
    press, admin = member_with_admin("Journal of Open Demonstrations and Long Names", "10.5555", "admin@cited-press.example")
    society, _ = member_with_admin("Citing Society", "10.6666", "admin@citing-society.example")
    deposits = {}
    for member, articles, filename in [
        (press, [CITED, {"doi": "10.7777/not-ours-and-rather-long-too", "title": "Not ours"}], "press-2025-issue-12.xml"),
        (society, [CITING, CONTRADICTING], "society.xml"),
    ]:
        deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles), filename=filename)
        deposit_process(deposit_id=deposit.pk)
        deposits[member.pk] = deposit
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    return {
        "press": press, "admin": admin, "deposit": deposits[press.pk],
        "editor": user_in(press, "editor@cited-press.example", Role.EDITOR),
        "depositor": user_in(press, "depositor@cited-press.example", Role.DEPOSITOR),
        "staff": User.objects.create_superuser("staff@agency.example", PASSWORD),
    }


Step = Callable[[Page, str], None]


def visit(path: str) -> Step:
    return lambda page, base: page.goto(f"{base}{path}")


def walk(browser: Browser, base: str, email: str | None, steps: list[tuple[str, Step]]) -> None:  # noqa: F811
    """Each step at each width: measure, screenshot; every problem of every page is reported at once."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width, height in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        if email:
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for name, step in steps:
            step(page, base)
            page.wait_for_load_state("load")
            metrics = page.evaluate(HEADER_METRICS)
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
            if metrics["pageWidth"] > metrics["viewport"]:
                problems.append(f"{name} at {width}px scrolls sideways: {metrics['pageWidth']}px wide")
            if metrics["rows"] > 2 or metrics["height"] > 100:
                problems.append(f"{name} at {width}px: header has {metrics['rows']} rows, {metrics['height']:.0f}px high")
            for violation in AXE.run(page).response["violations"]:
                if violation["impact"] in {"serious", "critical"}:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append(f"{name} at {width}px: axe {violation['id']} ({violation['help']}) at {targets}")
        context.close()
    assert not problems, "\n".join(problems)


def upload_an_empty_file(tmp_path: Path) -> Step:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")

    def step(page: Page, base: str) -> None:
        page.get_by_role("link", name="Deposits").first.click()
        page.get_by_label("Deposit XML file").set_input_files(empty)
        page.get_by_role("button", name="Upload and process").click()
        expect(page.get_by_role("alert")).to_be_focused()
    return step


def paste_references(text: str) -> Step:
    def step(page: Page, base: str) -> None:
        page.goto(f"{base}/tools/simple-text-query/")
        page.get_by_role("textbox", name="References").fill(text)
        page.get_by_role("button", name="Match references").click()
    return step


def test_signed_out_pages_fit_a_phone_and_a_desktop(live_server, seeded, browser):  # noqa: F811
    def wrong_password(page: Page, base: str) -> None:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email").fill("admin@cited-press.example")
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_be_focused()

    walk(browser, live_server.url, None, [
        ("home", visit("/")),
        ("sign-in", visit("/accounts/login/")),
        ("sign-in-error", wrong_password),
        ("password-reset", visit("/accounts/password/reset/")),
        ("password-reset-done", visit("/accounts/password/reset/done/")),
        ("sign-up-closed", visit("/accounts/signup/")),
        ("work-public", visit(f"/doi/{CITED['doi']}")),
        ("work-not-found", visit("/doi/?doi=10.5555/nothing-here")),
        ("404", visit("/no/such/page/")),
    ])


def test_member_admin_pages_fit_a_phone_and_a_desktop(live_server, seeded, browser, tmp_path):  # noqa: F811
    press, deposit = seeded["press"], seeded["deposit"]
    walk(browser, live_server.url, seeded["admin"].email, [
        ("member-works", visit(f"/members/{press.pk}/")),
        ("member-participation", visit(f"/members/{press.pk}/participation/")),
        ("deposit-list", visit(f"/members/{press.pk}/deposits/")),
        ("upload-error", upload_an_empty_file(tmp_path)),
        ("deposit-results", visit(f"/deposits/{deposit.pk}/")),
        ("cited-by-review", visit(f"/cited-by/{CITED['doi']}")),
        ("work-public-owner", visit(f"/doi/{CITED['doi']}")),
        ("simple-text-query", visit("/tools/simple-text-query/")),
        ("simple-text-query-results", paste_references(f"Browser B (2025) {CITED['title']}. 12:101\nNothing like any registered work, 1901")),
        ("member-users", visit(f"/members/{press.pk}/users/")),
        ("member-keys", visit(f"/members/{press.pk}/keys/")),
        ("password-change", visit("/accounts/password/change/")),
        ("sign-out", visit("/accounts/logout/")),
    ])


def test_editor_depositor_and_agency_staff_pages_fit_a_phone_and_a_desktop(live_server, seeded, browser):  # noqa: F811
    press = seeded["press"]
    walk(browser, live_server.url, seeded["editor"].email, [
        ("editor-deposit-list", visit(f"/members/{press.pk}/deposits/")),
        ("editor-cited-by", visit(f"/cited-by/{CITED['doi']}")),
    ])
    walk(browser, live_server.url, seeded["depositor"].email, [
        ("depositor-cited-by", visit(f"/cited-by/{CITED['doi']}")),
    ])
    walk(browser, live_server.url, seeded["staff"].email, [
        ("staff-members", visit("/")),
        ("staff-member-works", visit(f"/members/{press.pk}/")),
        ("staff-deposit-list", visit(f"/members/{press.pk}/deposits/")),
        ("staff-cited-by", visit(f"/cited-by/{CITED['doi']}")),
    ])
