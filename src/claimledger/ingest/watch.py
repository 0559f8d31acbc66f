"""Watching feeds: ``claimledger watch`` polls RSS and Atom feeds over HTTP, stores each
new entry's article (the entry's content, else the page it links to, else its summary)
and reconciles once per round.

Each feed's state lives in the ledger (:mod:`claimledger.ledger.feeds`): the validators
of its last answer for a conditional GET, its failures in a row (each doubles the wait
before the next try, up to ``max_backoff``) and the entries already done, so a restarted
watcher fetches nothing twice. A feed or page that fails is one line to ``log`` and never
stops the others; ``stop`` (set by SIGTERM or SIGINT) ends the watch between articles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit
from xml.sax import SAXParseException

import httpx

from claimledger.errors import ClaimledgerError, InputError, LedgerBusyError, LedgerError
from claimledger.gazetteer import Gazetteer
from claimledger.ingest.fetch import (
    FetchError,
    FetchLimits,
    check_url,
    fetch,
    new_client,
    shown_url,
)
from claimledger.ingest.inputs import Article, _entry_date, _escape
from claimledger.ingest.reader import LoadedText, load_text
from claimledger.ingest.run import analyse_article
from claimledger.ledger import Ledger
from claimledger.ledger.feeds import (
    FeedState,
    feed_state,
    forget_entries,
    mark_seen,
    save_feed_state,
    seen_entries,
)

Log = Callable[[str], None]
Clock = Callable[[], dt.datetime]

# Content types a linked page may have to be read as an article.
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class WatchSettings:
    """How often feeds are polled, how a failing feed backs off, what a fetch may cost,
    and how articles are analysed."""

    every: dt.timedelta = dt.timedelta(minutes=10)
    max_backoff: dt.timedelta = dt.timedelta(hours=6)
    limits: FetchLimits = field(default_factory=FetchLimits)
    # entries the feed no longer lists are forgotten this long after they were seen
    forget_after: dt.timedelta = dt.timedelta(days=30)
    profile: str = "fast"
    gazetteer: Gazetteer | None = None

    def backoff(self, failures: int) -> dt.timedelta:
        """The wait after ``failures`` failed polls in a row: ``every``, then doubled each
        time, at most ``max_backoff``."""
        if failures <= 0:
            return self.every
        return min(self.every * (1 << min(failures - 1, 30)), max(self.max_backoff, self.every))


@dataclass
class WatchTally:
    """What a watch did: articles stored, lines of trouble, rounds and reconciles."""

    stored: int = 0
    failed: list[str] = field(default_factory=list)
    rounds: int = 0
    reconciles: int = 0
    polled: int = 0
    not_modified: int = 0


def watch(
    ledger: Ledger,
    feeds: Iterable[str],
    settings: WatchSettings,
    *,
    once: bool = False,
    log: Log = lambda line: None,
    stop: threading.Event | None = None,
    clock: Clock = utc_now,
    client: httpx.Client | None = None,
) -> WatchTally:
    """Poll ``feeds`` until ``stop`` is set (or one round, with ``once``): each round polls
    the feeds that are due, stores their new articles and reconciles once if any were
    stored; between rounds it sleeps until the next feed is due."""
    urls = [check_url(url) for url in feeds]
    stop = stop or threading.Event()
    tally = WatchTally()
    own_client = client is None
    http = client or new_client(settings.limits)
    try:
        while not stop.is_set():
            poll_round(
                ledger, urls, settings, tally=tally, log=log, stop=stop, clock=clock, client=http
            )
            if once or stop.is_set():
                break
            stop.wait(_seconds_to_next(ledger, urls, settings, clock()))
    finally:
        if own_client:
            http.close()
    return tally


def _seconds_to_next(
    ledger: Ledger, urls: list[str], settings: WatchSettings, now: dt.datetime
) -> float:
    try:
        due = [feed_state(ledger.engine, url).next_poll or now for url in urls]
    except LedgerBusyError:
        return settings.every.total_seconds()
    wait = (min(due) - now).total_seconds() if due else settings.every.total_seconds()
    return min(max(wait, 1.0), settings.every.total_seconds())


def poll_round(
    ledger: Ledger,
    urls: list[str],
    settings: WatchSettings,
    *,
    tally: WatchTally | None = None,
    log: Log = lambda line: None,
    stop: threading.Event | None = None,
    clock: Clock = utc_now,
    client: httpx.Client,
) -> WatchTally:
    """Poll each feed in ``urls`` that is due, then reconcile once if anything was
    stored (when the ledger is busy, the next reader or round reconciles)."""
    tally = tally if tally is not None else WatchTally()
    stop = stop or threading.Event()
    stored_before = tally.stored
    for url in urls:
        if stop.is_set():
            break
        try:
            state = feed_state(ledger.engine, url)
            if state.next_poll is not None and state.next_poll > clock():
                continue
            poll_feed(
                ledger, state, settings, tally=tally, log=log, stop=stop, clock=clock, client=client
            )
        except LedgerBusyError as exc:
            # the feed's state stays as it was: what was stored is stored, and an entry
            # not yet marked done is stored again (the same document) at the next poll
            _trouble(tally, log, f"{shown_url(url)}: {exc}")
    tally.rounds += 1
    if tally.stored > stored_before:
        try:
            ledger.catch_up()
            tally.reconciles += 1
        except LedgerBusyError as exc:
            log(f"{exc}; the next round reconciles")
    return tally


def poll_feed(
    ledger: Ledger,
    state: FeedState,
    settings: WatchSettings,
    *,
    tally: WatchTally,
    log: Log,
    stop: threading.Event,
    clock: Clock,
    client: httpx.Client,
) -> None:
    """Poll one feed: a conditional GET, then each entry not yet done, oldest first. The
    feed's validators are kept only when every entry was done, so entries left for later
    (a page that timed out, a stop) are listed again by the next full answer."""
    url = state.url
    tally.polled += 1
    try:
        answer = fetch(
            client,
            url,
            limits=settings.limits,
            etag=state.etag,
            last_modified=state.last_modified,
        )
        entries, outlet = _parse_feed(url, answer.body) if answer.status == 200 else ([], None)
    except InputError as exc:
        _failed(ledger, state, settings, str(exc), tally=tally, log=log, now=clock())
        return
    except Exception as exc:
        # a parser library may raise anything on a damaged feed: one line, not the loop
        first = str(exc).splitlines()[0] if str(exc) else ""
        reason = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
        message = f"{shown_url(url)}: cannot be read ({reason})"
        _failed(ledger, state, settings, message, tally=tally, log=log, now=clock())
        return
    now = clock()
    if answer.status == 304:
        tally.not_modified += 1
        save_feed_state(ledger.engine, _succeeded(state, settings, now))
        return
    seen = seen_entries(ledger.engine, url)
    keys = [_entry_key(entry) for entry in entries]
    complete = True
    # a feed lists the newest first; stored in the order they were published
    for key, entry in reversed(list(zip(keys, entries, strict=True))):
        if key in seen:
            continue
        if stop.is_set():
            complete = False
            break
        if _take_entry(ledger, url, key, entry, outlet, settings, tally, log, clock, client):
            seen.add(key)  # an entry listed twice is taken once
        else:
            complete = False
    forget_entries(ledger.engine, url, keep=keys, before=now - settings.forget_after)
    done = _succeeded(state, settings, now)
    if stop.is_set() and not complete:
        # stopped part-way: due again at once, so the next start finishes the feed
        done = replace(done, next_poll=now)
    if complete:
        done = replace(done, etag=answer.etag, last_modified=answer.last_modified)
    else:
        done = replace(done, etag=None, last_modified=None)
    save_feed_state(ledger.engine, done)


def _parse_feed(url: str, body: bytes) -> tuple[list[Any], str | None]:
    import feedparser

    parsed = feedparser.parse(body)
    problem = parsed.get("bozo_exception")
    # Broken XML is refused whole, though feedparser's loose parser reads entries from it:
    # a feed cut short would give a last entry cut short, stored and never fetched again.
    # Lesser trouble (a declared encoding that was wrong) is read as feedparser reads it.
    broken = isinstance(problem, SAXParseException)
    if parsed.get("bozo") and (broken or not parsed.entries):
        first = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
        what = "not a well-formed feed" if parsed.get("version") else "not an RSS or Atom feed"
        raise InputError(f"{shown_url(url)}: {what} ({first})")
    if not parsed.entries and not parsed.get("version"):
        raise InputError(f"{shown_url(url)}: not an RSS or Atom feed (no feed element)")
    return list(parsed.entries), parsed.feed.get("title") or None


def _entry_key(entry: Any) -> str:
    """An entry's identity: its id (Atom id, RSS guid), else its link, else a hash of its
    title and summary."""
    for name in ("id", "link"):
        value = entry.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    words = f"{entry.get('title') or ''}\n{entry.get('summary') or ''}"
    return "sha256:" + hashlib.sha256(words.encode("utf-8", "replace")).hexdigest()


def _take_entry(
    ledger: Ledger,
    feed: str,
    key: str,
    entry: Any,
    outlet: str | None,
    settings: WatchSettings,
    tally: WatchTally,
    log: Log,
    clock: Clock,
    client: httpx.Client,
) -> bool:
    """Store one entry's article; False when it is left for a later poll (a transient
    failure), True when it is done (stored, or given up on with one line)."""
    name = f"{shown_url(feed)} entry {shown_url(key)}"
    try:
        article = _entry_article(entry, feed, name, outlet, settings, client)
        analysis = analyse_article(article, settings.profile, settings.gazetteer)
        stored = ledger.store_analysis(analysis)
    except FetchError as exc:
        _trouble(tally, log, str(exc))
        if exc.transient:
            return False
        mark_seen(ledger.engine, feed, key, document_id=None, at=clock())
        return True
    except LedgerBusyError as exc:
        _trouble(tally, log, f"{name}: {exc}")
        return False
    except LedgerError:
        raise
    except ClaimledgerError as exc:
        _trouble(tally, log, str(exc))
        mark_seen(ledger.engine, feed, key, document_id=None, at=clock())
        return True
    except Exception as exc:
        first = str(exc).splitlines()[0] if str(exc) else ""
        _trouble(
            tally,
            log,
            f"{name}: the analysis failed ({type(exc).__name__}: {first}); this is a bug in "
            "claimledger, please report it with the article",
        )
        mark_seen(ledger.engine, feed, key, document_id=None, at=clock())
        return True
    tally.stored += 1
    mark_seen(ledger.engine, feed, key, document_id=stored.document_id, at=clock())
    log(f"stored {stored.document_id} from {name}" + ("" if stored.new else " (already stored)"))
    return True


def _entry_article(
    entry: Any,
    feed: str,
    name: str,
    outlet: str | None,
    settings: WatchSettings,
    client: httpx.Client,
) -> Article:
    """The entry's content if it has any; else the page it links to; else its summary."""
    published = _entry_date(entry)
    day = published if isinstance(published, dt.date) else None
    link = entry.get("link") if isinstance(entry.get("link"), str) else None
    contents = entry.get("content") or []
    body = contents[0].get("value") if contents else None
    if body:
        loaded = _html(body, name, settings)
    elif link:
        loaded = _page(link, feed, settings, client)
    elif entry.get("summary"):
        loaded = _html(entry["summary"], name, settings)
    else:
        raise InputError(f"{name}: the entry has no content, summary or link")
    return Article(
        LoadedText(
            text=loaded.text,
            format=loaded.format,
            path=link or name,
            title=entry.get("title") or loaded.title,
            published=day or loaded.published,
            url=link or loaded.url,
        ),
        outlet=outlet,
    )


