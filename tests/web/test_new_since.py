"""The conflicts page's "new since your last visit" (claimledger.web.visits and the
ledger's change log): a browser that looked at the page sees, on its next view, exactly
the conflicts the ledger found since, counted and badged, and can list only them; a first
visit, a cookie that is not a time, and a ledger without a change log mark nothing new.

The ledger is the quick start's story (docs/quickstart/): six reports make one conflict,
the survivors' association's seventh makes one more, the eighth four more."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from claimledger import web
from claimledger.ledger import Ledger
from claimledger.ledger.browse import iso_utc
from claimledger.records import Analysis
from claimledger.web.visits import SEEN_COOKIE, SEEN_MAX_AGE, parse_seen, utc_time
from tests import paths

QUICKSTART = paths.ROOT / "docs" / "quickstart"
# (file, published, outlet), in the README's order
FIRST_SIX = [
    ("ferry-capsizes.txt", "2025-03-03", "Harbour Wire"),
    ("fishermen-rescue.txt", "2025-03-03", "Coastal Times"),
    ("toll-rises.txt", "2025-03-04", "Harbour Wire"),
    ("survivors-dispute.txt", "2025-03-04", "River Post"),
    ("toll-rises-copy.txt", "2025-03-04", "Coastal Times"),
    ("minister-licence.txt", "2025-03-05", "National Broadcaster"),
]
ASSOCIATION = ("association-accuses.txt", "2025-03-05", "River Post")
VILLAGES = ("villages-evacuated.txt", "2025-03-06", "Harbour Wire")
# the minister's "no more than 25" against the survivors' "at least 60", and the
# association's 64 that joins their figure
MINISTER, SURVIVORS, ASSOCIATION_64 = (
    "686a117f15ca9cc6/c1",
    "429a49e0d5a0c421/c1",
    "a0d2aca4a9dbd6aa/c1",
)


@cache
def _analysis(file: str, published: str, outlet: str) -> Analysis:
    from claimledger.extract import analyze

    return analyze(
        (QUICKSTART / file).read_text("utf-8"),
        published=dt.date.fromisoformat(published),
        outlet=outlet,
    )


def ingest_quickstart(ledger: Ledger, *articles: tuple[str, str, str]) -> None:
    """Store the quick start's ``articles`` (file, published, outlet) and reconcile."""
    for article in articles:
        ledger.store(_analysis(*article))
    ledger.reconcile()


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ingest_quickstart(ledger, *FIRST_SIX)
        yield ledger


def _client(ledger: Ledger, base_url: str = "http://testserver") -> TestClient:
    app = FastAPI()
    app.state.ledger = ledger
    web.install(app)
    return TestClient(app, base_url=base_url)


def _pair(href: str) -> frozenset[str]:
    """The two claims a conflict's link names: /conflicts/DOC/CLAIM/DOC/CLAIM."""
    parts = href.strip("/").split("/")[1:]
    return frozenset((f"{parts[0]}/{parts[1]}", f"{parts[2]}/{parts[3]}"))


def _items(html: str) -> list[tuple[frozenset[str], bool]]:
    """Each conflict listed: its pair of claims, and whether it is badged new."""
    found = []
    for item in html.split('<li class="conflict-item"')[1:]:
        title = item[: item.index("</h2>")]
        href = re.search(r'href="(/conflicts/[^"]+)"', title)
        assert href, title
        found.append((_pair(href.group(1)), 'class="badge new"' in title))
    return found


def _new(html: str) -> set[frozenset[str]]:
    return {pair for pair, new in _items(html) if new}


def _text(html: str, css_class: str) -> str:
    """The words of the first <p class="css_class">, tags and spaces folded."""
    found = re.search(rf'<p class="{css_class}">(.*?)</p>', html, re.S)
    assert found, css_class
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def _link(html: str, words: str) -> str:
    """Where the link with ``words`` on the conflicts page goes, as a browser resolves it."""
    found = re.search(rf'<a href="([^"]*)">{re.escape(words)}</a>', html)
    assert found, words
    return urljoin("/conflicts", unescape(found.group(1)))


def _seen(client: TestClient) -> dt.datetime:
    moment = parse_seen(client.cookies.get(SEEN_COOKIE))
    assert moment is not None
    return moment


