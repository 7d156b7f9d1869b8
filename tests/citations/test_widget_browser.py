"""The widget in Debian's headless Chromium, embedded by publisher pages served from other origins.

The publisher's site is a small static server on 127.0.0.1 (an allowed site of the key); the
same server reached as localhost is another origin, not allowed. The portal is live_server.
"""
from __future__ import annotations

import functools
import http.server
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.citations.widget_builders import cite, widget_key, work
from tests.test_browser import ARTIFACTS, browser, page  # noqa: F401 - the shared Playwright fixtures

HOSTILE_CSS = """
* { letter-spacing: 4px !important; }
body, div { color: #ff00ff !important; font: italic 40px/1 serif !important; text-transform: uppercase; background: #ffff00; }
section, ol, li, a, h2, button, span { display: none !important; color: red !important; }
h2.own { display: block !important; color: rgb(1, 2, 3) !important; }
"""


@pytest.fixture
def publisher(tmp_path):
    """A static web server for the publisher's pages: (write(name, html), url(name, allowed=True))."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]

    def write(name: str, html: str) -> None:
        (tmp_path / name).write_text(html)

    def url(name: str, *, allowed: bool = True) -> str:
        return f"http://{'127.0.0.1' if allowed else 'localhost'}:{port}/{name}"

    write.origin = f"http://127.0.0.1:{port}"
    yield write, url
    server.shutdown()
    server.server_close()


@pytest.fixture
def widget_world(live_server, transactional_db, press, society, publisher):
    write, _ = publisher
    member, _ = press
    article = work(member, "10.5555/widget.1", "Graphene <i>in vivo</i>: H<sub>2</sub>O")
    for n in range(3):
        citing = work(society[0], f"10.6666/cites.{n}", f"Citing paper {n} on <i>graphene</i>",
                      container_title="Letters of Citing", publication_year=2021 + n,
                      contributors=[{"given_name": "Cy", "surname": f"Ting{n}"}])
        cite(citing, article)
    uncited = work(member, "10.5555/widget.uncited", "Nobody cites this yet")
    key = widget_key(member, origins=write.origin)
    return {"portal": live_server.url, "article": article, "uncited": uncited, "key": key}


def host_page(world, *, body: str, head: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>An article</title>{head}</head>
<body><main><h1>An article</h1><h2 class="own">The publisher's own heading</h2>{body}</main>
<script async src="{world['portal']}/widget/v1/cited-by.js"></script></body></html>"""


def widget_div(world, doi=None, **options) -> str:
    attributes = " ".join(f'data-cited-by-{name}="{value}"' for name, value in options.items())
    return f'<div data-cited-by-doi="{doi or world["article"].doi}" data-cited-by-key="{world["key"].key}" {attributes}></div>'


def shot(locator, name: str) -> None:
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=ARTIFACTS / "screenshots" / name)


def test_an_allowed_site_shows_the_count_and_the_list_with_show_more(widget_world, publisher, page):
    write, url = publisher
    write("article.html", host_page(widget_world, body=
        f'<div id="full">{widget_div(widget_world, max=2, theme="light")}</div>'
        f'<div id="compact">{widget_div(widget_world, layout="compact", theme="dark")}</div>'
        f'<div id="full-dark">{widget_div(widget_world, theme="dark")}</div>'
        f'<div id="compact-light">{widget_div(widget_world, layout="compact", theme="light")}</div>'
        f'<div id="empty">{widget_div(widget_world, doi="10.5555/widget.uncited", empty="text")}</div>'
        f'<div id="silent">{widget_div(widget_world, doi="10.5555/widget.uncited")}</div>'))
    page.goto(url("article.html"))
    full = page.locator("#full")
    expect(full.get_by_role("heading", name="Cited by 3")).to_be_visible()
    expect(full.get_by_role("listitem")).to_have_count(2)
    expect(full.get_by_role("link", name="Citing paper 2 on graphene")).to_have_attribute("href", "https://doi.org/10.6666/cites.2")
    expect(full.locator("i", has_text="graphene").first).to_be_visible()
    expect(full.get_by_role("listitem").first).to_contain_text("Cy Ting2")
    expect(full.get_by_role("listitem").first).to_contain_text("Letters of Citing, 2023")
    full.get_by_role("button", name="Show 1 more citing works, of 1 not shown").click()
    expect(full.get_by_role("listitem")).to_have_count(3)
    expect(full.get_by_role("link", name="Citing paper 0 on graphene")).to_be_focused()
    expect(full.get_by_role("button")).to_be_hidden()
    expect(page.locator("#empty").get_by_role("heading", name="Cited by 0")).to_be_visible()
    expect(page.locator("#empty")).to_contain_text("No citations yet.")
    assert page.locator("#silent > div").evaluate("host => host.shadowRoot === null")
    expect(page.locator("#compact").get_by_role("listitem")).to_have_count(3)
    shot(full, "widget-light-full.png")
    shot(page.locator("#compact"), "widget-dark-compact.png")
    shot(page.locator("#full-dark"), "widget-dark-full.png")
    shot(page.locator("#compact-light"), "widget-light-compact.png")


def test_a_site_not_allowed_shows_nothing_and_reads_no_data(widget_world, publisher, page):
    write, url = publisher
    write("article.html", host_page(widget_world, body=widget_div(widget_world)))
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/widget/v1/data/" in request.url else None)
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.goto(url("article.html", allowed=False))
    page.wait_for_load_state("networkidle")
    assert len(asked) == 1  # the widget asked; the portal refused and the browser let the page read nothing
    assert page.locator("[data-cited-by-doi]").evaluate("host => host.shadowRoot === null")
    expect(page.get_by_text("Cited by")).to_have_count(0)
    assert page.evaluate("u => fetch(u).then(r => r.text(), () => 'blocked')", asked[0]) == "blocked"
    assert any("allowed sites" in warning for warning in warnings)


