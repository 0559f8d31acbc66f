"""The word lists that decide what the extractor sees — cues, hedges, source nouns, measure
words, number words, place words — read from the TOML files in ``claimledger/data/lexicon``.

A linguist edits those files without reading algorithm code; each file is a section
(``cues.toml`` is ``cues``) and each of its keys a list, in one of three shapes:

- words: an array of strings (``person_roles = ["spokesperson", ...]``);
- a table of words, each to a string or an array of strings
  (``[hedges] likely = "likely"``, ``[particle_cues] point = ["out"]``);
- an array of tables (``[[verbs]] kind = "say" ... lemmas = [...]``).

A user's own file extends them, the way ``--gazetteer`` extends the gazetteer: its
sections are tables of the same names (``[sources] person_roles = ["ombudsman"]``);
words are added, table entries added or replaced, array-of-table rows appended.
:func:`extend` does that for the whole process, before the first analysis reads the
lists (``claimledger analyze --lexicon FILE``); :func:`Lexicon.load` builds one apart.

This module imports no spaCy: the ledger and the API can read it at no cost.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, cast

from claimledger.errors import ClaimledgerError
from claimledger.records import CERTAINTY_ORDER, Certainty

PACKAGE_DIR = "lexicon"  # under claimledger/data


class LexiconError(ClaimledgerError):
    """A word-list file that cannot be read or does not fit the shipped lists' shapes; the
    message names the file and the list."""


Value = list[str] | dict[str, Any] | list[dict[str, Any]]


@dataclass
class Lexicon:
    """Every word list, by ``"section.name"``."""

    lists: dict[str, Value] = field(default_factory=dict)
    origins: tuple[str, ...] = ()

    @classmethod
    def load(cls, extra: Iterable[Path] = ()) -> Lexicon:
        """The shipped lists, extended by each of ``extra`` in turn."""
        lexicon = cls._shipped()
        for path in extra:
            lexicon.merge(_read_user_file(path), str(path))
        return lexicon

    @classmethod
    def _shipped(cls) -> Lexicon:
        lists: dict[str, Value] = {}
        folder = resources.files("claimledger.data").joinpath(PACKAGE_DIR)
        origins = []
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".toml"):
                continue
            origin = f"claimledger/data/{PACKAGE_DIR}/{entry.name}"
            section = entry.name.removesuffix(".toml")
            data = _parse(entry.read_text("utf-8"), origin)
            for name, value in data.items():
                lists[f"{section}.{name}"] = _checked(value, f"{origin}: {name}")
            origins.append(origin)
        return cls(lists, tuple(origins))

    def merge(self, sections: Mapping[str, Any], origin: str) -> None:
        """Add a user file's lists (already parsed) to these."""
        for section, names in sections.items():
            if not isinstance(names, dict):
                raise LexiconError(
                    f"{origin}: [{section}] must be a table of word lists, "
                    f'e.g. [sources] person_roles = ["ombudsman"]'
                )
            for name, value in names.items():
                key = f"{section}.{name}"
                if key not in self.lists:
                    raise LexiconError(
                        f"{origin}: there is no word list {key!r}; the lists are in "
                        f"claimledger/data/{PACKAGE_DIR}/ ({_nearby(key, self.lists)})"
                    )
                self.lists[key] = _extended(self.lists[key], value, f"{origin}: {key}")
        self.origins += (origin,)

    # --- typed reads ------------------------------------------------------------------

    def words(self, key: str) -> frozenset[str]:
        """An array of strings, as a set."""
        return frozenset(self.sequence(key))

    def sequence(self, key: str) -> tuple[str, ...]:
        """An array of strings, in its written order."""
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LexiconError(f"word list {key!r} is not an array of words")
        return tuple(cast(list[str], value))

    def mapping(self, key: str) -> dict[str, str]:
        """A table of words to strings, in its written order."""
        value = self._get(key)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise LexiconError(f"word list {key!r} is not a table of words to strings")
        return dict(value)

    def certainties(self, key: str) -> dict[str, Certainty]:
        """A table of words to certainty levels (asserted, likely, ... denied)."""
        table = self.mapping(key)
        for word, level in table.items():
            if level not in CERTAINTY_ORDER:
                raise LexiconError(
                    f"word list {key!r}: {word!r} has certainty {level!r}; "
                    f"use one of {', '.join(CERTAINTY_ORDER)}"
                )
        return cast(dict[str, Certainty], table)

    def groups(self, key: str) -> dict[str, tuple[str, ...]]:
        """A table of words to arrays of words."""
        value = self._get(key)
        if not isinstance(value, dict) or not all(
            isinstance(v, list) and all(isinstance(w, str) for w in v) for v in value.values()
        ):
            raise LexiconError(f"word list {key!r} is not a table of words to arrays of words")
        return {k: tuple(v) for k, v in value.items()}

    def rows(
        self, key: str, fields: Mapping[str, type] | None = None
    ) -> tuple[dict[str, Any], ...]:
        """An array of tables; with ``fields``, each row must have each field of its type
        (``{"word": str, "value": int}``), a true-or-false field may be left out and is
        then false, and a field of type list holds words."""
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise LexiconError(f"word list {key!r} is not an array of tables")
        rows = tuple(dict(v) for v in cast(list[dict[str, Any]], value))
        for row in rows if fields else ():
            for name, kind in (fields or {}).items():
                if kind is bool:
                    row.setdefault(name, False)
                cell = row.get(name)
                fits = type(cell) is kind and (
                    kind is not list or all(isinstance(w, str) for w in cast(list[Any], cell))
                )
                if not fits:
                    shape = ", ".join(f"{n} ({t.__name__})" for n, t in (fields or {}).items())
                    raise LexiconError(f"{key}: each row needs {shape}; got {row!r}")
        return rows

    def _get(self, key: str) -> Value:
        try:
            return self.lists[key]
        except KeyError:
            raise LexiconError(
                f"there is no word list {key!r} ({_nearby(key, self.lists)})"
            ) from None


