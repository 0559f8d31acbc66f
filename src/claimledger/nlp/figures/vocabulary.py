"""The words figures are read with, from ``data/lexicon/numbers.toml``, ``measures.toml``
and ``time.toml``: each list is read here once, and the modules of the package only use
them."""

from __future__ import annotations

from typing import cast

from claimledger.lexicon import groups, mapping, rows, words
from claimledger.nlp.time.vocabulary import UNITS as TIME_UNITS
from claimledger.records import Measure


def measure_words() -> tuple[dict[str, Measure], dict[str, Measure], dict[str, Measure]]:
    """The measure verbs, nouns and states, each word to its measure; a word listed under
    two measures takes the later one, so a user's row overrides a shipped one."""
    tables: dict[str, dict[str, Measure]] = {"verbs": {}, "nouns": {}, "states": {}}
    for row in rows("measures.measure"):
        for part, table in tables.items():
            table.update(dict.fromkeys(row[part], cast(Measure, row["name"])))
    return tables["verbs"], tables["nouns"], tables["states"]


FRACTION_NOUNS = words("numbers.fraction_nouns")
SUBJECT_SYNONYMS = mapping("measures.subject_synonyms")
PERCENT_WORDS = words("numbers.percent_words")
# Vague amounts that stand for the count themselves: "dozens of soldiers", "several
# soldiers", "a handful of troops" (amounts.VAGUE gives their intervals).
VAGUE_HEADS = words("numbers.vague_heads")
# A range after one of these is a change, not an interval: "rose from 100 to 200".
CHANGE_WORDS = words("numbers.change_words")
# Units of a duration, singular and plural: "three weeks" is no count of weeks.
UNITS = {form: unit for unit in TIME_UNITS for form in (unit, f"{unit}s")}

MEASURE_VERBS, MEASURE_NOUNS, MEASURE_STATES = measure_words()
# Measure verbs that need a particle ("pulled back") or a subject as object ("lost 300
# soldiers") to give their measure.
VERB_PARTICLES = groups("measures.verb_particles")
VERB_OBJECTS = mapping("measures.verb_objects")
# Verbs that lend their subject to a to-clause: "500 troops are believed to have been killed".
RAISING = words("measures.raising_verbs")
# A stretch of time up to the statement: "for three weeks", "in the past three weeks".
STRETCH_OPENINGS = words("time.stretch_openings")
# "taken prisoner": a captive verb with a captive word is a capture.
CAPTIVE_VERBS = words("measures.captive_verbs")
CAPTIVE_WORDS = words("measures.captive_words")
# Verbs that state a total: "losses reached 1,200", "casualties exceeded 5,000".
TOTAL_VERBS = words("measures.total_verbs")
PRESENCE_WORDS = words("measures.presence_words")
PRESENCE_STATES = words("measures.presence_states")
