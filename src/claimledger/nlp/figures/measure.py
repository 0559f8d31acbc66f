"""What happened to the counted thing, its measure: a scored decision over the measure
words around the counted noun. Each place a word can stand in (the noun's verb, a state
after it, a verb on the noun, the noun itself ...) weighs what measures.toml says; the
weights of one measure's cues add up and the highest score wins, "other" without a cue.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from claimledger.nlp.figures.vocabulary import (
    COMPLEMENT_PREPOSITIONS,
    CUE_WEIGHTS,
    MEASURE_NOUNS,
    MEASURE_STATES,
    MEASURE_VERBS,
    OWNER_PREPOSITIONS,
    PHRASES,
    RAISING,
    SUBJECT_SYNONYMS,
    TOTAL_NOUNS,
    TOTAL_VERBS,
    VERB_COUNTS,
)
from claimledger.records import Measure

# Dependents of a verb that say the state its subject or object ends in: "are missing",
# "were declared dead", "left 78 people dead"; and those where a measure noun says it:
# "2,500 were battle casualties", "300 soldiers suffered injuries".
_STATE_DEPS = {"acomp", "oprd", "xcomp", "attr"}
_STATE_NOUN_DEPS = {"attr", "dobj"}
# Where a counted noun or number stands as what a verb of totals reaches: "rose to 132
# people", "has passed 1,000", "stands at 3,513", "is at least eight".
_OBJECT_DEPS = {"dobj", "attr", "oprd", "acomp", "npadvmod", "advmod", "appos"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}


@dataclass(frozen=True)
class Cue:
    """One measure word near the counted noun, where it stands and what it says."""

    measure: Measure
    place: str
    tokens: Span
    negated: bool = False

    @property
    def weight(self) -> int:
        return CUE_WEIGHTS.get(self.place, 0)


@dataclass(frozen=True)
class Reading:
    """The measure decided, the words that say it, and whether its verb is negated."""

    measure: Measure
    tokens: Span | None
    negated: bool


def decide(cues: Iterable[Cue]) -> Reading:
    """The measure with the highest total weight; its heaviest cue gives the words. A tie
    goes to the measure whose cue came first (the nearer place)."""
    scores: dict[Measure, int] = {}
    best: dict[Measure, Cue] = {}
    for cue in cues:
        scores[cue.measure] = scores.get(cue.measure, 0) + cue.weight
        if cue.measure not in best or cue.weight > best[cue.measure].weight:
            best[cue.measure] = cue
    if not scores:
        return Reading("other", None, False)
    measure = max(scores, key=lambda m: scores[m])  # first of the highest, by insertion
    cue = best[measure]
    return Reading(measure, cue.tokens, cue.negated)


def measure_of(noun: Token, borrowed: Token | None = None) -> Reading:
    """What happened to the thing ``noun`` counts (a noun, or a bare number standing for
    one). ``borrowed``: the noun of the figure before, when this one's noun is elided
    ("2,000 bodies, and another 900 are in morgues")."""
    return decide(cues_of(noun, borrowed))


def cues_of(noun: Token, borrowed: Token | None = None) -> list[Cue]:
    """Every measure cue around ``noun``, nearest places first."""
    counted = SUBJECT_SYNONYMS.get(noun.lower_, noun.lower_)
    if borrowed is not None:
        counted = SUBJECT_SYNONYMS.get(borrowed.lower_, borrowed.lower_)
    cues: list[Cue] = []
    pred = predicate(noun)
    if pred is not None:
        cues += verb_cues(pred, counted, noun=noun)
        if noun.dep_ == "dobj":
            # "forced hundreds of troops to surrender": the object's own verb
            control = next((c for c in pred.children if c.dep_ == "xcomp"), None)
            if control is not None and subject_of(control) is None:
                cues += verb_cues(control, counted, noun=noun)
    cues += total_cues(noun)
    cues += noun_cues(noun, counted)
    if borrowed is not None:
        cues += [c for c in noun_cues(borrowed, counted) if c.place in {"noun", "modifier"}]
    return cues


def verb_cues(
    verb: Token, counted: str, place: str | None = None, noun: Token | None = None
) -> list[Cue]:
    """What a verb says of its subject or object: a phrase ("lost their lives"), its own
    measure, the state it leaves the thing in, a measure word after its preposition; with
    the verbs and states conjoined to it ("killed and wounded": killed_or_wounded).
    ``place`` replaces the cues' places (a verb on the noun is a participle); ``noun``, the
    counted noun, is no state of itself."""
    doc = verb.doc
    neg = negated(verb)
    lemma = verb.lemma_.lower()
    found: list[Cue] = []
    for words, phrased in PHRASES.get(lemma, ()):
        word = next((w for w in _phrase_words(verb) if _is(w, words)), None)
        if word is not None:
            found.append(Cue(phrased, "phrase", _span(verb, word), neg))
    said: list[tuple[Measure, Token, str]] = []
    for part in (verb, *_shared_conjuncts(verb)):
        said_by_verb = _verb_measure(part, counted)
        if said_by_verb is not None:
            said.append((said_by_verb, part, "verb"))
        for child in part.children:
            if noun is not None and child.i == noun.i:
                continue
            for state in (child, *_conjuncts(child)):
                stated = _state_measure(state) if child.dep_ in _STATE_DEPS else None
                if stated is None and child.dep_ in _STATE_NOUN_DEPS:
                    stated = _noun_measure(state)
                if stated is not None:
                    said.append((stated, state, "state"))
    measures = {m for m, _, _ in said}
    if {"killed", "wounded"} <= measures:
        first = min(t.i for _, t, _ in said)
        last = max(t.i for _, t, _ in said)
        found.append(Cue("killed_or_wounded", said[0][2], doc[first : last + 1], neg))
    else:
        found += [Cue(m, where, doc[t.i : t.i + 1], neg) for m, t, where in said]
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in COMPLEMENT_PREPOSITIONS:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            for word in (obj, *(c for c in obj.children if c.dep_ in {"compound", "amod"})):
                complement = _noun_measure(word) or _state_measure(word)
                if complement is not None:
                    found.append(Cue(complement, "complement", _span(prep, word), neg))
    if lemma in RAISING:
        raised = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if raised is not None and raised.pos_ in {"VERB", "AUX"}:
            found += verb_cues(raised, counted, noun=noun)
    if place is not None:
        found = [Cue(c.measure, place, c.tokens, c.negated) for c in found]
    return found


def noun_cues(noun: Token, counted: str) -> list[Cue]:
    """What the noun phrase itself says: a verb on the noun ("soldiers who died"), a
    measure word on it ("injured people"), the noun ("fatalities"), the noun that owns it
    ("the deaths of 1,200 people")."""
    doc = noun.doc
    head = noun
    while head.dep_ == "conj" and head.head.pos_ in {"NOUN", "PROPN", "NUM"}:
        head = head.head
    found: list[Cue] = []
    on_noun = list(noun.children) + [c for c in head.children if head.i != noun.i]
    for c in on_noun:
        if c.dep_ in {"acl", "relcl"} or (c.dep_ == "amod" and c.pos_ == "VERB"):
            found += verb_cues(c, counted, place="participle")
    for c in noun.children:
        if c.dep_ in {"amod", "compound", "nmod"}:
            measure = _state_measure(c) or _noun_measure(c)
            if measure is not None:
                found.append(Cue(measure, "modifier", doc[c.i : c.i + 1]))
    if noun.pos_ == "NUM" and noun.head.pos_ != "NOUN" and noun.dep_ in {"nummod", "nsubj"}:
        # "441 missing": the number hangs on its state
        measure = _state_measure(noun.head)
        if measure is not None:
            found.append(Cue(measure, "modifier", doc[noun.head.i : noun.head.i + 1]))
    measure = _noun_measure(noun)
    if measure is not None:
        found.append(Cue(measure, "noun", doc[noun.i : noun.i + 1]))
    owner = owner_of(noun)
    if owner is not None:
        for word in (owner, *(c for c in owner.children if c.dep_ == "compound")):
            measure = _noun_measure(word)
            if measure is not None:
                found.append(Cue(measure, "owner", doc[word.i : word.i + 1]))
    return found


def total_cues(noun: Token) -> list[Cue]:
    """ "the death toll rose to 132 people", "Russian losses reached 1,200 soldiers", "the
    number of people killed has reached 23,831": the total's subject says the measure."""
    verb = total_verb(noun)
    if verb is None:
        return []
    total = subject_of(verb)
    if total is None or total.i == noun.i:
        return []
    return [Cue(c.measure, "total", c.tokens, negated(verb)) for c in total_subject_cues(total)]