def _html(body: str, name: str, settings: WatchSettings) -> LoadedText:
    html = body if "<" in body else f"<p>{_escape(body)}</p>"
    return load_text(html.encode("utf-8"), name=name, max_bytes=settings.limits.max_bytes)


def _page(link: str, feed: str, settings: WatchSettings, client: httpx.Client) -> LoadedText:
    """The article text of the page ``link`` (trafilatura); an ``InputError`` for a page
    that is no article. A link into a private network is not followed unless it is on
    the feed's own host (``check_public``)."""
    try:
        check_url(link)
    except InputError as exc:
        raise FetchError(str(exc), transient=False) from None
    page = fetch(client, link, limits=settings.limits, public_or=urlsplit(feed).hostname or "")
    kind = page.content_type.split(";", 1)[0].strip().lower()
    if kind not in _PAGE_TYPES:
        raise InputError(f"{shown_url(link)}: not an article page ({kind}); skipped")
    loaded = load_text(page.body, name=shown_url(link), max_bytes=settings.limits.max_bytes)
    if loaded.format == "text" and kind != "text/plain":
        raise InputError(f"{shown_url(link)}: not an HTML page; skipped")
    return loaded


def _succeeded(state: FeedState, settings: WatchSettings, now: dt.datetime) -> FeedState:
    return replace(state, last_success=now, failures=0, next_poll=now + settings.every)


def _failed(
    ledger: Ledger,
    state: FeedState,
    settings: WatchSettings,
    message: str,
    *,
    tally: WatchTally,
    log: Log,
    now: dt.datetime,
) -> None:
    failures = state.failures + 1
    wait = settings.backoff(failures)
    _trouble(tally, log, f"{message}; next try in {_duration(wait)}")
    save_feed_state(
        ledger.engine,
        replace(
            state,
            last_error=message,
            last_error_at=now,
            failures=failures,
            next_poll=now + wait,
        ),
    )


def _trouble(tally: WatchTally, log: Log, line: str) -> None:
    tally.failed.append(line)
    log(line)


def _duration(span: dt.timedelta) -> str:
    seconds = int(span.total_seconds())
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def parse_every(text: str) -> dt.timedelta:
    """A polling interval: "90s", "10m", "1h", "1h30m"."""
    import re

    match = re.fullmatch(r"\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*", text)
    if not match or not any(match.groups()):
        raise InputError(f"{text!r} is not an interval; write e.g. 90s, 10m, 1h or 1h30m")
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    span = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if span < dt.timedelta(seconds=1):
        raise InputError(f"{text!r} is under a second; poll at most once a second")
    return span