def _parse(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{origin} is not valid TOML: {exc}") from exc


def _read_user_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"cannot read word lists {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise LexiconError(f"word lists {path} are not UTF-8 text") from exc
    return _parse(text, str(path))


def _shape(value: Any) -> str | None:
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "words"
        if all(isinstance(v, dict) for v in value):
            return "rows"
        return None
    if isinstance(value, dict):
        if all(isinstance(v, str) for v in value.values()):
            return "table"
        if all(isinstance(v, list) and all(isinstance(w, str) for w in v) for v in value.values()):
            return "groups"
    return None


def _checked(value: Any, where: str) -> Value:
    if _shape(value) is None:
        raise LexiconError(
            f"{where}: a word list is an array of words, a table of words, or an array of tables"
        )
    return cast(Value, value)


def _extended(old: Value, new: Any, where: str) -> Value:
    """``old`` with a user's ``new`` entries: the same shape, or an error."""
    have, got = _shape(old), _shape(new)
    if isinstance(old, list) and not old and isinstance(new, list):
        got = have = _shape(new)  # an empty shipped list takes any array
    if got != have and not (have in {"table", "groups"} and isinstance(new, dict) and not new):
        expected = {
            "words": "an array of words",
            "table": "a table of words to strings",
            "groups": "a table of words to arrays of words",
            "rows": "an array of tables",
        }[have or "words"]
        raise LexiconError(f"{where} must be {expected}, as in the shipped list")
    if isinstance(old, list) and have == "words":
        words = cast(list[str], old)
        return words + [w for w in cast(list[str], new) if w not in words]
    if isinstance(old, list):
        return [*cast(list[dict[str, Any]], old), *cast(list[dict[str, Any]], new)]
    return {**old, **cast(dict[str, Any], new)}


def _nearby(key: str, known: Iterable[str]) -> str:
    section = key.split(".", 1)[0]
    same = sorted(k for k in known if k.startswith(section + "."))
    if same:
        return "this section has " + ", ".join(same)
    sections = sorted({k.split(".", 1)[0] for k in known})
    return "the sections are " + ", ".join(sections)


# --- the process's lexicon --------------------------------------------------------------

_extra: list[Path] = []
_active: Lexicon | None = None


def lexicon() -> Lexicon:
    """The lists this process analyses with: the shipped ones and any :func:`extend` gave.
    Once read they are fixed for the process."""
    global _active
    if _active is None:
        _active = Lexicon.load(_extra)
    return _active


def extend(path: Path) -> None:
    """Extend this process's word lists with a user's file. It is checked at once, and must
    come before the first analysis: the components build their patterns from the lists
    when they load."""
    if _active is not None:
        raise LexiconError(
            f"{path}: the word lists are already in use in this process; "
            "extend them before the first analysis"
        )
    Lexicon.load([path])  # a bad file is an error here, not at the first analysis
    _extra.append(path)


def words(key: str) -> frozenset[str]:
    """:meth:`Lexicon.words` of this process's lexicon: ``words("sources.titles")``."""
    return lexicon().words(key)


def sequence(key: str) -> tuple[str, ...]:
    return lexicon().sequence(key)


def mapping(key: str) -> dict[str, str]:
    return lexicon().mapping(key)


def certainties(key: str) -> dict[str, Certainty]:
    return lexicon().certainties(key)


def groups(key: str) -> dict[str, tuple[str, ...]]:
    return lexicon().groups(key)


def rows(key: str, fields: Mapping[str, type] | None = None) -> tuple[dict[str, Any], ...]:
    return lexicon().rows(key, fields)