def total_subject_cues(total: Token) -> list[Cue]:
    """The cues of a total's subject: its own words, or those of its "of" phrase ("the
    number of dead")."""
    counted = SUBJECT_SYNONYMS.get(total.lower_, total.lower_)
    found = noun_cues(total, counted)
    if total.lower_ in TOTAL_NOUNS or total.lemma_.lower() in TOTAL_NOUNS:
        for of in total.children:
            if of.dep_ == "prep" and of.lower_ == "of":
                for obj in of.children:
                    if obj.dep_ == "pobj":
                        found += noun_cues(obj, SUBJECT_SYNONYMS.get(obj.lower_, obj.lower_))
    return found


def total_verb(noun: Token) -> Token | None:
    """The verb of totals whose figure ``noun`` is: "rose to 132 people" → rose."""
    node = noun
    while node.dep_ == "conj":
        node = node.head
    verb: Token | None = None
    if node.dep_ == "pobj" and node.head.dep_ in {"prep", "agent"}:
        verb = node.head.head
    elif node.dep_ in _OBJECT_DEPS:
        verb = node.head
    if verb is None or verb.pos_ not in {"VERB", "AUX"}:
        return None
    return verb if verb.lemma_.lower() in TOTAL_VERBS else None


def owner_of(noun: Token) -> Token | None:
    """The noun whose complement ``noun`` is: "the deaths of 1,200 people" → deaths."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in OWNER_PREPOSITIONS:
        return None
    owner = prep.head
    return owner if owner.pos_ in {"NOUN", "PROPN", "ADJ"} and owner.i != noun.i else None


def predicate(noun: Token) -> Token | None:
    """The verb a counted noun is subject or object of, climbing coordination."""
    node = noun
    while node.dep_ == "conj":
        node = node.head
    if node.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "pobj"}:
        head = node.head
        if node.dep_ == "pobj":
            # "half of the soldiers" -> climb to the fraction's predicate
            head = head.head
            if head.pos_ in {"NOUN", "NUM"} and head.i != node.i:
                return predicate(head)
        if head.pos_ in {"VERB", "AUX"} and not (node.dep_ == "pobj" and subject_of(head)):
            raised = next((c for c in head.children if c.dep_ == "xcomp"), None)
            if node.dep_ == "nsubjpass" and raised is not None and head.lemma_ in RAISING:
                return raised  # "500 troops are believed to have been killed"
            return head
    # The parser hung the noun elsewhere ("said between 10 and 12 soldiers were
    # deployed"): a subjectless verb right after it is its predicate.
    after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if after is not None and after.dep_ in {"aux", "auxpass"} and subject_of(after.head) is None:
        return after.head
    return None


def negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def subject_of(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)


def is_measure_noun(tok: Token) -> bool:
    """ "casualties", "deaths", "bodies": a noun that names what happened, not who."""
    return _noun_measure(tok) is not None


def _verb_measure(verb: Token, counted: str) -> Measure | None:
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    lemma = verb.lemma_.lower()
    measure = MEASURE_VERBS.get(lemma)
    wanted = VERB_COUNTS.get(lemma)
    if measure is not None and wanted is not None and wanted != counted:
        return None  # "lost ground", "lost 30 tanks"
    return measure


def _state_measure(tok: Token) -> Measure | None:
    return MEASURE_STATES.get(tok.lower_) or MEASURE_STATES.get(tok.lemma_.lower())


def _noun_measure(tok: Token) -> Measure | None:
    if tok.pos_ not in {"NOUN", "PROPN", "ADJ"}:
        return None
    return MEASURE_NOUNS.get(tok.lower_) or MEASURE_NOUNS.get(tok.lemma_.lower())


def _is(tok: Token, words: frozenset[str]) -> bool:
    return tok.lower_ in words or tok.lemma_.lower() in words


def _phrase_words(verb: Token) -> Iterator[Token]:
    """A verb's own words: particles, objects, states, and the objects of its
    prepositions ("taken into custody", "forced from their homes")."""
    for c in verb.children:
        if c.dep_ == "prep":
            yield from (o for o in c.children if o.dep_ == "pobj")
        elif c.dep_ not in _SUBJECT_DEPS | {"aux", "auxpass", "neg", "punct", "cc", "conj"}:
            yield c


def _shared_conjuncts(verb: Token) -> list[Token]:
    """Verbs conjoined to ``verb`` that share its subject: "were killed and wounded"."""
    return [c for c in _conjuncts(verb) if subject_of(c) is None]


def _conjuncts(tok: Token) -> list[Token]:
    found: list[Token] = []
    todo = [tok]
    while todo:
        node = todo.pop()
        for c in node.children:
            if c.dep_ == "conj":
                found.append(c)
                todo.append(c)
    return found


def _span(a: Token, b: Token) -> Span:
    first, last = min(a.i, b.i), max(a.i, b.i)
    return a.doc[first : last + 1]
