"""The words figures are read with, from ``data/lexicon/numbers.toml``, ``measures.toml``
and ``time.toml``: each list is read here once, and the modules of the package only use
them."""

from __future__ import annotations

from typing import cast

from claimledger.lexicon import mapping, rows, sequence, words
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
# Nouns of change whose "from" names the earlier figure of the one before: "40 missing, a
# sharp drop from the 120 reported on Monday".
CHANGE_NOUNS = words("numbers.change_nouns")
# Units of a duration, singular and plural: "three weeks" is no count of weeks.
UNITS = {form: unit for unit in TIME_UNITS for form in (unit, f"{unit}s")}

MEASURE_VERBS, MEASURE_NOUNS, MEASURE_STATES = measure_words()
# A verb with a word of its own gives a measure: "lost their lives", "shot down".
PHRASES: dict[str, list[tuple[frozenset[str], Measure]]] = {}
for _row in rows("measures.phrase"):
    PHRASES.setdefault(_row["verb"], []).append(
        (frozenset(_row["words"]), cast(Measure, _row["measure"]))
    )
# Measure verbs that give their measure only when what they count is this subject: "lost
# 300 soldiers", not "lost 30 tanks".
VERB_COUNTS = mapping("measures.verb_counts")
# What a measure verb never gives its measure to, by a word of what it counts (the subject
# key): "deployed 800 drones" is `other` as "launched 800 drones" is; "burned 5,000 acres"
# is `other`, an area being no structure.
VERB_NEVER_COUNTS: dict[str, set[str]] = {
    row["measure"]: set(row["words"]) for row in rows("measures.verb_never_counts")
}
# The key of a figure whose words name no one ("1,000 deaths", "dozens more were missing"):
# what is counted is people.
PEOPLE = "people"
# Words naming a group of people, to their plurals ("child" → "children").
PLURALS: dict[str, str] = {row["word"]: row["plural"] for row in rows("measures.plural_people")}
# What each place around a counted noun weighs in the measure decision.
CUE_WEIGHTS: dict[str, int] = {row["place"]: row["weight"] for row in rows("measures.cue_weights")}
# Verbs that lend their subject to a to-clause: "500 troops are believed to have been killed".
RAISING = words("measures.raising_verbs")
# A stretch of time up to the statement: "for three weeks", "in the past three weeks".
STRETCH_OPENINGS = words("time.stretch_openings")
# Verbs that state a total: "losses reached 1,200", "casualties exceeded 5,000", and nouns
# that name a total of what their "of" phrase says: "the number of people killed".
TOTAL_VERBS = words("measures.total_verbs")
TOTAL_SETTING_VERBS = words("measures.total_setting_verbs")
TOTAL_NOUNS = words("measures.total_nouns")
COMPLEMENT_PREPOSITIONS = words("measures.complement_prepositions")
ADJACENT_FILLERS = words("measures.adjacent_fillers")
HEDGED_STATES = words("measures.hedged_states")
EXPERIENCE_VERBS = words("measures.experience_verbs")
OWNER_PREPOSITIONS = words("measures.owner_prepositions")
PRESENCE_WORDS = words("measures.presence_words")
PRESENCE_STATES = words("measures.presence_states")
# Numbers that count nothing: measurements, times and furniture ("37 miles", "54 min
# ago"), labels ("magnitude 8", "aged 70"), references ("the two countries"), dates ("January
# 19"), weak vague amounts ("several years"), and those who speak ("two officials said").
NOT_COUNTED = words("numbers.not_counted")
NOT_COUNTED_AFTER = words("numbers.not_counted_after")
REFERENCE_DETERMINERS = words("numbers.reference_determiners")
WEAK_VAGUE = words("numbers.weak_vague")
# A list of this many groups or more, included in a total stated before, is a breakdown:
# "Casualties included six nurses, 14 drivers and three teachers".
INCLUSION_VERBS = words("numbers.inclusion_verbs")
BREAKDOWN_PARTS = 3
MONTHS = frozenset(sequence("time.months")) | frozenset(mapping("time.month_abbreviations"))
REPORTING_VERBS = frozenset(lemma for row in rows("cues.verbs") for lemma in row["lemmas"])
