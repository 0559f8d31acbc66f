"""What a process keeps of a ledger between its reconciles (``ledger.warm``): used only
while it is what the ledger holds, so that the derived tables are a full rebuild's
whatever else wrote to the ledger in between."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from claimledger.extract import analyze
from claimledger.ledger import Ledger, rebuild, warm
from claimledger.ledger import tables as t
from claimledger.records import Analysis
from tests.ledger.test_incremental import WIRE, agrees_with_a_full_rebuild, reports


@pytest.fixture(scope="module")
def story() -> list[Analysis]:
    """Four reports of one story (the acceptance corpus's first): subjects they share."""
    return reports(4)


def kept(ledger: Ledger) -> warm.Warm:
    with ledger.engine.connect() as conn:
        return warm.of(conn)


def test_a_process_keeps_what_it_reconciled_and_reads_only_what_is_new(
    story: list[Analysis], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[Any] = []
    entities_of = rebuild._document_entities

    def spy(conn: Any, countries: Any, chosen: Any = None) -> Any:
        read.append(None if chosen is None else sorted(chosen))
        return entities_of(conn, countries, chosen)

    monkeypatch.setattr(rebuild, "_document_entities", spy)
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.store(story[0])
        ledger.store(story[1])
        ledger.reconcile()
        assert read == [None]  # every document at first
        assert set(kept(ledger).mentions) == {story[0].document.id, story[1].document.id}
        ledger.store(story[2])
        ledger.reconcile()
        assert read[-1] == [story[2].document.id]  # then only the new one
        assert kept(ledger).subjects  # the subjects re-derived in place
        assert kept(ledger).resolver.whole_runs == 1  # entities worked out where reached
        agrees_with_a_full_rebuild(ledger)


def test_a_document_analysed_again_has_its_entities_read_again(
    story: list[Analysis], tmp_path: Path
) -> None:
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for analysis in story:
            ledger.store(analysis)
        ledger.reconcile()
        first = story[0]
        renamed = tuple(
            dataclasses.replace(e, name=f"{e.name} Junior") if e.kind == "person" else e
            for e in first.entities
        )
        assert renamed != first.entities
        ledger.store(dataclasses.replace(first, entities=renamed))  # the same document
        ledger.reconcile()
        agrees_with_a_full_rebuild(ledger)


def test_another_connections_reconcile_empties_what_a_process_keeps(
    story: list[Analysis], tmp_path: Path
) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as one, Ledger(path) as other:
        for analysis in story[:2]:
            one.store(analysis)
            one.reconcile()
        assert kept(one).subjects
        other.store(story[2])
        other.reconcile()  # what ``one`` keeps is no longer the ledger's
        one.store(story[3])
        one.reconcile()
        agrees_with_a_full_rebuild(one)


def test_a_reconcile_rolled_back_keeps_nothing(story: list[Analysis], tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.store(story[0])
        ledger.reconcile()
        ledger.store(story[1])
        with pytest.raises(RuntimeError), ledger.engine.begin() as conn:
            rebuild.reconcile_ledger(conn)
            raise RuntimeError("after the reconcile, before the commit")
        with ledger.engine.connect() as conn:
            stored = rebuild._state(conn).get(warm.TOKEN_KEY)
        assert kept(ledger).token != stored  # not the ledger's: emptied when next used
        ledger.store(story[2])
        ledger.reconcile()
        agrees_with_a_full_rebuild(ledger)


def test_a_near_copy_keeps_its_links_and_moves_them_when_its_original_is_analysed_again(
    tmp_path: Path,
) -> None:
    # a near-copy's entities are not stored again with its original: its links stay, and
    # move when its original, analysed again, makes one of its names another entity's
    # (its surname joined the one full name that ended with it; now two do)
    text = (
        f"{WIRE} Stéphane Dujarric, a spokesperson for the United Nations, said on Monday "
        "that 300 people had been killed in the floods."
    )
    original = analyze(text, published=dt.date(2025, 3, 4), outlet="Reuters")
    copy = analyze(text.replace("Tuesday", "Wednesday"), published=dt.date(2025, 3, 5))
    (full,) = original.entities
    copy = dataclasses.replace(copy, entities=(dataclasses.replace(full, name="Dujarric"),))
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.store(original)
        ledger.store(copy)
        ledger.reconcile()
        before = links(ledger, copy.document.id)
        other = dataclasses.replace(full, id="e99", name="Anna Dujarric")
        ledger.store(dataclasses.replace(original, entities=(full, other)))
        ledger.reconcile()
        assert links(ledger, copy.document.id) != before
        agrees_with_a_full_rebuild(ledger)


def links(ledger: Ledger, document: str) -> dict[str, str]:
    el = t.entity_links
    with ledger.engine.connect() as conn:
        query = sa.select(el.c.entity_id, el.c.ledger_entity).where(el.c.document_id == document)
        return {r.entity_id: r.ledger_entity for r in conn.execute(query)}
