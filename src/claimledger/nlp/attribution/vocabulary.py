"""The words the attribution component reads, from ``claimledger/data/lexicon``
(cues.toml, attribution.toml, hedges.toml, channels.toml) and from the cue verbs mined
from PolNeAR train (``data/mined_cues.tsv``).

Nothing here defines a word: edit the data files, or extend them with ``--lexicon``.
"""

from __future__ import annotations

from importlib import resources

from claimledger.lexicon import certainties, groups, mapping, rows, words
from claimledger.records import Certainty


def _curated_cues() -> dict[str, tuple[str, Certainty]]:
    """Each cue lemma to (kind, the certainty the cue itself conveys)."""
    return {
        lemma: (row["kind"], row["certainty"])
        for row in rows("cues.verbs")
        for lemma in row["lemmas"]
    }


def _qualified_hedges() -> dict[str, tuple[frozenset[str], Certainty]]:
    """Each word that hedges only after a qualifier to (its qualifiers, its certainty):
    "certainly" to ({"almost", "nearly"}, "likely")."""
    return {
        row["word"]: (frozenset(row["after"]), row["certainty"]) for row in rows("hedges.qualified")
    }


def _channel_verbs() -> dict[str, tuple[str, str | None]]:
    """Each cue verb that names its own channel to (the channel kind, the platform or
    None): "tweet" to ("social-post", "Twitter")."""
    return {row["lemma"]: (row["kind"], row["platform"]) for row in rows("channels.verbs")}


def _mined_cues() -> tuple[dict[str, tuple[str, Certainty]], set[str]]:
    """Cue verbs mined from PolNeAR train (claimledger.training.mine_cues): verbs that
    annotators marked as cues at least half the times they took a clausal complement
    (first) or, with no complement, a direct object (second)."""
    table = resources.files("claimledger.data").joinpath("mined_cues.tsv")
    complement: dict[str, tuple[str, Certainty]] = {}
    objects: set[str] = set()
    for line in table.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        lemma, shape = line.split("\t")[:2]
        if shape == "complement":
            complement[lemma] = ("say", "asserted")
        else:
            objects.add(lemma)
    return complement, objects


_CURATED = _curated_cues()
# Verbs that report speech in every sense they have (curated, not mined).
SPEECH_VERBS = frozenset(v for v, (kind, _) in _CURATED.items() if kind in {"say", "post"})
_MINED_COMPLEMENT, OBJECT_CUES = _mined_cues()
# Curated entries win: they carry the right kind and certainty.
CUE_VERBS: dict[str, tuple[str, Certainty]] = {**_MINED_COMPLEMENT, **_CURATED}
PARTICLE_CUES: dict[str, set[str]] = {k: set(v) for k, v in groups("cues.particle_cues").items()}
COUNT_VERBS = words("cues.count_verbs")
COUNT_VERB_PREPS: dict[str, set[str]] = {
    k: set(v) for k, v in groups("cues.count_verb_preps").items()
}
PREDICATE_CUES: dict[str, set[str]] = {k: set(v) for k, v in groups("cues.predicate_cues").items()}
IMPERSONAL_CUES = certainties("cues.impersonal")
NOUN_CUES = certainties("cues.nouns")
REPORT_NOUNS = words("cues.report_nouns")
NON_SPEAKERS = words("cues.non_speakers")
EXPLETIVES = words("attribution.expletives")
FIRST_PERSON = words("attribution.first_person")
CONTRAST_MARKS = words("attribution.contrast_marks")
CONTENT_PREPS = words("attribution.content_preps")
OBJECT_PREPS = words("attribution.object_preps")
SOURCE_PREPS = words("attribution.source_preps")
AS_VERBS = words("attribution.as_verbs")
NAMING_VERBS = words("attribution.naming_verbs")
CARRIER_PREPS = words("attribution.carrier_preps")
CITING_VERBS = words("attribution.citing_verbs")
DURATION_PREPS = words("attribution.duration_preps")
LINE_LABELS = words("attribution.line_labels")
HEDGE_WORDS = certainties("hedges.words")
HEDGE_MODALS = words("hedges.modals")
QUALIFIED_HEDGES = _qualified_hedges()
RAISING_HEDGES = certainties("hedges.raising_verbs")
PREDICATE_HEDGES = certainties("hedges.predicates")
PLATFORMS = mapping("channels.platforms")
PLATFORM_PREPS = words("channels.platform_preps")
CHANNEL_NOUNS = mapping("channels.nouns")
AUDIENCE_VERBS = words("channels.audience_verbs")
AUDIENCE_PREPS = words("channels.audience_preps")
CHANNEL_VERBS = _channel_verbs()