def test_a_second_view_marks_exactly_what_the_ledger_found_since_the_first(
    ledger: Ledger,
) -> None:
    client = _client(ledger)

    # the first visit: one conflict, nothing called new, and the cookie set
    first = client.get("/conflicts")
    assert first.status_code == 200
    assert [pair for pair, _ in _items(first.text)] == [frozenset((SURVIVORS, MINISTER))]
    assert _new(first.text) == set()
    assert "new-since" not in first.text
    assert "will be marked new on your next one" in first.text
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{SEEN_COOKIE}=")
    for part in ("Path=/", "SameSite=lax", "HttpOnly", f"Max-Age={SEEN_MAX_AGE}"):
        assert part in cookie
    assert "Secure" not in cookie  # the page was not served over HTTPS
    assert "Cookie" in first.headers["vary"]
    seen = _seen(client)

    # the association's report: its 64 joins the survivors' figure (their "at least 60"
    # the day before), so its conflict with the minister is the same conflict, now shown
    # by its strongest pair: nothing new
    ingest_quickstart(ledger, ASSOCIATION)
    second = client.get("/conflicts")
    assert [pair for pair, _ in _items(second.text)] == [frozenset((MINISTER, ASSOCIATION_64))]
    assert _new(second.text) == set()
    assert _text(second.text, "new-since").startswith("Nothing new since your last visit, ")
    assert _seen(client) > seen
    seen = _seen(client)

    # the villages report: three more conflicts (its 26 killed and 4 missing), and only
    # they are new
    ingest_quickstart(ledger, VILLAGES)
    third = client.get("/conflicts")
    new_ones = _new(third.text)
    assert len(_items(third.text)) == 4 and len(new_ones) == 3
    assert all(any(ref.startswith("efeed4a9991aa89f/") for ref in pair) for pair in new_ones)
    assert _text(third.text, "new-since") == (
        f"3 new since your last visit, {utc_time(seen)}. Show only the 3 new"
    )
    assert f'<time datetime="{iso_utc(seen)}">' in third.text
    # the badge reads, aloud, what it means
    badge = re.search(r'<span class="badge new"[^>]*>(.*?)</span></span>', third.text)
    assert badge and re.sub(r"<[^>]+>", "", badge.group(1)).startswith(
        "new since your last visit, found "
    )
    assert _seen(client) > seen

    # the page's links keep the time it counts from, since the cookie has moved on
    only = client.get(_link(third.text, "Show only the 3 new"))
    assert {pair for pair, new in _items(only.text) if new} == new_ones
    assert len(_items(only.text)) == 3
    assert _text(only.text, "summary") == f"3 conflicts new since {utc_time(seen)}"
    assert 'name="new" value="1" checked' in only.text
    assert f'name="new_since" value="{iso_utc(seen)}"' in only.text

    # ...and so do its downloads: exactly the listed rows
    csv_link = re.search(r'href="(/conflicts\.csv[^"]*)" download', only.text)
    json_link = re.search(r'href="(/conflicts\.json[^"]*)"', only.text)
    assert csv_link and json_link
    csv_text = client.get(unescape(csv_link.group(1)))
    assert "set-cookie" not in csv_text.headers  # a download is no view of the page
    lines = csv_text.text.strip().splitlines()
    assert len(lines) == 4 and all("efeed4a9991aa89f" in line for line in lines[1:])
    exported = client.get(unescape(json_link.group(1))).json()
    assert exported["filters"] == {"new": "1", "new_since": iso_utc(seen)}
    assert {frozenset((r["a"]["ref"], r["b"]["ref"])) for r in exported["rows"]} == new_ones

    # a facet keeps the time: one of the three is the minister's, on the National
    # Broadcaster
    narrowed = client.get(_link(third.text, "National Broadcaster"))
    assert _text(narrowed.text, "new-since").startswith("1 new since ")
    assert "among these" in _text(narrowed.text, "new-since")

    # the next plain view counts from the one before it: nothing new
    fourth = client.get("/conflicts")
    assert _new(fourth.text) == set()
    assert _text(fourth.text, "new-since").startswith("Nothing new since your last visit, ")


MALFORMED = [
    "yesterday",
    "2h",  # a duration is for the URL's new_since, never the cookie's
    "2026-02-30T08:00:00Z",
    "0001-01-01T00:00:00+14:00",  # before the calendar begins, in UTC
    "2999-01-01T00:00:00Z",  # later than the server's clock
    "x" * 3000,
    "",
]


