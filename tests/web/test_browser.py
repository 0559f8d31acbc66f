"""The web UI end to end in a real headless Chromium (Debian's, driven by Playwright): a
uvicorn server on 127.0.0.1 serving a ledger of the seed article and a hostile one, and
`claimledger serve`'s app (API and UI, with a write token) over the acceptance corpus,
where a fact-checker's path is walked at 1280 and 390 pixels wide.

Skipped where Chromium is missing, unless CLAIMLEDGER_REQUIRE_BROWSER=1 (set by .ci/run)
makes that a failure; likewise the accessibility check where axe-core is missing (.ci/run
installs it with npm into .cache/axe, or name axe.min.js in CLAIMLEDGER_AXE). Screenshots
of each view go to $CLAIMLEDGER_ARTIFACTS (else the test's tmp_path); with
CLAIMLEDGER_SCREENSHOTS=1 (`make screenshots`) they are also written, shrunk, to
docs/screenshots/ for the README.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Dialog, Page, Route, expect, sync_playwright

from claimledger import web
from claimledger.api import Settings
from claimledger.extract import analyze
from claimledger.ingest.run import ingest
from claimledger.ledger import Ledger
from claimledger.server import build_app
from tests import paths

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    if os.environ.get("CLAIMLEDGER_REQUIRE_BROWSER") == "1":
        pytest.fail("Chromium is not installed (apt-get install chromium)", pytrace=False)
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

SEED = paths.SEED
SEED_ID = "493db561d9636d49"
HOSTILE = (
    "The <script>window.__pwned = 1; alert(1)</script> Ministry said on January 20 that "
    "300 drones were shot down.\n"
    'The "><img src=x onerror="window.__pwned = 1; alert(1)"> Agency reported on January 21 '
    "that 10 <script>alert(1)</script> drones were destroyed."
)
SCREENSHOTS = paths.SCREENSHOTS
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def hostile_id(tmp_path_factory: pytest.TempPathFactory) -> str:
    return analyze(HOSTILE).document.id


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a uvicorn server, in a background thread, serving the web UI."""
    ledger = Ledger(tmp_path_factory.mktemp("web") / "ledger.sqlite")
    seed = analyze(
        SEED.read_text("utf-8"),
        published=dt.date(2025, 2, 1),
        path="demo/kursk-north-korean-troops.txt",
    )
    ledger.store(seed)
    ledger.store(
        analyze(
            HOSTILE,
            published=dt.date(2025, 2, 1),
            title="<script>window.__pwned = 1</script> report",
            outlet='"><img src=x onerror=alert(1)>',
        )
    )
    ledger.reconcile()
    app = FastAPI()
    app.state.ledger = ledger
    web.install(app)
    try:
        with _serving(app) as url:
            yield url
    finally:
        ledger.close()


