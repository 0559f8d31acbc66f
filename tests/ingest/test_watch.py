"""`claimledger watch`: feeds polled over HTTP from a server on 127.0.0.1 whose feeds and
pages change between polls (new entries, 304s, a 500, a timeout, a malformed feed, a page
that is no article), and what the ledger holds after each poll; the state that makes a
restarted watch resume; the limits (http and https only, size, time); and SIGTERM on a
real process."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.errors import InputError
from claimledger.ingest.fetch import FetchError, FetchLimits, check_url, fetch, shown_url
from claimledger.ingest.watch import WatchSettings, parse_every, poll_round, watch
from claimledger.ledger import Ledger
from claimledger.ledger.feeds import feed_state, seen_entries

# Articles written for these tests, in the style of wire copy.
FLOODS_A = (
    "<p>GENEVA (Wire) - The regional health ministry said on Tuesday that 40 people were "
    "killed in the floods in Valdoria province last week.</p>"
    "<p>Rescue teams said 200 homes had been destroyed by the water.</p>"
)
FLOODS_B = (
    "<p>Local officials said on Wednesday that 120 people were killed in the floods in "
    "Valdoria province last week, far more than the ministry's count.</p>"
)
FLOODS_C = (
    "<p>The Red Crescent said on Thursday that 35 bridges were swept away in Valdoria "
    "province during the floods.</p>"
)
PAGE = """<!doctype html><html><head><title>Floods: the toll rises</title>
<meta property="article:published_time" content="2026-03-05"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Floods: the toll rises</h1>
<p>Provincial police said on Thursday that 15 people were missing after the floods in
Valdoria province, and that 300 people had been evacuated from the river towns.</p>
<p>The governor told reporters that the army had sent 12 helicopters to the region to help
with the rescue work, which went on through the night.</p>
</article></body></html>"""
NOT_AN_ARTICLE = "<!doctype html><html><head><title>Sign in</title></head><body></body></html>"
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass
class Reply:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None  # a request with this If-None-Match gets a 304
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    reason: str | None = None  # the status line's words


class FeedServer:
    """An HTTP server on 127.0.0.1 whose replies a test sets (and changes) per path; it
    counts requests and keeps their headers."""

    def __init__(self) -> None:
        self.replies: dict[str, Reply] = {}
        self.hits: Counter[str] = Counter()
        self.headers: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits[self.path] += 1
                server.headers.append((self.path, dict(self.headers)))
                reply = server.replies.get(self.path, Reply(b"not here", status=404))
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.etag is not None and self.headers.get("If-None-Match") == reply.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(reply.status, reply.reason)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                if reply.etag is not None:
                    self.send_header("ETag", reply.etag)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer()
    yield running
    running.close()


def rss(server: FeedServer, *items: dict[str, str], title: str = "Wire: world") -> bytes:
    """An RSS 2.0 feed of ``items`` (guid, title, link path, summary, content, day)."""
    parts = []
    for item in items:
        link = f"<link>{escape(server.url(item['link']))}</link>" if "link" in item else ""
        content = (
            f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>"
            if "content" in item
            else ""
        )
        summary = (
            f"<description>{escape(item['summary'])}</description>" if "summary" in item else ""
        )
        day = dt.datetime.fromisoformat(item.get("day", "2026-03-03")).replace(tzinfo=dt.UTC)
        parts.append(
            f"<item><guid isPermaLink='false'>{item['guid']}</guid><title>{item['title']}</title>"
            f"{link}<pubDate>{format_datetime(day)}</pubDate>{summary}{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://wire.example/</link><description>news</description>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def feed_reply(body: bytes, etag: str | None = None) -> Reply:
    return Reply(body, content_type="application/rss+xml", etag=etag)


SETTINGS = WatchSettings(
    every=dt.timedelta(minutes=10),
    limits=FetchLimits(connect_s=2, read_s=0.5, total_s=3, max_bytes=200_000),
)


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, start: dt.datetime = MONDAY) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, span: dt.timedelta = SETTINGS.every) -> None:
        self.now += span


def _documents(ledger: Ledger) -> set[str]:
    return {d.title or "" for d in ledger.documents()}


def _round(
    ledger: Ledger,
    urls: list[str],
    clock: Clock,
    lines: list[str],
    settings: WatchSettings = SETTINGS,
) -> None:
    with httpx.Client(timeout=1.0) as client:
        poll_round(ledger, urls, settings, log=lines.append, clock=clock, client=client)


# --- polls that change ------------------------------------------------------------------


def test_new_entries_then_304_then_a_new_entry(server: FeedServer, tmp_path: Path) -> None:
    first = rss(
        server,
        {"guid": "a", "title": "Death toll", "content": FLOODS_A, "day": "2026-03-03"},
        {
            "guid": "p",
            "title": "Toll rises",
            "link": "/story/toll",
            "summary": "Police say 15 missing.",
        },
    )
    server.replies["/world.rss"] = feed_reply(first, etag='"v1"')
    server.replies["/story/toll"] = Reply(PAGE.encode())
    feed = server.url("/world.rss")
    clock, lines = Clock(), []
    with Ledger(tmp_path / "l.sqlite") as ledger:
        _round(ledger, [feed], clock, lines)
        # the entry with content is stored as it is; the one with a summary, from its page
        assert _documents(ledger) == {"Death toll", "Toll rises"}
        assert server.hits["/story/toll"] == 1
        stored = ledger.documents()
        page_doc = next(d for d in stored if d.title == "Toll rises")
        assert page_doc.url == server.url("/story/toll")
        assert "15 people were missing" in (ledger.document(page_doc.id).document.text)  # type: ignore[union-attr]
        assert page_doc.outlet == "Wire: world"
        assert ledger.counts()["claims"] > 0 and not ledger.stale()  # reconciled
        assert not lines or all(line.startswith("stored ") for line in lines)

        # not due yet: no request at all
        clock.advance(dt.timedelta(minutes=5))
        _round(ledger, [feed], clock, lines)
        assert server.hits["/world.rss"] == 1

        # due: a conditional GET, answered 304; nothing fetched or stored
        clock.advance(dt.timedelta(minutes=5))
        _round(ledger, [feed], clock, lines)
        assert server.hits["/world.rss"] == 2
        assert server.headers[-1][1].get("If-None-Match") == '"v1"'
        assert len(ledger.documents()) == 2
        assert feed_state(ledger.engine, feed).last_success == clock.now

        # a new entry: only it is fetched and stored
        server.replies["/world.rss"] = feed_reply(
            rss(
                server,
                {"guid": "b", "title": "Officials differ", "content": FLOODS_B},
                {"guid": "a", "title": "Death toll", "content": FLOODS_A},
                {"guid": "p", "title": "Toll rises", "link": "/story/toll", "summary": "x"},
            ),
            etag='"v2"',
        )
        clock.advance()
        _round(ledger, [feed], clock, lines)
        assert _documents(ledger) == {"Death toll", "Toll rises", "Officials differ"}
        assert server.hits["/story/toll"] == 1
        assert feed_state(ledger.engine, feed).etag == '"v2"'


def test_bad_feeds_are_one_line_each_and_back_off(server: FeedServer, tmp_path: Path) -> None:
    server.replies["/error.rss"] = Reply(b"oops", status=500)
    server.replies["/slow.rss"] = Reply(rss(server), delay=2.0)
    server.replies["/broken.rss"] = Reply(
        b'<rss version="2.0"><channel><title>Wire</title><item><title>Cut</title>'
        b"<description>Officials said 4 were kil",
        content_type="text/xml",
    )
    server.replies["/html.rss"] = Reply(NOT_AN_ARTICLE.encode())
    server.replies["/good.rss"] = feed_reply(
        rss(server, {"guid": "a", "title": "Death toll", "content": FLOODS_A})
    )
    bad = [server.url(p) for p in ("/error.rss", "/slow.rss", "/broken.rss", "/html.rss")]
    urls = [*bad, server.url("/good.rss")]
    clock, lines = Clock(), []
    with Ledger(tmp_path / "l.sqlite") as ledger:
        _round(ledger, urls, clock, lines)
        assert _documents(ledger) == {"Death toll"}
        trouble = [line for line in lines if not line.startswith("stored ")]
        assert len(trouble) == 4, trouble
        for url, line in zip(bad, trouble, strict=True):
            assert line.startswith(url) and "\n" not in line
            assert line.endswith("next try in 10m")
        assert "500" in trouble[0]
        assert "time limit" in trouble[1]
        assert "not a well-formed feed" in trouble[2]
        assert "not an RSS or Atom feed" in trouble[3]
        assert [feed_state(ledger.engine, u).failures for u in urls] == [1, 1, 1, 1, 0]

        # the next round: each bad feed fails again and waits twice as long
        clock.advance()
        lines.clear()
        _round(ledger, urls, clock, lines)
        assert all(line.endswith("next try in 20m") for line in lines), lines
        error = feed_state(ledger.engine, bad[0])
        assert error.failures == 2 and error.next_poll == clock.now + dt.timedelta(minutes=20)
        assert error.last_error is not None and "500" in error.last_error

        # 10 minutes on, only the good feed is due
        hits = server.hits["/error.rss"]
        clock.advance()
        _round(ledger, urls, clock, lines)
        assert server.hits["/error.rss"] == hits

        # the feed recovers: its failures are forgotten
        server.replies["/error.rss"] = feed_reply(
            rss(server, {"guid": "c", "title": "Bridges", "content": FLOODS_C})
        )
        clock.advance()
        _round(ledger, urls, clock, lines)
        assert "Bridges" in _documents(ledger)
        recovered = feed_state(ledger.engine, bad[0])
        assert recovered.failures == 0 and recovered.next_poll == clock.now + SETTINGS.every


def test_pages_that_fail(server: FeedServer, tmp_path: Path) -> None:
    """A page that is no article, or gone (404), is one line and never fetched again; a
    page that fails for now (503) is fetched again at the next poll."""
    server.replies["/world.rss"] = feed_reply(
        rss(
            server,
            {"guid": "login", "title": "Sign in", "link": "/login", "summary": "s"},
            {"guid": "gone", "title": "Gone", "link": "/gone", "summary": "s"},
            {"guid": "later", "title": "Toll rises", "link": "/later", "summary": "s"},
            {"guid": "pdf", "title": "Report", "link": "/report.pdf", "summary": "s"},
        ),
        etag='"v1"',
    )
    server.replies["/login"] = Reply(NOT_AN_ARTICLE.encode())
    server.replies["/later"] = Reply(b"busy", status=503)
    server.replies["/report.pdf"] = Reply(b"%PDF-1.4", content_type="application/pdf")
    feed = server.url("/world.rss")
    clock, lines = Clock(), []
    with Ledger(tmp_path / "l.sqlite") as ledger:
        _round(ledger, [feed], clock, lines)
        assert ledger.documents() == []
        assert len(lines) == 4 and all("\n" not in line for line in lines)
        assert any("/login" in line and "no article text" in line for line in lines)
        assert any("/gone" in line and "404" in line for line in lines)
        assert any("/later" in line and "503" in line for line in lines)
        assert any("/report.pdf" in line and "not an article page" in line for line in lines)
        assert seen_entries(ledger.engine, feed) == {"login", "gone", "pdf"}
        # an entry left for later: the validators are not kept, so the next answer is whole
        assert feed_state(ledger.engine, feed).etag is None

        server.replies["/later"] = Reply(PAGE.encode())
        clock.advance()
        lines.clear()
        _round(ledger, [feed], clock, lines)
        assert _documents(ledger) == {"Toll rises"}
        assert [server.hits[p] for p in ("/login", "/gone", "/later", "/report.pdf")] == [
            1,
            1,
            2,
            1,
        ]
        assert feed_state(ledger.engine, feed).etag == '"v1"'


def test_a_restarted_watch_resumes(server: FeedServer, ledger_target: str) -> None:
    """The state is in the ledger (SQLite or PostgreSQL): a new process sends the
    validators it had, and fetches no entry it had already stored even when the server
    answers in full."""
    server.replies["/world.rss"] = feed_reply(
        rss(
            server,
            {"guid": "p", "title": "Toll rises", "link": "/story/toll", "summary": "s"},
            {"guid": "a", "title": "Death toll", "content": FLOODS_A},
        ),
        etag='"v1"',
    )
    server.replies["/story/toll"] = Reply(PAGE.encode(), headers={"Last-Modified": "x"})
    feed = server.url("/world.rss")
    db = ledger_target
    with Ledger(db) as ledger:
        tally = watch(ledger, [feed], SETTINGS, once=True)
    assert tally.stored == 2 and tally.reconciles == 1
    # a server that ignores the validators: the full feed again
    server.replies["/world.rss"].etag = None
    with Ledger(db) as ledger:
        state = feed_state(ledger.engine, feed)
        assert state.etag == '"v1"' and state.next_poll is not None
        clock = Clock(state.next_poll)
        tally = watch(ledger, [feed], SETTINGS, once=True, clock=clock)
        assert tally.stored == 0 and tally.polled == 1 and tally.reconciles == 0
        assert len(ledger.documents()) == 2
    assert server.headers[-1][1].get("If-None-Match") == '"v1"'
    assert server.hits["/story/toll"] == 1


def test_an_entry_listed_twice_is_taken_once(server: FeedServer, tmp_path: Path) -> None:
    server.replies["/world.rss"] = feed_reply(
        rss(
            server,
            {"guid": "p", "title": "Toll rises", "link": "/story/toll", "summary": "s"},
            {"guid": "p", "title": "Toll rises", "link": "/story/toll", "summary": "s"},
        )
    )
    server.replies["/story/toll"] = Reply(PAGE.encode())
    with Ledger(tmp_path / "l.sqlite") as ledger:
        tally = watch(ledger, [server.url("/world.rss")], SETTINGS, once=True)
    assert tally.stored == 1 and server.hits["/story/toll"] == 1


def test_an_entry_stored_again_is_not_duplicated(server: FeedServer, tmp_path: Path) -> None:
    """Two entries (or two feeds) with the same article: one document."""
    server.replies["/a.rss"] = feed_reply(
        rss(server, {"guid": "1", "title": "T", "content": FLOODS_A})
    )
    server.replies["/b.rss"] = feed_reply(
        rss(server, {"guid": "9", "title": "T", "content": FLOODS_A})
    )
    with Ledger(tmp_path / "l.sqlite") as ledger:
        tally = watch(ledger, [server.url("/a.rss"), server.url("/b.rss")], SETTINGS, once=True)
        assert tally.stored == 2
        assert len(ledger.documents()) == 1


# --- limits -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed.rss",
        "gopher://example.org/",
        "javascript:alert(1)",
        "http://",
        "/etc/passwd",
        "",
    ],
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(InputError, match="only http:// and https:// URLs"):
        check_url(url)


def test_a_redirect_elsewhere_is_refused(server: FeedServer) -> None:
    server.replies["/moved"] = Reply(status=302, headers={"Location": "file:///etc/passwd"})
    server.replies["/loop"] = Reply(status=302, headers={"Location": "/loop"})
    server.replies["/hop"] = Reply(status=301, headers={"Location": "/there"})
    server.replies["/there"] = Reply(b"arrived")
    with httpx.Client() as client:
        with pytest.raises(FetchError, match="not http or https; not followed"):
            fetch(client, server.url("/moved"), limits=SETTINGS.limits)
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetch(client, server.url("/loop"), limits=SETTINGS.limits)
        arrived = fetch(client, server.url("/hop"), limits=SETTINGS.limits)
    assert arrived.body == b"arrived" and arrived.url == server.url("/there")


def test_size_limit(server: FeedServer) -> None:
    server.replies["/big"] = Reply(b"x" * 300_000)
    with httpx.Client() as client, pytest.raises(FetchError, match="over the 200,000-byte limit"):
        fetch(client, server.url("/big"), limits=SETTINGS.limits)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://me:secret@feeds.example/a.rss", "https://feeds.example/a.rss"),
        ("https://token@feeds.example:8443/a.rss?x=1", "https://feeds.example:8443/a.rss?x=1"),
        ("https://feeds.example/a.rss", "https://feeds.example/a.rss"),
    ],
)
def test_credentials_in_a_url_are_never_shown(url: str, shown: str) -> None:
    assert shown_url(url) == shown


@pytest.mark.parametrize(
    ("text", "minutes"), [("10m", 10), ("90s", 1.5), ("1h", 60), ("1h30m", 90), (" 2m ", 2)]
)
def test_intervals(text: str, minutes: float) -> None:
    assert parse_every(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "10", "ten minutes", "0s", "-5m", "1d"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(InputError):
        parse_every(text)


@pytest.mark.parametrize(
    ("failures", "minutes"), [(0, 10), (1, 10), (2, 20), (3, 40), (6, 320), (7, 360), (60, 360)]
)
def test_backoff_doubles_up_to_its_limit(failures: int, minutes: int) -> None:
    assert SETTINGS.backoff(failures) == dt.timedelta(minutes=minutes)


# --- the command --------------------------------------------------------------------------


def _claimledger(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "claimledger", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        **kwargs,  # type: ignore[call-overload]
    )


def test_once_for_cron(server: FeedServer, tmp_path: Path) -> None:
    server.replies["/good.rss"] = feed_reply(
        rss(server, {"guid": "a", "title": "Death toll", "content": FLOODS_A})
    )
    # the server's own words are untrusted too: an escape sequence in its status line
    server.replies["/error.rss"] = Reply(b"oops", status=500, reason="Oops \x1b[31mred\x07")
    db = str(tmp_path / "l.sqlite")
    run = _claimledger(
        "watch", server.url("/good.rss"), server.url("/error.rss"), "--db", db, "--once"
    )
    _, err = run.communicate(timeout=120)
    assert run.returncode == 1, err
    assert "\x1b" not in err and "\x07" not in err
    assert "the server answered 500 Oops" in err
    assert "1 article(s) stored in 1 round(s), 1 failure(s)" in err
    with Ledger(db) as ledger:
        assert _documents(ledger) == {"Death toll"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["file:///etc/passwd"], "only http:// and https:// URLs"),
        (["http://127.0.0.1:9/a.rss", "--every", "soon"], "not an interval"),
        (["http://127.0.0.1:9/\x1b[31ma.rss"], "a URL with a space or control character"),
    ],
)
def test_bad_arguments_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    run = _claimledger("watch", *args, "--db", str(tmp_path / "l.sqlite"), "--once")
    _, err = run.communicate(timeout=60)
    assert run.returncode == 2
    assert message in err and err.count("\n") == 1 and "\x1b" not in err


def test_sigterm_stops_between_articles(server: FeedServer, tmp_path: Path) -> None:
    """SIGTERM while pages are being fetched: the article in hand is stored whole, the
    rest are left for the next run (which stores them), and the exit status is 0."""
    items = [
        {"guid": f"s{n}", "title": f"Story {n}", "link": f"/story/{n}", "summary": "s"}
        for n in range(6)
    ]
    server.replies["/world.rss"] = feed_reply(rss(server, *items), etag='"v1"')
    for n in range(6):
        body = PAGE.replace("15 people", f"{15 + n} people").replace("toll rises", f"toll {n}")
        server.replies[f"/story/{n}"] = Reply(body.encode(), delay=0.4)
    db = str(tmp_path / "l.sqlite")
    feed = server.url("/world.rss")
    run = _claimledger("watch", feed, "--db", db, "--every", "1h")
    assert run.stderr is not None
    first = ""
    deadline = time.monotonic() + 120
    while "stored " not in first and time.monotonic() < deadline:
        first = run.stderr.readline()
    assert "stored " in first
    run.send_signal(signal.SIGTERM)
    _, rest = run.communicate(timeout=60)
    assert run.returncode == 0, rest
    assert "stopped by SIGTERM after the article in hand" in rest
    with Ledger(db) as ledger:
        stored = len(ledger.documents())
        assert 1 <= stored < 6
        assert len(seen_entries(ledger.engine, feed)) == stored
        assert not ledger.stale()  # what was stored was reconciled before the exit
        assert feed_state(ledger.engine, feed).etag is None
    # the next run finishes the feed, fetching none of the stored pages again
    again = _claimledger("watch", feed, "--db", db, "--once")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert all(server.hits[f"/story/{n}"] == 1 for n in range(6)), server.hits
    with Ledger(db) as ledger:
        assert len(ledger.documents()) == 6


def test_sigterm_while_waiting(server: FeedServer, tmp_path: Path) -> None:
    server.replies["/world.rss"] = feed_reply(rss(server))
    run = _claimledger("watch", server.url("/world.rss"), "--db", str(tmp_path / "l.sqlite"))
    assert run.stderr is not None
    assert "watching 1 feed(s)" in run.stderr.readline()
    deadline = time.monotonic() + 60
    while server.hits["/world.rss"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 0, err
    assert time.monotonic() - started < 10
    assert "stopped by SIGTERM" in err


def test_links_into_a_private_network_are_not_followed(server: FeedServer, tmp_path: Path) -> None:
    """A feed's author cannot make the watcher fetch a page from inside its network and
    store it where the API shows it; the feed's own host is trusted like the feed."""
    port = server.httpd.server_address[1]
    server.replies["/world.rss"] = feed_reply(
        rss(
            server,
            {"guid": "own", "title": "Toll rises", "link": "/story/toll", "summary": "s"},
            {"guid": "meta", "title": "M", "summary": "s"},
            {"guid": "lan", "title": "L", "summary": "s"},
            {"guid": "local", "title": "H", "summary": "s"},
        )
        .replace(
            b"<title>M</title>", b"<title>M</title><link>http://169.254.169.254/latest/</link>"
        )
        .replace(b"<title>L</title>", b"<title>L</title><link>http://10.1.2.3/admin</link>")
        .replace(
            b"<title>H</title>",
            f"<title>H</title><link>http://localhost:{port}/story/toll</link>".encode(),
        ),
    )
    server.replies["/story/toll"] = Reply(PAGE.encode())
    feed = server.url("/world.rss")
    clock, lines = Clock(), []
    with Ledger(tmp_path / "l.sqlite") as ledger:
        _round(ledger, [feed], clock, lines)
        assert _documents(ledger) == {"Toll rises"}
        refused = [line for line in lines if "private or local address" in line]
        assert len(refused) == 3, lines
        assert any("169.254.169.254" in line for line in refused)
        assert any("10.1.2.3" in line for line in refused)
        assert any(f"localhost:{port}" in line for line in refused)
        assert seen_entries(ledger.engine, feed) == {"own", "meta", "lan", "local"}
    assert server.hits["/story/toll"] == 1


def test_redirects_into_a_private_network_are_not_followed(server: FeedServer) -> None:
    server.replies["/hop"] = Reply(status=302, headers={"Location": "http://169.254.169.254/"})
    with httpx.Client() as client, pytest.raises(FetchError, match="private or local address"):
        fetch(client, server.url("/hop"), limits=SETTINGS.limits, public_or="127.0.0.1")


@given(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99))
def test_every_interval_written_reads_back(hours: int, minutes: int, seconds: int) -> None:
    text = "".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (seconds, "s")) if n)
    span = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if not text:
        return
    assert parse_every(text) == span


@given(st.text(max_size=40))
def test_any_text_is_an_interval_or_one_clear_error(text: str) -> None:
    try:
        parse_every(text)
    except InputError as exc:
        assert "\n" not in str(exc)


@given(st.text(max_size=200))
def test_any_url_is_taken_or_refused_without_a_traceback(url: str) -> None:
    try:
        taken = check_url(url)
    except InputError:
        return
    assert taken == url and url.lower().startswith(("http://", "https://"))
