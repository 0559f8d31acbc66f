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

import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, cast, get_args

from claimledger.errors import ClaimledgerError
from claimledger.records import CERTAINTY_ORDER, Bound, Certainty, Measure, Modality, RatePeriod

PACKAGE_DIR = "lexicon"  # under claimledger/data


_KIND_WORDS = {
    str: "a string",
    int: "a whole number",
    bool: "true or false",
    list: "an array of words",
}


class LexiconError(ClaimledgerError):
    """A word-list file that cannot be read or does not fit the shipped lists' shapes; the
    message names the file and the list."""


Value = list[str] | dict[str, Any] | list[dict[str, Any]]


@dataclass(frozen=True)
class Cell:
    """What one field of a row, or one value of a table, must hold: a ``kind`` (str, int,
    bool, or list for an array of words); for a string, one of ``choices`` or one of the
    words of the list ``of`` (its words, or its table's keys); ``optional`` cells may be
    left out (false, an empty list or none)."""

    kind: type
    choices: tuple[str, ...] = ()
    of: str | None = None
    optional: bool = False

    def default(self) -> object:
        return False if self.kind is bool else [] if self.kind is list else None


_WORD = Cell(str)
_WORDS = Cell(list)
_NUMBER = Cell(int)
_CERTAINTY = Cell(str, CERTAINTY_ORDER)
_NUMBERED = {"word": _WORD, "value": _NUMBER}
# Where around a counted noun a measure word is a cue (measures.toml says each place).
_CUE_PLACES = (
    *("adjacent", "phrase", "verb", "state", "participle", "complement"),
    *("owner", "modifier", "noun", "total", "borrowed"),
)

# The cues of a figure's modality (modality.toml says each).
_MODALITY_CUES = ("bias", "modal", "modal_outcome", "forecast", "future", "condition", "would")

# The cues of the pronoun antecedent score (sources.toml, [[antecedent]]).
ANTECEDENT_CUES = (
    "speaker",
    "subject",
    "via",
    "named_only",
    "unnamed_document",
    "sentence_back",
)

