"""When this browser last looked at the conflicts page, so that the page can mark what is
new since: a cookie holding that time (ISO 8601, UTC), read on each view and set afresh,
with no JavaScript. A missing, malformed or future value is no time at all: the page then
marks nothing new, as on a first visit."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response

from claimledger.ledger.browse import iso_utc

SEEN_COOKIE = "claimledger_conflicts_seen"
# 400 days: the longest a browser keeps a cookie (RFC 6265bis caps Max-Age there)
SEEN_MAX_AGE = 400 * 24 * 3600
# longer than any time this module writes (2026-12-07T08:12:03.123456Z is 27 characters)
MAX_SEEN_CHARS = 40
# a clock a little ahead of the server's is still believed; further ahead, the value is
# not one this server wrote
FUTURE_SLACK = dt.timedelta(minutes=5)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_seen(text: str | None, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """The time a seen cookie holds, in UTC; None when there is none, or it is not an ISO
    8601 date or time (no zone means UTC), or it is more than a few minutes after ``now``
    (the server's clock)."""
    if not text or len(text) > MAX_SEEN_CHARS or not text.isascii():
        return None
    value = text.strip()
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        moment = moment.astimezone(dt.UTC)  # raises OverflowError at the calendar's edges
    except (ValueError, OverflowError):
        return None
    if moment > (now or dt.datetime.now(dt.UTC)) + FUTURE_SLACK:
        return None
    return moment


def last_seen(request: Request) -> dt.datetime | None:
    """When this browser last looked at the conflicts page, by its cookie; None if unknown."""
    return parse_seen(request.cookies.get(SEEN_COOKIE))


def remember_seen(request: Request, response: Response, moment: dt.datetime) -> None:
    """Set the cookie to ``moment``: for the whole site, sent on links from other sites
    (Lax) but never on their forms, read by the server only, and over HTTPS only when the
    page was."""
    # what the page says depends on the cookie: no shared cache may hand it to another
    response.headers.append("Vary", "Cookie")
    response.set_cookie(
        SEEN_COOKIE,
        iso_utc(moment),
        max_age=SEEN_MAX_AGE,
        path="/",
        samesite="lax",
        httponly=True,
        secure=request.url.scheme == "https",
    )


def now_to_the_millisecond() -> dt.datetime:
    """The time now, in UTC, cut to the millisecond: a cookie and a link stay short, and a
    conflict found earlier in the same millisecond is marked new once more, never missed."""
    now = dt.datetime.now(dt.UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def utc_time(moment: dt.datetime) -> str:
    """A time as a reader reads it: "7 Dec 2026 08:12 UTC" (in any locale)."""
    at = moment.astimezone(dt.UTC)
    return f"{at.day} {_MONTHS[at.month - 1]} {at.year} {at:%H:%M} UTC"
