"""The page in a real browser: Playwright driving Debian's Chromium, headless, against `sitrep serve`'s app on
127.0.0.1. Set SITREP_SCREENSHOTS=DIR to keep a screenshot of each view (the README's come from here)."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from test_web import HOSTILE

from sitrep.store import open_store

from conftest import EXAMPLES

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-component-update", "--disable-sync"]


def _need_browser():
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        reason = f"playwright/uvicorn not installed ({exc})"
    if reason is None and not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI=true)")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory, extract_text):
    _need_browser()
    import uvicorn

    from sitrep.web.app import create_app

    db = tmp_path_factory.mktemp("web") / "store.db"
    store = open_store(db)
    batch = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        batch.append((extract_text(path.read_text(encoding="utf-8"), id=path.stem, published=path.stem[:10]), None,
                      None))
    for a in HOSTILE:
        r = extract_text(a["text"], id=a["id"], title=a["title"], published=a["published"])
        r["article"]["url"] = a["url"]
        batch.append((r, None, None))
    store.add_many(batch)
    store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def _shot(page, name: str, full_page: bool = False) -> None:
    folder = os.environ.get("SITREP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def _pwned(page) -> bool:
    return page.evaluate("() => window.__pwned !== undefined") or bool(page.dialogs)


def test_map_marker_opens_the_highlighted_article(page, server):
    page.goto(server + "/#map")
    page.wait_for_selector(".marker-cluster, path.leaflet-interactive")
    page.wait_for_function("() => document.querySelector('#map-count').textContent.includes('on the map')")
    _shot(page, "map")
    for _ in range(8):  # open clusters until a single event's marker shows
        if page.locator("path.leaflet-interactive").count():
            break
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(700)
    page.locator("path.leaflet-interactive").first.click()
    link = page.locator(".leaflet-popup-content a", has_text="Read the article")
    link.wait_for()
    link.click()
    page.wait_for_selector("#article-out mark.focus")
    assert page.url.split("#")[1].startswith("article/")
    assert page.locator("#article-out mark").count() >= 3
    page.locator("#article-out mark.place").first.click()
    assert "place" in page.locator("#selected").inner_text()
    _shot(page, "article")
    # a highlighted place links to its timeline
    link = page.locator("#selected a.entity", has_text="timeline of").first
    place = link.inner_text().removeprefix("timeline of ")
    link.click()
    page.wait_for_function("(p) => document.querySelector('#timeline-note').textContent.includes('for ' + p)", arg=place)
    assert page.locator("#timeline-place").input_value() == place
    page.fill("#timeline-place", "Maiduguri")
    page.dispatch_event("#timeline-place", "change")
    page.wait_for_function("() => document.querySelector('#timeline-note').textContent.includes('for Maiduguri')")
    page.wait_for_selector("#chart .uplot")
    _shot(page, "timeline", full_page=True)
    assert not _pwned(page)


def test_search_and_reconciliation(page, server):
    page.goto(server + "/")
    page.fill("#search-box", "Goma fighting")
    page.press("#search-box", "Enter")
    page.wait_for_selector("#search-out .result mark")
    assert "goma" in page.locator("#search-out").inner_text().lower()
    _shot(page, "search")
    page.locator("#search-out .result a").first.click()
    page.wait_for_selector("#article-out h1")
    page.goto(server + "/#reconcile")
    page.fill("#rec-place", "Maiduguri")
    page.select_option("#rec-period", "all")
    page.click("#reconcile-form button")
    page.wait_for_selector("table.reconcile tbody tr")
    text = page.locator("#reconcile-out").inner_text()
    assert "Maiduguri" in text and "conservative" in text
    _shot(page, "reconcile")
    page.locator("table.reconcile tbody tr a").first.click()
    page.wait_for_selector("#article-out mark.focus")
    assert not _pwned(page)


def test_payloads_in_articles_never_run(page, server):
    page.goto(server + "/")
    ids = page.evaluate("async () => (await (await fetch('/api/articles?limit=200')).json()).items"
                        ".filter(a => a.input_id.startsWith('hostile')).map(a => a.id)")
    assert len(ids) == len(HOSTILE)
    for article_id in ids:
        page.goto(f"{server}/#article/{article_id}")
        page.wait_for_selector("#article-out h1")
        page.wait_for_timeout(300)
        title = page.locator("#article-out h1").inner_text()
        assert "<script>" in title or "<svg" in title  # shown as text
        assert page.locator("#article-out script, #article-out img, #article-out iframe, #article-out svg").count() == 0
        for mark in page.locator("#article-out mark").all()[:10]:
            mark.click()
    for q in ("Kismayo", "Beledweyne", "script pwned", "onerror"):
        page.goto(f"{server}/#search?q={q}")
        page.wait_for_selector("#search-out h2")
        page.wait_for_timeout(200)
    page.goto(server + "/#map")
    page.select_option("#layer", "both")
    page.wait_for_timeout(500)
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert not _pwned(page), "a payload ran"