@pytest.mark.parametrize("value", MALFORMED)
def test_a_cookie_that_is_not_a_time_is_a_first_visit(ledger: Ledger, value: str) -> None:
    client = _client(ledger)
    client.cookies.set(SEEN_COOKIE, value)
    ingest_quickstart(ledger, VILLAGES)
    only = client.get("/conflicts.json?new=1")
    assert only.status_code == 200 and only.json()["rows"] == []
    response = client.get("/conflicts")
    assert response.status_code == 200
    assert _new(response.text) == set() and len(_items(response.text)) == 4
    assert "new-since" not in response.text
    assert parse_seen(response.cookies.get(SEEN_COOKIE)) is not None  # set right again


def test_only_new_on_a_first_visit_says_why_it_lists_none(ledger: Ledger) -> None:
    response = _client(ledger).get("/conflicts?new=1")
    assert response.status_code == 200
    assert _items(response.text) == []
    assert _text(response.text, "new-since") == (
        "This browser has no earlier visit to this page on record, so none is marked new. "
        "Show every conflict"
    )
    assert _link(response.text, "Show every conflict") == "/conflicts"


def test_a_time_in_the_url_counts_from_it(ledger: Ledger) -> None:
    before = dt.datetime.now(dt.UTC)
    ingest_quickstart(ledger, VILLAGES)
    client = _client(ledger)
    response = client.get("/conflicts", params={"new_since": iso_utc(before)})
    assert len(_new(response.text)) == 3
    # a link's time is no visit of this browser's
    assert _text(response.text, "new-since") == (
        f"3 new since {utc_time(before)}. Show only the 3 new"
    )
    hour = client.get("/conflicts.json?new=1&new_since=1h").json()
    assert len(hour["rows"]) == 4  # all were found in the last hour
    assert client.get("/conflicts?new_since=soon").status_code == 400


def test_the_cookie_is_secure_over_https(ledger: Ledger) -> None:
    response = _client(ledger, "https://testserver").get("/conflicts")
    assert "Secure" in response.headers["set-cookie"]


def test_a_ledger_without_a_change_log_marks_nothing_new(tmp_path: Path) -> None:
    """A ledger from before the change log: its first reconcile after the upgrade is the
    baseline, and records nothing; no conflict is then called new, however old the
    browser's last visit."""
    from alembic import command

    from claimledger.ledger.store import _migrations

    db = tmp_path / "ledger.sqlite"
    with Ledger(db) as ledger:
        ingest_quickstart(ledger, *FIRST_SIX, VILLAGES)
        config = _migrations()
        with ledger.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
    with Ledger(db) as ledger:
        ledger.reconcile(force=True)
        assert ledger.count_changes() == 0
        client = _client(ledger)
        client.cookies.set(SEEN_COOKIE, "2020-01-01T00:00:00Z")
        response = client.get("/conflicts")
        assert response.status_code == 200
        assert len(_items(response.text)) == 4 and _new(response.text) == set()
        assert "new-since" not in response.text and "marked new" not in response.text
        only = client.get("/conflicts?new=1&new_since=2020-01-01")
        assert _items(only.text) == []
        assert _text(only.text, "new-since").startswith(
            "This ledger has no change log yet to tell new conflicts from old"
        )


def test_a_change_of_rules_is_said_not_counted(ledger: Ledger) -> None:
    from claimledger.ledger.changes import record
    from claimledger.ledger.rebuild import RULES_VERSION

    client = _client(ledger)
    client.get("/conflicts")
    with ledger.engine.begin() as conn:
        record(conn, RULES_VERSION + 1)  # new rules: their conflicts are not listed as new
    response = client.get("/conflicts")
    assert _new(response.text) == set()
    assert "The reconciliation rules changed on " in response.text


# --- the time in the cookie -----------------------------------------------------------------

