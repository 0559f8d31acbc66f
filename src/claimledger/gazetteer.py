"""Names the text alone does not classify: outlets with no outlet word ("CNN"),
organisations known by several names ("SSO" = "Ukrainian Special Operations Forces") and
equipment ("AK-12", "1PN139-1"); and the form every name is compared in.

The shipped list is ``claimledger/data/gazetteer.toml``; a user's file in the same format
extends it (``claimledger analyze --gazetteer FILE``), its entries winning. Finding the
listed equipment in a parsed text is :mod:`claimledger.nlp.equipment`'s job; this module
imports no spaCy, so the ledger can match names at no cost.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import cast, get_args

from claimledger.errors import ClaimledgerError
from claimledger.records import EntityKind

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


class GazetteerError(ClaimledgerError):
    """A gazetteer file that cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    kind: EntityKind
    aliases: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1 << 16)
def normalise_name(text: str) -> str:
    """The form names are matched in: "The  Kyiv–Independent" → "kyiv-independent".
    Cached: a ledger matches the same few thousand names hundreds of thousands of times."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text)).casefold()
    words = text.replace("’", "'").split()
    while words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


class Gazetteer:
    """Entries by every normalised form of their names; later entries win. Built once,
    never changed: :func:`load_gazetteer` makes a new one to extend the shipped list."""

    def __init__(self, entries: Iterable[GazetteerEntry] = ()) -> None:
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self._index: dict[str, GazetteerEntry] = {
            normalise_name(name): entry
            for entry in self.entries
            for name in (entry.name, *entry.aliases)
        }

    def lookup(self, text: str) -> GazetteerEntry | None:
        return self._index.get(normalise_name(text))

    def __len__(self) -> int:
        return len(self.entries)

    @functools.cached_property
    def equipment_pattern(self) -> re.Pattern[str] | None:
        """A pattern for every listed equipment name and alias, longest first."""
        names = {n for e in self.entries if e.kind == "equipment" for n in (e.name, *e.aliases)}
        if not names:
            return None
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _entries(data: object, origin: str) -> list[GazetteerEntry]:
    kinds = set(get_args(EntityKind))
    if not isinstance(data, dict) or not isinstance(data.get("entity", []), list):
        raise GazetteerError(f"{origin}: expected [[entity]] tables")
    if set(data) - {"entity"}:
        raise GazetteerError(
            f"{origin}: unknown top-level keys {sorted(set(data) - {'entity'})}; "
            "write each entry as an [[entity]] table"
        )
    entries = []
    for n, item in enumerate(data.get("entity", []), start=1):
        where = f"{origin}: entity {n}"
        if not isinstance(item, dict):
            raise GazetteerError(f"{where} is not a table")
        unknown = set(item) - {"name", "kind", "aliases"}
        if unknown:
            raise GazetteerError(f"{where} has unknown keys {sorted(unknown)}")
        name, kind, aliases = item.get("name"), item.get("kind"), item.get("aliases", [])
        if not isinstance(name, str) or not name.strip():
            raise GazetteerError(f"{where} needs a non-empty name")
        if kind not in kinds:
            raise GazetteerError(f"{where} ({name}): kind must be one of {sorted(kinds)}")
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise GazetteerError(f"{where} ({name}): aliases must be a list of strings")
        if not all(normalise_name(a) for a in aliases) or not normalise_name(name):
            raise GazetteerError(f"{where} ({name}): a name or alias is empty")
        known = cast(EntityKind, kind)
        entries.append(GazetteerEntry(name.strip(), known, tuple(a.strip() for a in aliases)))
    return entries


def read_entries(path: Path) -> list[GazetteerEntry]:
    """The entries of a gazetteer file; :class:`GazetteerError` says what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GazetteerError(f"cannot read gazetteer {path}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"gazetteer {path} is not valid TOML: {exc}") from exc
    except RecursionError:
        raise GazetteerError(f"gazetteer {path}: its TOML is nested too deeply") from None
    return _entries(data, str(path))


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    text = resources.files("claimledger.data").joinpath("gazetteer.toml").read_text("utf-8")
    return Gazetteer(_entries(tomllib.loads(text), "claimledger/data/gazetteer.toml"))


def load_gazetteer(extra: Path | None = None) -> Gazetteer:
    """The shipped gazetteer, extended by ``extra`` when given."""
    if extra is None:
        return default_gazetteer()
    return Gazetteer([*default_gazetteer().entries, *read_entries(extra)])