@contextmanager
def _serving(app: FastAPI) -> Iterator[str]:
    """``app`` under uvicorn in a background thread on 127.0.0.1; its base URL."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watch:
    """What a page tried that it must not: requests off 127.0.0.1, dialogs, page errors."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    watch = Watch()

    def route(r: Route) -> None:
        if urlparse(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            watch.blocked.append(r.request.url)
            r.abort()

    def dialog(d: Dialog) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", dialog)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    try:
        yield page, watch
    finally:
        context.close()
    assert watch.blocked == [], f"requests off 127.0.0.1 were attempted: {watch.blocked}"
    assert watch.dialogs == [], f"dialogs fired: {watch.dialogs}"
    assert watch.errors == [], f"script errors: {watch.errors}"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Where screenshots go: the artifacts folder, and docs/screenshots when asked."""
    folder = os.environ.get("CLAIMLEDGER_ARTIFACTS")
    places = [Path(folder) if folder else tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("CLAIMLEDGER_SCREENSHOTS") == "1":
        places.append(SCREENSHOTS)
    for place in places:
        place.mkdir(parents=True, exist_ok=True)
    return places


def screenshot(page: Page, shots: list[Path], view: str) -> None:
    """The window (not the whole page) as ``view``.png; the README's copy shrunk to a
    palette of 64 colours, a few tens of KB each."""
    first = shots[0] / f"{view}.png"
    page.screenshot(path=str(first))
    for place in shots[1:]:
        from PIL import Image

        with Image.open(first) as image:
            small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
            small.save(place / f"{view}.png", optimize=True)


def test_seed_article_to_its_claim_group(
    server: str, page: tuple[Page, Watch], shots: list[Path]
) -> None:
    p, _ = page
    p.goto(server + "/")
    expect(p.get_by_role("heading", name="Articles")).to_be_visible()
    # an untitled article with no outlet is named by its first words
    article_link = p.get_by_role("link", name="Ukrainian military officials stated on January 31")
    expect(article_link).to_be_visible()

    article_link.click()
    p.wait_for_url(f"{server}/documents/{SEED_ID}")
    syrskyi = p.locator('#article-text mark.source[data-attribution="a9"]')
    expect(syrskyi).to_contain_text("Oleksandr Syrskyi")
    popover = p.locator("#card-popover")
    expect(popover).to_be_hidden()
    # the mark near the top of the window, so its card shows below it in the screenshot
    syrskyi.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 180)")
    syrskyi.hover()
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("Oleksandr Syrskyi")
    expect(popover).to_contain_text("Kyiv Independent")
    expect(popover).to_contain_text("≈6,000")
    expect(popover).to_contain_text("2025-01-19")

    # click pins the card, so the pointer can travel to its link
    syrskyi.click()
    popover.get_by_role("link", name="timeline of north korean soldiers").click()
    p.wait_for_url(f"{server}/groups?subject=north+korean+soldiers")
    charts = p.locator("#timeline svg.measure-chart")
    expect(charts.first).to_be_visible()
    chart_text = " ".join(charts.all_text_contents())
    assert "4,000 (one-third of 12,000) killed" in chart_text
    assert "≈6,000 (approximately half of 12,000) killed or wounded" in chart_text
    figures = p.locator("#figures")
    expect(figures).to_contain_text("4,000 (one-third of 12,000)")
    expect(figures).to_contain_text("≈6,000 (approximately half of 12,000)")
    expect(p.locator("#relations-compatible")).to_contain_text("killed ≤ killed_or_wounded")
    # a chart's point is a link reached by keyboard, to its sentence in the article
    point = charts.locator("a.point").first
    point.focus()
    assert p.evaluate("document.activeElement.classList.contains('point')")
    p.keyboard.press("Enter")
    p.wait_for_url(f"{server}/documents/{SEED_ID}#claim-*")
    expect(p.locator("#article-text mark.figure:target")).to_have_count(1)


def test_keyboard_reaches_the_card(server: str, page: tuple[Page, Watch]) -> None:
    p, _ = page
    p.goto(f"{server}/documents/{SEED_ID}")
    p.locator('#article-text mark.cue[data-attribution="a8"]').focus()
    expect(p.locator("#card-popover")).to_contain_text("Zelensky")
    expect(p.locator("#card-popover")).to_contain_text("4,000 (one-third of 12,000)")
    p.keyboard.press("Escape")
    expect(p.locator("#card-popover")).to_be_hidden()
    # a figure is reached by keyboard too, and shows its statement's card
    p.locator("#claim-c7").focus()
    expect(p.locator("#card-popover")).to_contain_text("Oleksandr Syrskyi")
    assert p.evaluate("document.activeElement.id") == "claim-c7"


def test_hostile_article_runs_no_script(
    server: str, page: tuple[Page, Watch], hostile_id: str
) -> None:
    p, watch = page
    for path in (
        f"/documents/{hostile_id}",
        "/",
        "/claims",
        "/sources",
        "/groups?subject=drones",
        "/conflicts",
        "/corrections",
    ):
        p.goto(server + path)
        p.wait_for_load_state("load")
        assert p.evaluate("typeof window.__pwned") == "undefined", path
    p.goto(f"{server}/documents/{hostile_id}")
    expect(p.locator("#article-text")).to_contain_text(
        "<script>window.__pwned = 1; alert(1)</script>"
    )
    # the only script on the page is the app's own
    sources = p.eval_on_selector_all("script", "els => els.map(e => e.getAttribute('src'))")
    assert sources == ["/static/app.js"]
    assert p.locator("#article-text img").count() == 0
    p.locator("#article-text mark.source").first.hover()
    expect(p.locator("#card-popover")).to_contain_text("<script")
    assert p.evaluate("typeof window.__pwned") == "undefined"
    assert watch.dialogs == []


def test_claims_sources_and_analyze(
    server: str, page: tuple[Page, Watch], shots: list[Path]
) -> None:
    p, _ = page
    p.goto(server + "/claims?subject=north+korean")
    table = p.locator("table.claims")
    expect(table).to_contain_text("Oleksandr Syrskyi")
    p.get_by_role("link", name="figure", exact=True).click()
    expect(p.locator("table.claims tbody tr").first).to_contain_text("2")
    p.get_by_role("link", name="figure ▲").click()
    expect(p.locator("table.claims tbody tr").first).to_contain_text("12,000")
    p.locator("table.claims tbody tr").first.get_by_role("link").first.click()
    expect(p.locator(":target")).to_have_count(1)

    p.goto(server + "/sources")
    graph = p.locator("svg.provenance")
    expect(graph).to_be_visible()
    expect(graph).to_contain_text("Kyiv Independent")
    expect(p.locator("table.data")).to_contain_text("Oleksandr Syrskyi")

    p.goto(server + "/analyze")
    p.get_by_label("Article text").fill(
        "Defence Minister Rustem Umerov said on Monday that 1,500 soldiers were wounded."
    )
    p.get_by_label("Published").fill("2025-02-01")
    p.get_by_role("button", name="Analyse").click()
    expect(p.locator(".banner")).to_contain_text("not stored")
    source = p.locator("#article-text mark.source").first
    expect(source).to_contain_text("Rustem Umerov")
    source.hover()
    expect(p.locator("#card-popover")).to_contain_text("1,500")


# --- a fact-checker's path over the acceptance corpus ---------------------------------

TOKEN = "test-write-token-0123456789"
AXE = Path(
    os.environ.get("CLAIMLEDGER_AXE") or paths.ROOT / ".cache/axe/node_modules/axe-core/axe.min.js"
)
WIDTHS = {"wide": (1280, 800), "narrow": (390, 844)}


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`claimledger serve`'s app (the API and the UI, with a write token) over a ledger of
    the acceptance corpus, ingested as `claimledger ingest` does."""
    db = tmp_path_factory.mktemp("corpus-web") / "ledger.sqlite"
    with Ledger(db) as ledger:
        tally = ingest([paths.CORPUS], ledger, workers=1)
        assert tally.failed == []
        ledger.reconcile()
    with _serving(build_app(Settings(db=str(db), token=TOKEN))) as url:
        yield url


def _axe_script() -> str:
    if AXE.is_file():
        return AXE.read_text("utf-8")
    message = f"axe-core is not installed at {AXE} (npm install --prefix .cache/axe axe-core)"
    if os.environ.get("CLAIMLEDGER_REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(params=list(WIDTHS))
def window(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, str]]:
    """A page at one width (the parameter's name), with the same watch as ``page``, and
    axe-core served at /__axe.js from this machine so the page's CSP stays as it is."""
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    axe = _axe_script()
    watch = Watch()

    def route(r: Route) -> None:
        url = urlparse(r.request.url)
        if url.hostname == "127.0.0.1" and url.path == "/__axe.js":
            r.fulfill(status=200, content_type="text/javascript", body=axe)
        elif url.hostname == "127.0.0.1":
            r.continue_()
        else:
            watch.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    try:
        yield page, request.param
    finally:
        context.close()
    assert watch.blocked == [] and watch.dialogs == [] and watch.errors == []


def check_page(p: Page, server: str, width: str, shots: list[Path], view: str) -> None:
    """Every view's checks: no sideways scroll at any width, no serious or critical
    accessibility violation (axe-core, WCAG 2 A and AA), and its screenshot."""
    p.wait_for_load_state("load")
    fits = p.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    wide = p.evaluate("document.scrollingElement.scrollWidth")
    assert fits, f"{view} scrolls sideways at {width}: {wide}px"
    p.add_script_tag(url=server + "/__axe.js")
    found = p.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => v.id + ": " + v.help + " — "
                     + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
        }"""
    )
    assert found == [], f"{view} at {width}: {found}"
    screenshot(p, shots, f"{view}-{width}")


def _conflict_count(p: Page) -> int:
    text = p.locator("h1 .count-heading").text_content() or ""
    return int(text.replace(",", ""))


def test_a_fact_checker_finds_checks_and_dismisses_a_conflict(
    corpus_server: str, window: tuple[Page, str], shots: list[Path]
) -> None:
    p, width = window
    server = corpus_server
    p.goto(server + "/")
    title = "North Korean troops join assaults in Kursk region, Ukrainian intelligence says"
    expect(p.get_by_role("link", name=title)).to_be_visible()
    original = p.locator('a[rel="noopener noreferrer nofollow"]').first
    assert (original.get_attribute("href") or "").startswith("https://example.org/")
    check_page(p, server, width, shots, "articles")

    # the conflicts page: a count in the header, the genuine dispute first
    p.get_by_role("link", name="Conflicts").first.click()
    p.wait_for_url(server + "/conflicts")
    before = _conflict_count(p)
    assert before >= 2
    top = p.locator("li.conflict-item").first
    expect(top.locator("h2")).to_contain_text("deployed against")
    expect(top).to_contain_text("at most 500")
    expect(top).to_contain_text("Russian Ministry of Defence")
    check_page(p, server, width, shots, "conflicts")

    # open it, and follow a claim to its sentence in the article
    top.locator("h2 a").click()
    p.wait_for_url(f"{server}/conflicts/*/*/*/*")
    check_page(p, server, width, shots, "conflict")
    sentence = p.locator("blockquote.sentence a").filter(has_text="500").first
    expect(sentence).to_contain_text("no more than 500 North Korean servicemen")
    sentence.click()
    p.wait_for_url(f"{server}/documents/*#claim-*")
    target = p.locator("#article-text mark.figure:target")
    expect(target).to_have_count(1)
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("500")
    expect(p.get_by_role("link", name="original article")).to_have_attribute(
        "rel", "noopener noreferrer nofollow"
    )
    check_page(p, server, width, shots, "article")

    # a false conflict: a consequence of the same false figure (killed or wounded against
    # deployed), dismissed with the token and a note
    p.goto(server + "/conflicts?measure=killed_or_wounded")
    false_one = p.locator("li.conflict-item").first
    refs = [a.get_attribute("href") or "" for a in false_one.locator("blockquote.sentence a").all()]
    false_one.get_by_text("Dismiss this conflict…").click()
    form = false_one.locator("form.correction")
    form.get_by_label("Why").fill("the same false figure counted twice")
    form.get_by_label("Reviewer").fill("Example Fact Check")
    form.get_by_label("Write token").fill(TOKEN)
    form.get_by_role("button", name="Dismiss").click()
    p.wait_for_url(server + "/conflicts?measure=killed_or_wounded")
    p.goto(server + "/conflicts")
    assert _conflict_count(p) == before - 1
    shown = [a.get_attribute("href") for a in p.locator("blockquote.sentence a").all()]
    assert not all(ref in shown for ref in refs)
    expect(p.locator("#dismissed-heading")).to_be_visible()
    expect(p.locator("ul.dismissed")).to_contain_text("Example Fact Check")
    expect(p.locator("ul.dismissed")).to_contain_text("the same false figure counted twice")
    # and from the export of the view
    exported = p.request.get(server + "/conflicts.json").json()
    assert exported["total"] == len(exported["rows"]) == before - 1
    pairs = [
        {f"/documents/{r[s]['document']}#claim-{r[s]['claim']}" for s in ("a", "b")}
        for r in exported["rows"]
    ]
    assert set(refs) not in pairs
    csv_text = p.request.get(server + "/conflicts.csv").text()
    assert len(csv_text.strip().splitlines()) == before  # a header and before - 1 rows

    # the other views, then the dismissal taken back on the corrections page
    for view, path in (
        ("claims", "/claims?subject=north+korean+soldiers"),
        ("groups", "/groups"),
        ("group", "/groups?subject=north+korean+soldiers"),
        ("sources", "/sources"),
        ("analyze", "/analyze"),
        ("not-found", "/no/such/page"),
    ):
        p.goto(server + path)
        check_page(p, server, width, shots, view)
    p.goto(server + "/corrections")
    expect(p.locator("table.corrections")).to_contain_text("Example Fact Check")
    check_page(p, server, width, shots, "corrections")
    p.get_by_text("Remove…").first.click()
    p.get_by_role("button", name="Remove correction").first.click()
    p.wait_for_url(server + "/corrections")
    p.goto(server + "/conflicts")
    assert _conflict_count(p) == before


def test_a_write_without_the_token_changes_nothing(
    corpus_server: str, page: tuple[Page, Watch]
) -> None:
    p, _ = page
    p.goto(corpus_server + "/conflicts")
    before = _conflict_count(p)
    item = p.locator("li.conflict-item").first
    item.get_by_text("Dismiss this conflict…").click()
    item.get_by_label("Why").fill("no token")
    item.get_by_label("Write token").fill("not-the-token")
    item.get_by_role("button", name="Dismiss").click()
    expect(p.get_by_role("heading", name="Wrong token")).to_be_visible()
    p.goto(corpus_server + "/conflicts")
    assert _conflict_count(p) == before


@pytest.fixture
def story(tmp_path: Path) -> Iterator[tuple[str, Ledger]]:
    """The UI over the quick start's first six reports (one conflict), and the ledger, for
    a test to add more while the server runs."""
    from tests.web.test_new_since import FIRST_SIX, ingest_quickstart

    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ingest_quickstart(ledger, *FIRST_SIX)
        app = FastAPI()
        app.state.ledger = ledger
        web.install(app)
        with _serving(app) as url:
            yield url, ledger


def test_new_since_the_last_visit_is_marked_and_listed_alone(
    story: tuple[str, Ledger], window: tuple[Page, str], shots: list[Path]
) -> None:
    from tests.web.test_new_since import VILLAGES, ingest_quickstart

    server, ledger = story
    p, width = window
    p.goto(server + "/conflicts")
    expect(p.locator("li.conflict-item")).to_have_count(1)
    expect(p.locator(".badge.new")).to_have_count(0)

    # the villages report: three conflicts between new figures
    ingest_quickstart(ledger, VILLAGES)
    p.reload()
    expect(p.locator("li.conflict-item")).to_have_count(4)
    badge = p.locator("li.conflict-item .badge.new")
    expect(badge).to_have_count(3)
    expect(badge.first).to_be_visible()
    expect(p.locator("p.new-since")).to_contain_text("3 new since your last visit")
    check_page(p, server, width, shots, "conflicts-new")

    # only the new ones, by the filters form's checkbox, and back
    p.get_by_label("only new since").check()
    p.get_by_role("button", name="Filter").click()
    expect(p.locator("li.conflict-item")).to_have_count(3)
    expect(p.locator("li.conflict-item").first).to_contain_text("26")
    expect(p.locator("li.conflict-item .badge.new")).to_have_count(3)
    check_page(p, server, width, shots, "conflicts-only-new")
    p.get_by_role("link", name="Show every conflict").click()
    expect(p.locator("li.conflict-item")).to_have_count(4)
    expect(p.locator("li.conflict-item .badge.new")).to_have_count(3)

    # a later visit: nothing new since this one
    p.goto(server + "/conflicts")
    expect(p.locator(".badge.new")).to_have_count(0)
    expect(p.locator("p.new-since")).to_contain_text("Nothing new since your last visit")
