"""The change log (claimledger.ledger.changes): each reconcile records the claims that
are new, the conflicts that are new or gone, and the figures that gained claims or
roots, on SQLite and PostgreSQL; a ledger upgraded with documents in it starts from a
baseline, and a change of the rules is one line, not a flood."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from hypothesis import given
from hypothesis import strategies as st

from claimledger.errors import InputError
from claimledger.ledger import Ledger
from claimledger.ledger import tables as t
from claimledger.ledger.changes import Change, parse_since, record
from claimledger.ledger.corrections import Correction
from claimledger.ledger.rebuild import RULES_VERSION
from claimledger.ledger.store import _migrations
from claimledger.records import Analysis

# Reports written for these tests: two counts of the same dead that disagree, and a
# third that agrees with the first from another source.
MINISTRY = (
    "The regional health ministry said on Tuesday that 40 people were killed in the floods "
    "in Valdoria province last week."
)
OFFICIALS = (
    "Local officials said on Wednesday that 120 people were killed in the floods in "
    "Valdoria province last week."
)
GOVERNOR = (
    "The provincial governor said on Wednesday that 40 people were killed in the floods in "
    "Valdoria province last week."
)
BRIDGES = "The Red Crescent said on Thursday that 35 bridges were swept away in Valdoria province."


@cache
def _analysis(text: str, day: int, outlet: str) -> Analysis:
    from claimledger.extract import analyze

    return analyze(
        text,
        published=dt.date(2026, 3, day),
        outlet=outlet,
        url=f"https://{outlet.lower().replace(' ', '-')}.example/{day}",
    )


def _store(ledger: Ledger, text: str, day: int, outlet: str) -> str:
    stored = ledger.store_analysis(_analysis(text, day, outlet))
    ledger.reconcile()
    return stored.document_id


def _downgrade(ledger: Ledger, revision: str) -> None:
    """Take the ledger's schema back to ``revision`` (the next open upgrades it again)."""
    config = _migrations()
    with ledger.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _kinds(found: list[Change]) -> list[str]:
    return [c.kind for c in found]