def test_the_iframe_renders_on_an_allowed_site_and_not_elsewhere(widget_world, publisher, page):
    write, url = publisher
    article, key = widget_world["article"], widget_world["key"]
    src = f"{widget_world['portal']}/widget/v1/embed/{article.doi}?key={key.key}&max=2"
    write("framed.html", host_page(widget_world, body=f'<iframe title="Works citing this article" src="{src}" width="600" height="400"></iframe>'))
    page.goto(url("framed.html"))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Cited by 3")).to_be_visible()
    expect(frame.get_by_role("listitem")).to_have_count(2)
    frame.get_by_text("Show 1 more").click()
    expect(frame.get_by_role("link", name="Citing paper 0 on graphene")).to_be_visible()
    shot(page.locator("iframe"), "widget-iframe.png")

    page.goto(url("framed.html", allowed=False))
    page.wait_for_load_state("networkidle")
    expect(page.frame_locator("iframe").get_by_text("Cited by")).to_have_count(0)


def test_a_hostile_stylesheet_breaks_neither_the_widget_nor_the_page(widget_world, publisher, page):
    write, url = publisher
    write("hostile.html", host_page(widget_world, head=f"<style>{HOSTILE_CSS}</style>", body=widget_div(widget_world, theme="light")))
    page.goto(url("hostile.html"))
    widget = page.locator("[data-cited-by-doi]")
    heading = widget.get_by_role("heading", name="Cited by 3")
    expect(heading).to_be_visible()
    expect(widget.get_by_role("listitem")).to_have_count(3)
    style = heading.evaluate("h => { const s = getComputedStyle(h); return [s.color, s.fontSize, s.textTransform, s.fontStyle, s.letterSpacing]; }")
    assert style == ["rgb(27, 31, 36)", "16.5px", "none", "normal", "normal"]
    # The page keeps its own styles: the widget added no style to the document.
    own = page.locator("h2.own").evaluate("h => getComputedStyle(h).color")
    assert own == "rgb(1, 2, 3)"
    assert page.evaluate("document.styleSheets.length") == 1
    assert page.evaluate("document.adoptedStyleSheets.length") == 0
    shot(widget, "widget-hostile-page.png")


def test_a_page_with_a_strict_csp_naming_only_the_portal_runs_the_widget(widget_world, publisher, page):
    write, url = publisher
    portal = widget_world["portal"]
    policy = f"default-src 'none'; script-src {portal}; connect-src {portal}; style-src 'self'"
    write("strict.html", host_page(widget_world, head=f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
                                   body=widget_div(widget_world, theme="dark")))
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(url("strict.html"))
    widget = page.locator("[data-cited-by-doi]")
    expect(widget.get_by_role("heading", name="Cited by 3")).to_be_visible()
    # Styled (a constructed stylesheet, which the page's style-src does not govern): dark background.
    assert widget.locator("section").evaluate("s => getComputedStyle(s).backgroundColor") == "rgb(27, 31, 36)"
    assert violations == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_serious_violation_in_the_widget(widget_world, publisher, page, theme):
    write, url = publisher
    write("a11y.html", host_page(widget_world, body=widget_div(widget_world, theme=theme, max=2) + widget_div(widget_world, theme=theme, layout="compact")))
    page.goto(url("a11y.html"))
    expect(page.get_by_role("heading", name="Cited by 3")).to_have_count(2)
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.locator("[data-cited-by-doi]").first.get_by_role("link").first.focus()
    outline = page.locator("[data-cited-by-doi]").first.get_by_role("link").first.evaluate("a => getComputedStyle(a).outlineStyle")
    assert outline == "solid"


def test_axe_finds_no_serious_violation_in_the_iframe(widget_world, publisher, page):
    write, url = publisher
    article, key = widget_world["article"], widget_world["key"]
    src = f"{widget_world['portal']}/widget/v1/embed/{article.doi}?key={key.key}&theme=dark"
    write("framed.html", host_page(widget_world, body=f'<iframe title="Works citing this article" src="{src}" width="600" height="400"></iframe>'))
    page.goto(url("framed.html"))
    expect(page.frame_locator("iframe").get_by_role("heading", name="Cited by 3")).to_be_visible()
    frame = page.frames[1]
    frame.evaluate(Axe().axe_script)  # axe-core runs inside the frame's own document
    results = frame.evaluate("axe.run({resultTypes: ['violations']})")
    assert [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")] == []


def test_the_documentation_previews_the_widget_and_the_frame_on_the_portal_itself(widget_world, press, page):
    from tests.test_browser import sign_in

    member, admin = press
    sign_in(page, widget_world["portal"], admin.email)
    page.get_by_role("link", name="Widget").click()
    page.get_by_role("link", name="How to add the widget to your pages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The “Cited by” widget")
    expect(page.locator("#snippet")).to_contain_text(f'data-cited-by-doi="{widget_world["article"].doi}"')
    expect(page.locator("#preview").get_by_role("heading", name="Cited by 3")).to_be_visible()
    expect(page.frame_locator("iframe.widget-frame").get_by_role("heading", name="Cited by 3")).to_be_visible()
    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")] == []
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "screenshots" / "widget-docs.png", full_page=True)