# Every list that holds more than words, and what its rows or values must be. Shipped and
# user files alike are checked against it as they are read, so a bad entry is one error
# naming its file, before any analysis.
ROWS: dict[str, dict[str, Cell]] = {
    "cues.verbs": {"kind": _WORD, "certainty": _CERTAINTY, "lemmas": _WORDS},
    "hedges.qualified": {"word": _WORD, "after": _WORDS, "certainty": _CERTAINTY},
    "channels.verbs": {"lemma": _WORD, "kind": _WORD, "platform": Cell(str, optional=True)},
    "numbers.cardinals": _NUMBERED,
    "numbers.scales": _NUMBERED,
    "numbers.ordinals": _NUMBERED,
    "numbers.denominators": {"singular": _WORD, "plural": _WORD, "value": _NUMBER},
    "numbers.vague": {"phrase": _WORD, "low": _NUMBER, "high": _NUMBER},
    "time.counts": _NUMBERED,
    "time.deictic_days": {
        "word": _WORD,
        "days": _NUMBER,
        "time_of_day": Cell(bool, optional=True),
        "earlier_later": Cell(bool, optional=True),
    },
    "scope.reportable": {"cue": _WORD, "weight": _NUMBER},
    "scope.carry": {"cue": _WORD, "weight": _NUMBER},
    "sources.antecedent": {"cue": Cell(str, ANTECEDENT_CUES), "weight": _NUMBER},
    "measures.measure": {
        "name": Cell(str, get_args(Measure)),
        "verbs": Cell(list, optional=True),
        "nouns": Cell(list, optional=True),
        "states": Cell(list, optional=True),
    },
    "measures.plural_people": {"word": _WORD, "plural": _WORD},
    "measures.phrase": {"measure": Cell(str, get_args(Measure)), "verb": _WORD, "words": _WORDS},
    "measures.verb_never_counts": {"measure": Cell(str, get_args(Measure)), "words": _WORDS},
    "measures.cue_weights": {"place": Cell(str, _CUE_PLACES), "weight": _NUMBER},
    "modality.cues": {
        "cue": Cell(str, _MODALITY_CUES),
        "modality": Cell(str, get_args(Modality)),
        "weight": _NUMBER,
    },
    "modality.rate_periods": {"word": _WORD, "per": Cell(str, get_args(RatePeriod))},
}
VALUES: dict[str, Cell] = {
    "cues.impersonal": _CERTAINTY,
    "cues.nouns": _CERTAINTY,
    "hedges.words": _CERTAINTY,
    "hedges.raising_verbs": _CERTAINTY,
    "hedges.predicates": _CERTAINTY,
    "numbers.bounds": Cell(str, get_args(Bound)),
    "time.month_abbreviations": Cell(str, of="time.months"),
    "time.seasons": Cell(str, of="time.months"),
    "time.parts": Cell(str, ("first", "middle", "last")),
    "time.edges": Cell(str, of="time.parts"),
    "measures.verb_counts": Cell(str, of="measures.subject_synonyms"),
}


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
        lexicon = cls(lists, tuple(origins))
        for key in lists:
            lexicon._validate(key, f"claimledger/data/{PACKAGE_DIR}/{key.split('.')[0]}.toml")
        return lexicon

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
                self._validate(key, origin)
        self.origins += (origin,)

    def _validate(self, key: str, origin: str) -> None:
        """Check a list's rows or values against :data:`ROWS` and :data:`VALUES`, filling
        the optional fields a row leaves out."""
        if key in ROWS:
            for row in cast(list[dict[str, Any]], self.lists[key]):
                for name, cell in ROWS[key].items():
                    if name not in row and cell.optional:
                        row[name] = cell.default()
                        continue
                    problem = self._problem(cell, row.get(name))
                    if problem:
                        raise LexiconError(f"{origin}: {key}: {name} {problem} in {row!r}")
                unknown = set(row) - set(ROWS[key])
                if unknown:
                    raise LexiconError(
                        f"{origin}: {key}: unknown field {', '.join(sorted(unknown))} in "
                        f"{row!r}; a row has {', '.join(ROWS[key])}"
                    )
        if key in VALUES:
            for word, value in cast(dict[str, Any], self.lists[key]).items():
                problem = self._problem(VALUES[key], value)
                if problem:
                    raise LexiconError(f"{origin}: {key}: {word!r} {problem}")

    def _problem(self, cell: Cell, value: object) -> str | None:
        """What is wrong with ``value`` for ``cell``, or None."""
        if cell.kind is list:
            fits = isinstance(value, list) and all(isinstance(w, str) for w in value)
        else:
            fits = type(value) is cell.kind
        if not fits:
            return f"must be {_KIND_WORDS[cell.kind]}, not {value!r}"
        allowed = cell.choices or (
            tuple(cast(Iterable[str], self.lists[cell.of])) if cell.of else ()
        )
        if allowed and value not in allowed:
            return f"is {value!r}; use one of {', '.join(allowed)}"
        return None

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

    def rows(self, key: str) -> tuple[dict[str, Any], ...]:
        """An array of tables; a list in :data:`ROWS` has every field it declares (checked
        when the files were read)."""
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise LexiconError(f"word list {key!r} is not an array of tables")
        return tuple(dict(v) for v in cast(list[dict[str, Any]], value))

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
    except RecursionError:
        raise LexiconError(f"{origin}: its TOML is nested too deeply; flatten it") from None


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


@functools.cache
def shipped() -> Lexicon:
    """The shipped lists alone, whatever :func:`extend` added: for the ledger's rules,
    whose results must not depend on which process reconciled last."""
    return Lexicon.load()


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


def extensions() -> tuple[Path, ...]:
    """The files :func:`extend` added to this process's word lists, in order: what a
    process that starts afresh (a spawned worker) reads again to analyse alike."""
    return tuple(_extra)


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


def rows(key: str) -> tuple[dict[str, Any], ...]:
    return lexicon().rows(key)