NOW = dt.datetime(2026, 12, 7, 8, 30, tzinfo=dt.UTC)
SEEN = [
    # (the cookie's text, the time it holds)
    ("2026-12-07T08:12:03Z", dt.datetime(2026, 12, 7, 8, 12, 3, tzinfo=dt.UTC)),
    ("2026-12-07T08:12:03.120Z", dt.datetime(2026, 12, 7, 8, 12, 3, 120_000, tzinfo=dt.UTC)),
    ("2026-12-07T08:12:03.123456z", dt.datetime(2026, 12, 7, 8, 12, 3, 123_456, tzinfo=dt.UTC)),
    ("2026-12-07T10:12:03+02:00", dt.datetime(2026, 12, 7, 8, 12, 3, tzinfo=dt.UTC)),
    ("2026-12-07T08:12:03", dt.datetime(2026, 12, 7, 8, 12, 3, tzinfo=dt.UTC)),  # no zone: UTC
    ("2026-12-07", dt.datetime(2026, 12, 7, tzinfo=dt.UTC)),
    ("2026-12-07T08:34:00Z", dt.datetime(2026, 12, 7, 8, 34, tzinfo=dt.UTC)),  # a clock ahead
    (" 2026-12-07T08:12:03Z ", dt.datetime(2026, 12, 7, 8, 12, 3, tzinfo=dt.UTC)),
]
NOT_SEEN = [
    None,
    "",
    "yesterday",
    "2h",
    "1733559123",
    "2026-13-01T00:00:00Z",
    "2026-12-07T25:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "2026-12-07T08:36:00Z",  # more than five minutes ahead
    "２０２６-12-07",
    "2026-12-07T08:12:03Z" + " " * 40,
]


@pytest.mark.parametrize(("text", "moment"), SEEN)
def test_a_seen_cookie_holds_a_time(text: str, moment: dt.datetime) -> None:
    assert parse_seen(text, now=NOW) == moment


@pytest.mark.parametrize("text", NOT_SEEN)
def test_a_seen_cookie_that_is_no_time_is_none(text: str | None) -> None:
    assert parse_seen(text, now=NOW) is None


@given(st.text(max_size=60))
def test_any_cookie_is_a_utc_time_or_none(text: str) -> None:
    moment = parse_seen(text, now=NOW)
    if moment is not None:
        assert moment.utcoffset() == dt.timedelta(0)
        assert moment <= NOW + dt.timedelta(minutes=5)


@given(
    st.datetimes(
        min_value=dt.datetime(1970, 1, 1),
        max_value=dt.datetime(2026, 12, 7),
        timezones=st.timezones(),
    )
)
def test_a_written_time_reads_back_the_same(moment: dt.datetime) -> None:
    text = iso_utc(moment)
    assert text.endswith("Z") and len(text) <= 27
    assert parse_seen(text, now=NOW) == moment.astimezone(dt.UTC)


WRITTEN = [
    # (the time, as a cookie and a link write it, as the page shows it)
    (
        dt.datetime(2026, 12, 7, 8, 12, 3, tzinfo=dt.UTC),
        "2026-12-07T08:12:03Z",
        "7 Dec 2026 08:12 UTC",
    ),
    (
        dt.datetime(2026, 1, 31, 23, 59, 59, 120_000, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        "2026-02-01T04:59:59.120Z",
        "1 Feb 2026 04:59 UTC",
    ),
    (
        dt.datetime(2026, 5, 9, 0, 0, 0, 123_456, tzinfo=dt.UTC),
        "2026-05-09T00:00:00.123456Z",
        "9 May 2026 00:00 UTC",
    ),
]


@pytest.mark.parametrize(("moment", "iso", "shown"), WRITTEN)
def test_a_time_is_written_exactly_and_shown_in_utc(
    moment: dt.datetime, iso: str, shown: str
) -> None:
    assert iso_utc(moment) == iso
    assert utc_time(moment) == shown


def test_a_conflicts_link_outlives_a_stronger_pair(ledger: Ledger) -> None:
    """A conflict's page is named by the pair that showed it; when a stronger pair of the
    same two figures comes along (the association's 64 joins the survivors' figure), the
    old link still opens the conflict, now shown by the stronger pair."""
    client = _client(ledger)
    doc_a, claim_a = SURVIVORS.split("/")
    doc_b, claim_b = MINISTER.split("/")
    old = f"/conflicts/{doc_a}/{claim_a}/{doc_b}/{claim_b}"
    assert client.get(old).status_code == 200
    ingest_quickstart(ledger, ASSOCIATION)
    response = client.get(old)
    assert response.status_code == 200
    assert ASSOCIATION_64.split("/")[0] in response.text
    # the claims behind each side: the survivors' figure holds both of their reports
    behind = response.text.split("<h2>Behind each side</h2>", 1)[1]
    assert "2 claims" in behind and SURVIVORS in behind and ASSOCIATION_64 in behind
    assert "(the strongest of 2 pairs of these two figures' claims)" in response.text
    assert client.get(f"/conflicts/{doc_a}/{claim_a}/{doc_a}/{claim_a}").status_code == 404