def test_what_each_reconcile_records(ledger_target: str) -> None:
    with Ledger(ledger_target) as ledger:
        start = dt.datetime.now(dt.UTC)
        ministry = _store(ledger, MINISTRY, 3, "Wire")
        first = ledger.changes(since=start)
        assert _kinds(first) == ["claim"]
        assert first[0].refs[0].startswith(f"{ministry}/")
        assert first[0].figures == ("40",) and first[0].subject is not None
        assert first[0].claims[0].statement is not None  # the claim as it is now

        between = dt.datetime.now(dt.UTC)
        officials = _store(ledger, OFFICIALS, 4, "Daily")
        second = ledger.changes(since=between)
        assert _kinds(second) == ["claim", "conflict"]
        conflict = second[1]
        assert {ref.split("/")[0] for ref in conflict.refs} == {ministry, officials}
        assert set(conflict.figures) == {"40", "120"}
        assert conflict.reason and conflict.subject == first[0].subject
        assert len(conflict.claims) == 2

        # a corroborating report from another source: the figure of 40 gains a root
        between = dt.datetime.now(dt.UTC)
        _store(ledger, GOVERNOR, 4, "Herald")
        third = ledger.changes(since=between)
        assert "claim" in _kinds(third)
        updated = [c for c in third if c.kind == "figure"]
        assert len(updated) == 1
        assert updated[0].refs[0].startswith(f"{ministry}/")  # named by its oldest claim
        assert updated[0].before == {
            "claims": 1,
            "independent": 1,
            "roots": ["regional health ministry"],
        }
        assert updated[0].after == {
            "claims": 2,
            "independent": 2,
            "roots": ["provincial governor", "regional health ministry"],
        }

        # a fact-checker dismisses the conflicts: they are resolved
        between = dt.datetime.now(dt.UTC)
        conflicts = ledger.conflicts()
        for relation in conflicts:
            ledger.correct(
                Correction(
                    "dismiss",
                    claims=(ledger.claim_key(relation.a.ref), ledger.claim_key(relation.b.ref)),
                )
            )
        ledger.reconcile()
        resolved = ledger.changes(since=between)
        assert _kinds(resolved) == ["resolved"] * len(conflicts)
        assert set(resolved[0].figures) <= {"40", "120"}

        # nothing new: a forced reconcile records nothing
        count = ledger.count_changes()
        ledger.reconcile(force=True)
        assert ledger.count_changes() == count

        # filters
        assert _kinds(ledger.changes(kinds=("conflict",))) == ["conflict"] * len(conflicts)
        newest = ledger.changes(newest_first=True, limit=1)[0]
        assert newest.id == max(c.id for c in ledger.changes())
        assert ledger.changes(after=newest.id) == []
        assert ledger.count_changes(since=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == 0


def test_a_change_of_rules_is_one_line(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite") as ledger:
        _store(ledger, MINISTRY, 3, "Wire")
        _store(ledger, OFFICIALS, 4, "Daily")
        assert ledger.count_changes(kinds=("conflict",)) >= 1
        before = ledger.count_changes()
        with ledger.engine.begin() as conn:
            # new rules that find no conflict at all
            conn.execute(t.relations.delete())
            assert record(conn, RULES_VERSION + 1) == 1
        found = ledger.changes(after=max(c.id for c in ledger.changes()) - 1)
        assert _kinds(found) == ["rules"]
        assert ledger.count_changes() == before + 1


def test_an_upgraded_ledger_starts_from_a_baseline(tmp_path: Path) -> None:
    """A ledger that held documents before the change log existed does not list them all
    as new at its first reconcile: what it holds is the baseline."""
    db = tmp_path / "l.sqlite"
    with Ledger(db) as ledger:
        _store(ledger, MINISTRY, 3, "Wire")
        _store(ledger, OFFICIALS, 4, "Daily")
        _downgrade(ledger, "0003")
    with Ledger(db) as ledger:  # upgraded again, with documents in it
        ledger.reconcile(force=True)
        assert ledger.count_changes() == 0
        _store(ledger, BRIDGES, 5, "Wire")
        assert _kinds(ledger.changes()) == ["claim"]
        with ledger.engine.connect() as conn:
            keys = set(conn.execute(sa.select(t.ledger_state.c.key)).scalars())
        assert "changes_baseline" not in keys and "ledger_id" in keys


def test_marks_from_before_their_scopes_are_compared_whole_once(tmp_path: Path) -> None:
    """A ledger whose marks were written before they kept a scope (migration 0007): its
    next change log compares the whole ledger, though its reconcile touched one story, and
    lists only what is new; every mark is then scoped."""
    db = tmp_path / "l.sqlite"
    with Ledger(db) as ledger:
        _store(ledger, MINISTRY, 3, "Wire")
        _store(ledger, OFFICIALS, 4, "Daily")
        _downgrade(ledger, "0006")
    with Ledger(db) as ledger:  # upgraded again: every mark's scope is empty
        before = ledger.count_changes()
        _store(ledger, BRIDGES, 5, "Wire")  # another story
        assert _kinds(ledger.changes(after=before)) == ["claim"]
        with ledger.engine.connect() as conn:
            scopes = conn.execute(sa.select(t.change_marks.c.kind, t.change_marks.c.scope)).all()
        assert sorted({kind for kind, _ in scopes}) == ["claim", "conflict", "figure"]
        assert all(scope for _, scope in scopes)
        assert len([kind for kind, _ in scopes if kind == "claim"]) == ledger.counts()["claims"]


NOW = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-12-07", dt.datetime(2026, 12, 7, tzinfo=dt.UTC)),
        ("2026-12-07T05:30:00Z", dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC)),
        ("2026-12-07T05:30", dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC)),
        ("2026-12-07T07:30+02:00", dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC)),
        ("90m", NOW - dt.timedelta(minutes=90)),
        ("2h", NOW - dt.timedelta(hours=2)),
        ("1d", NOW - dt.timedelta(days=1)),
        ("1w", NOW - dt.timedelta(weeks=1)),
        ("45s", NOW - dt.timedelta(seconds=45)),
    ],
)
def test_since(text: str, moment: dt.datetime) -> None:
    assert parse_since(text, now=NOW) == moment


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2h ago",
        "2026-13-01",
        "-1d",
        "1y",
        "99999999999999w",
        "0001-01-01T00:00+14:00",
    ],
)
def test_since_that_is_no_time(text: str) -> None:
    with pytest.raises(InputError, match="is not a time"):
        parse_since(text, now=NOW)


def test_the_changes_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from claimledger.cli import app

    db = tmp_path / "l.sqlite"
    with Ledger(db) as ledger:
        ministry = _store(ledger, MINISTRY, 3, "Wire")
        _store(ledger, OFFICIALS, 4, "Daily")
    runner = CliRunner()
    table = runner.invoke(app, ["changes", "--since", "1h", "--db", str(db)])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert len(lines) == 3
    assert " · new claim · people, killed: 40 (regional health ministry) [" in lines[0]
    assert f"[{ministry}/c1]" in lines[0]
    assert " · new conflict · people, killed: " in lines[2] and " against " in lines[2]
    assert "do not overlap" in lines[2]

    jsonl = runner.invoke(
        app,
        ["changes", "--since", "1h", "--kind", "conflict", "--format", "jsonl", "--db", str(db)],
    )
    assert jsonl.exit_code == 0
    (only,) = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert only["kind"] == "conflict" and sorted(only["figures"]) == ["120", "40"]

    future = runner.invoke(app, ["changes", "--since", "2099-01-01", "--db", str(db)])
    assert future.exit_code == 0 and future.stdout == ""
    assert "no changes since 2099-01-01T00:00:00+00:00" in future.stderr

    bad = runner.invoke(app, ["changes", "--since", "yesterday", "--db", str(db)])
    assert bad.exit_code == 2 and "is not a time" in bad.stderr
    missing = runner.invoke(app, ["changes", "--since", "1h", "--db", str(tmp_path / "no.sqlite")])
    assert missing.exit_code == 2 and "no ledger at" in missing.stderr


@given(st.text(max_size=60))
def test_any_text_is_a_time_or_one_clear_error(text: str) -> None:
    try:
        moment = parse_since(text, now=NOW)
    except InputError as exc:
        assert str(exc).endswith("or a duration ago (90m, 2h, 1d)")
    else:
        assert moment.tzinfo is not None and moment.utcoffset() == dt.timedelta(0)
