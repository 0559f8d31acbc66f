"""The state of the feeds ``claimledger watch`` polls, kept in the ledger so a restarted
watcher resumes: each feed's validators for the conditional GET (ETag, Last-Modified), its
last success and error, its failures in a row and when it is next due, and the entries
already stored (or given up on) so they are never fetched again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from claimledger.errors import LedgerBusyError, LedgerError
from claimledger.ledger import tables as t


@dataclass(frozen=True)
class FeedState:
    """What the ledger remembers of one watched feed."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_success: dt.datetime | None = None
    last_error: str | None = None
    last_error_at: dt.datetime | None = None
    failures: int = 0  # in a row: the backoff grows with them
    next_poll: dt.datetime | None = None  # None: due now


def feed_state(engine: Engine, url: str) -> FeedState:
    """The feed's state; a feed never polled has none yet and is due now."""
    w = t.watched_feeds
    with _database(engine), engine.connect() as conn:
        row = conn.execute(sa.select(w).where(w.c.url == url)).first()
    if row is None:
        return FeedState(url)
    return FeedState(
        url=row.url,
        etag=row.etag,
        last_modified=row.last_modified,
        last_success=_aware(row.last_success),
        last_error=row.last_error,
        last_error_at=_aware(row.last_error_at),
        failures=row.failures,
        next_poll=_aware(row.next_poll),
    )


def save_feed_state(engine: Engine, state: FeedState) -> None:
    """Write the feed's state, replacing what was there."""
    w = t.watched_feeds
    values = {
        "etag": state.etag,
        "last_modified": state.last_modified,
        "last_success": state.last_success,
        "last_error": state.last_error,
        "last_error_at": state.last_error_at,
        "failures": state.failures,
        "next_poll": state.next_poll,
    }
    with _database(engine), engine.begin() as conn:
        updated = conn.execute(w.update().where(w.c.url == state.url).values(**values))
        if updated.rowcount == 0:
            conn.execute(w.insert().values(url=state.url, **values))


def watched(engine: Engine) -> list[FeedState]:
    """Every feed the ledger has state for, by URL."""
    w = t.watched_feeds
    with _database(engine), engine.connect() as conn:
        urls = list(conn.execute(sa.select(w.c.url).order_by(w.c.url)).scalars())
    return [feed_state(engine, url) for url in urls]


def seen_entries(engine: Engine, url: str) -> set[str]:
    """The entries of the feed already stored or given up on."""
    e = t.feed_entries
    with _database(engine), engine.connect() as conn:
        return set(conn.execute(sa.select(e.c.entry).where(e.c.feed == url)).scalars())


def mark_seen(
    engine: Engine, url: str, entry: str, *, document_id: str | None, at: dt.datetime
) -> None:
    """Remember an entry as done: stored as ``document_id``, or given up on (None)."""
    e = t.feed_entries
    with _database(engine), engine.begin() as conn:
        if (
            conn.execute(
                sa.select(t.watched_feeds.c.url).where(t.watched_feeds.c.url == url)
            ).first()
            is None
        ):
            conn.execute(t.watched_feeds.insert().values(url=url, failures=0))
        conn.execute(e.delete().where((e.c.feed == url) & (e.c.entry == entry)))
        conn.execute(e.insert().values(feed=url, entry=entry, seen=at, document_id=document_id))


def forget_entries(engine: Engine, url: str, *, keep: Iterable[str], before: dt.datetime) -> int:
    """Forget the entries seen before ``before`` that the feed no longer lists (``keep``
    are those it does): a feed lists its latest few, so what it dropped long ago will not
    come back, and the table stays the size of the feeds, not of their history."""
    e = t.feed_entries
    listed = set(keep)
    with _database(engine), engine.begin() as conn:
        old = [
            entry
            for entry in conn.execute(
                sa.select(e.c.entry).where((e.c.feed == url) & (e.c.seen < before))
            ).scalars()
            if entry not in listed
        ]
        for i in range(0, len(old), 500):
            conn.execute(e.delete().where((e.c.feed == url) & e.c.entry.in_(old[i : i + 500])))
    return len(old)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else t.aware(moment)


@contextmanager
def _database(engine: Engine) -> Iterator[None]:
    """A database error as one line: busy (another process holds the write lock past
    the busy timeout; the watch tries again), or not usable."""
    try:
        yield
    except sa.exc.OperationalError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        if "locked" in reason or "busy" in reason:
            raise LedgerBusyError(
                "the ledger is busy (another process is writing to it); trying again later"
            ) from exc
        raise LedgerError(f"the ledger cannot be used ({reason})") from exc
