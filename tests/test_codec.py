"""Records to JSON and back: one encoder for the analysis and the ledger's rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimledger.codec import from_json, to_plain
from claimledger.records import Quantity


def test_whole_numbers_are_written_as_ints_and_fractions_as_floats() -> None:
    quantity = Quantity(low=4000.0, high=None, approx=False, text="4,000", spans=((0, 5),))
    plain = to_plain(quantity)
    assert plain["low"] == 4000 and type(plain["low"]) is int
    assert plain["spans"] == [[0, 5]]
    third = Quantity(low=0.5, high=1.0, approx=False, text="half", spans=(), fraction=0.5)
    assert to_plain(third)["fraction"] == 0.5 and type(to_plain(third)["high"]) is int


@dataclass(frozen=True)
class _Tagged:
    name: str
    tags: list[str] = field(default_factory=list)


def test_a_missing_key_takes_a_fresh_default_for_each_record() -> None:
    first, second = from_json(_Tagged, {"name": "a"}), from_json(_Tagged, {"name": "b"})
    assert first.tags == [] and first.tags is not second.tags


def test_a_record_comes_back_from_its_json() -> None:
    quantity = Quantity(low=10800, high=13200, approx=True, text="about 12,000", spans=())
    assert from_json(Quantity, to_plain(quantity)) == quantity
