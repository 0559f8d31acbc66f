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
    ADJACENT_FILLERS,
    COMPLEMENT_PREPOSITIONS,
    CUE_WEIGHTS,
    EXPERIENCE_VERBS,
    HEDGED_STATES,
    MEASURE_NOUNS,
    MEASURE_STATES,
    MEASURE_VERBS,
    OWNER_PREPOSITIONS,
    PHRASES,
    RAISING,
    REPORTING_VERBS,
    SUBJECT_SYNONYMS,
    TOTAL_NOUNS,
    TOTAL_SETTING_VERBS,
    TOTAL_VERBS,
    VAGUE_HEADS,
    VERB_COUNTS,
    VERB_NEVER_COUNTS,
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
# A figure after these is a figure of its own, not the total the verb reaches: "the toll
# rose to 20,318, with 80,052 injured".
_NEW_FIGURE_PREPOSITIONS = {"with", "including", "besides", "plus"}
# A verb with no subject of its own continues the verb it hangs on by one of these.
_CONTINUING_DEPS = {"xcomp", "acomp", "conj", "ccomp", "advcl", "dep", "parataxis"}


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
    """The measure with the highest total weight; its heaviest cue gives the words. A word
    counts once, in its heaviest place; a tie goes to the measure whose cue came first
    (the nearer place)."""
    heaviest: dict[tuple[int, Measure], Cue] = {}
    for cue in cues:
        key = (cue.tokens.end, cue.measure)
        if key not in heaviest or cue.weight > heaviest[key].weight:
            heaviest[key] = cue
    scores: dict[Measure, int] = {}
    best: dict[Measure, Cue] = {}
    for cue in heaviest.values():
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
    own = noun_cues(noun, counted)
    if pred is not None and _shares_with_a_later_figure(noun, own):
        # "79 migrants drowned ... and hundreds more were missing": the verb is the later
        # figure's, the participle this one's
        pred = None
    if pred is not None:
        cues += verb_cues(pred, counted, noun=noun, agent=_climb(noun).dep_ == "nsubj")
        if _climb(noun).dep_ == "dobj":
            # "forced hundreds of troops to surrender": the object's own verb
            control = next((c for c in pred.children if c.dep_ == "xcomp"), None)
            if control is not None and subject_of(control) is None:
                cues += verb_cues(control, counted, noun=noun)
    cues += total_cues(noun)
    cues += own
    if borrowed is not None:
        cues += [
            Cue(c.measure, "borrowed", c.tokens)
            for c in noun_cues(borrowed, counted)
            if c.place in {"noun", "modifier", "adjacent"}
        ]
    return cues


def verb_cues(
    verb: Token,
    counted: str,
    place: str | None = None,
    noun: Token | None = None,
    agent: bool = False,
) -> list[Cue]:
    """What a verb says of its subject or object: a phrase ("lost their lives"), its own
    measure, the state it leaves the thing in, a measure word after its preposition; with
    the verbs and states conjoined to it ("killed and wounded": killed_or_wounded).
    ``place`` replaces the cues' places (a verb on the noun is a participle); ``noun``, the
    counted noun, is no state of itself. ``agent``: the counted noun is the verb's active
    subject, so a verb with an object says what happened to the object, not to it ("500
    soldiers killed 40 civilians", "two fires which have burned 36,000 acres")."""
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
        acts = (
            agent
            and part.lemma_.lower() not in EXPERIENCE_VERBS
            and any(c.dep_ == "dobj" for c in part.children)
        )
        said_by_verb = None if acts else _verb_measure(part, counted)
        if said_by_verb is not None:
            said.append((said_by_verb, part, "verb"))
        for child in part.children:
            if noun is not None and child.i in _coordinated(noun):
                continue  # "there were 773 bodies and 2,880 injured people"
            if acts and child.dep_ == "dobj":
                continue  # "500 soldiers caused 40 deaths": the object's
            for state in (child, *_conjuncts(child)):
                if any(c.dep_ == "advmod" and _is(c, HEDGED_STATES) for c in state.children):
                    continue  # "missing and likely dead": not said to be dead
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
            between = noun.doc[min(noun.i, c.i) + 1 : max(noun.i, c.i)]
            together = _coordinated(noun)
            if any(
                t.like_num and t.pos_ == "NUM" and not (t.dep_ == "nummod" and t.head.i in together)
                for t in between
            ):
                # "casualties, including 10,582 dead and 19,875 injured"; not "60,000
                # soldiers and 12,000 others deployed", where the verb is on both
                continue
            own = subject_of(c)
            if own is not None and own.tag_ not in {"WP", "WDT", "WP$"} and own.lower_ != "that":
                continue  # "casualties (10,582 injured)": the verb is another figure's
            found += verb_cues(c, counted, place="participle", agent=own is not None)
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
    found += adjacent_cues(noun)
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


def adjacent_cues(number: Token) -> list[Cue]:
    """The word right after a bare number or a counted noun, fillers skipped: "2,800
    injured", "441 missing", "80,052 reported injured", "dozens more missing", "200,000
    people are homeless" (whatever the parse made of it)."""
    doc = number.doc
    last = number
    listed = number.i + 1 < len(doc) and doc[number.i + 1].lower_ in {"and", "or", ","}
    for c in number.children:
        if listed and c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN"} and c.i > last.i:
            last = c  # "five campers and one counselor still missing": after the last one
    i = last.i + 1
    while i < len(doc) and (doc[i].like_num or doc[i].lower_ in {"-", ","}) and i - last.i < 3:
        i += 1  # the rest of the number: "8-9,000"
    start = i
    while i < len(doc) and doc[i].lower_ in ADJACENT_FILLERS and i - start < 3:
        i += 1
    if i >= len(doc) or doc[i].sent != number.sent:
        return []
    word = doc[i]
    if number.pos_ != "NUM" and word.head.i == last.i and word.dep_ in {"acl", "relcl", "amod"}:
        return []  # "soldiers deployed in Kursk ... have been killed": a participle
    if number.dep_ in _SUBJECT_DEPS and word.i == number.head.i and word.pos_ in {"VERB", "AUX"}:
        return []  # "nine people have lost their lives": the verb is read as the verb
    measure = _word_measure(word)
    if measure is None:
        return []
    if i + 2 < len(doc) and doc[i + 1].lower_ in {"and", "or"}:
        # "300 killed or wounded", "soldiers were killed and injured"
        also = _word_measure(doc[i + 2])
        if also is not None and {measure, also} == {"killed", "wounded"}:
            return [Cue("killed_or_wounded", "adjacent", doc[word.i : i + 3])]
    return [Cue(measure, "adjacent", doc[word.i : word.i + 1])]


def _word_measure(word: Token) -> Measure | None:
    """The measure a word says by itself: a state ("dead", "missing") or a participle
    ("injured", "evacuated")."""
    measure = _state_measure(word)
    if measure is None and word.tag_ == "VBN":
        measure = MEASURE_VERBS.get(word.lemma_.lower())
    return None if measure == "other" else measure


def total_cues(noun: Token) -> list[Cue]:
    """ "the death toll rose to 132 people", "Russian losses reached 1,200 soldiers", "the
    number of people killed has reached 23,831": the total's subject says the measure."""
    verb = total_verb(noun)
    if verb is None:
        return []
    total = total_of_verb(verb)
    if total is None or total.i == noun.i:
        return []
    return [Cue(c.measure, "total", c.tokens, negated(verb)) for c in total_subject_cues(total)]


def total_of_verb(verb: Token) -> Token | None:
    """What a verb of totals totals: its subject ("the toll rose to 132"), or the object of
    a verb that sets a total ("reports put the number of deaths at 22")."""
    if verb.lemma_.lower() in TOTAL_SETTING_VERBS:
        return next((c for c in verb.children if c.dep_ == "dobj"), None)
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    if len(subjects) > 1:
        # "'A mourner on every corner': Goma death toll surpasses 770", parsed with two
        # subjects: the nearest that names a total
        found = next((c for c in reversed(subjects) if total_subject_cues(c)), None)
        if found is not None:
            return found
    return clause_subject(verb)


def clause_subject(verb: Token) -> Token | None:
    """The subject of ``verb``, or of the verb it continues: "the toll is likely to be at
    least 10,000" → toll; "the number ... affected ..., could be as high as" → number; "the
    figure expected to exceed 3,000" → figure."""
    node = verb
    for _ in range(4):
        found = subject_of(node)
        if found is not None:
            return found
        if node.dep_ == "acl" and node.head.pos_ in {"NOUN", "PROPN"}:
            return node.head
        if node.dep_ not in _CONTINUING_DEPS or node.head.i == node.i:
            return None
        node = node.head
    return None


def total_subject_cues(total: Token) -> list[Cue]:
    """The cues of a total's subject: its own words, or those of its "of" phrase ("the
    number of dead")."""
    counted = SUBJECT_SYNONYMS.get(total.lower_, total.lower_)
    found = noun_cues(total, counted)
    for also in _conjuncts(total):
        # "the total number or dead"
        found += noun_cues(also, counted)
        measure = _state_measure(also)
        if measure is not None:
            found.append(Cue(measure, "noun", also.doc[also.i : also.i + 1]))
    if total.lower_ in TOTAL_NOUNS or total.lemma_.lower() in TOTAL_NOUNS:
        for of in total.children:
            if of.dep_ == "prep" and of.lower_ == "of":
                for obj in of.children:
                    if obj.dep_ == "pobj":
                        found += noun_cues(obj, SUBJECT_SYNONYMS.get(obj.lower_, obj.lower_))
        for prep in total.children:
            # "the total number of personnel affected, including killed and wounded"
            if prep.dep_ == "prep" and prep.lower_ in {"including", "include"}:
                for verb in prep.children:
                    if verb.dep_ == "pcomp" and verb.pos_ == "VERB":
                        found += verb_cues(verb, counted, place="noun")
    return found


def total_verb(noun: Token) -> Token | None:
    """The verb of totals whose figure ``noun`` is: "rose to 132 people" → rose."""
    node = noun
    while node.dep_ == "conj":
        node = node.head
    verb: Token | None = None
    if node.dep_ == "pobj" and node.head.dep_ in {"prep", "agent"}:
        if node.head.lower_ in _NEW_FIGURE_PREPOSITIONS:
            return None  # "rose to 20,318 with 80,052 injured": another figure
        verb = node.head.head
        if node.head.lower_ == "at" and verb.lemma_.lower() in TOTAL_SETTING_VERBS:
            return verb  # "put the number of deaths at 22"
    elif node.dep_ in _OBJECT_DEPS or (
        node.dep_ in {"punct", "dep"} and node.head.i == node.i - 1 and node.like_num
    ):
        # ("surpasses 770" at a line's end, the number parsed as the verb's punctuation)
        verb = node.head
    if verb is not None and verb.pos_ in {"ADJ", "ADV"} and verb.dep_ in {"acomp", "advmod"}:
        verb = verb.head  # "could be as high as 900,000"
    if verb is None or verb.pos_ not in {"VERB", "AUX"}:
        return None
    return verb if verb.lemma_.lower() in TOTAL_VERBS else None


def owner_of(noun: Token) -> Token | None:
    """The noun whose complement ``noun`` is: "the deaths of 1,200 people" → deaths."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in OWNER_PREPOSITIONS:
        return None
    owner = prep.head
    if owner.pos_ in {"NOUN", "PROPN", "ADJ"} and owner.i != noun.i:
        return owner
    before = noun.doc[prep.i - 1] if prep.i > 0 else None
    if before is not None and before.pos_ == "NOUN" and is_measure_noun(before):
        return before  # "injuries to 4,444 people", the "to" hung on the verb
    return None


def predicate(noun: Token) -> Token | None:
    """The verb a counted noun is subject or object of, climbing coordination."""
    node = noun
    while node.dep_ == "conj":
        node = node.head
    if node.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "pobj"}:
        head = node.head
        if node.dep_ == "pobj":
            if head.lower_ == "of" and is_partitive_base(node):
                return None  # the 728 of "718 of the 728 drones" is the whole
            if head.lower_ in _NEW_FIGURE_PREPOSITIONS:
                return None  # "there were 13,560 casualties, with 5,614 deaths": its own
            head = head.head
            if head.pos_ in {"NOUN", "NUM"} and head.i != node.i and node.head.lower_ == "of":
                # "half of the soldiers", "718 of the drones" → the part's predicate
                return predicate(head)
        if head.pos_ in {"VERB", "AUX"} and not (node.dep_ == "pobj" and subject_of(head)):
            raised = next((c for c in head.children if c.dep_ == "xcomp"), None)
            if node.dep_ == "nsubjpass" and raised is not None and head.lemma_ in RAISING:
                return raised  # "500 troops are believed to have been killed"
            if node.dep_ == "dobj" and head.lemma_.lower() in REPORTING_VERBS:
                # "the IDF claims 15,000 militants ... have been killed": a misparse
                said = next(
                    (c for c in head.children if c.i > node.i and c.pos_ == "VERB"
                     and c.dep_ in {"ccomp", "conj"} and not _counted_elsewhere(c)),
                    None,
                )  # fmt: skip
                if said is not None:
                    return said
            return head
    # The parser hung the noun elsewhere ("said between 10 and 12 soldiers were
    # deployed"): a subjectless verb right after it is its predicate.
    after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if after is not None and after.dep_ in {"aux", "auxpass"} and subject_of(after.head) is None:
        return after.head
    return None


def _shares_with_a_later_figure(noun: Token, own: list[Cue]) -> bool:
    """Whether ``noun`` has a participle of its own and a figure coordinated after it:
    the verb they share is then the later one's."""
    if not any(c.place == "participle" and c.tokens.start > noun.i for c in own):
        return False
    return any(
        c.dep_ == "conj"
        and (c.like_num or c.lower_ in VAGUE_HEADS or any(g.dep_ == "nummod" for g in c.children))
        for c in noun.children
    )


def _counted_elsewhere(verb: Token) -> bool:
    """ "... and 15 people wounded": the verb has a subject with a figure of its own."""
    own = subject_of(verb)
    return own is not None and (own.like_num or any(c.dep_ == "nummod" for c in own.children))


def is_partitive_base(noun: Token) -> bool:
    """The whole of a part: "718 of the 728 drones", "seven of 13 missiles" → the 728
    drones, the 13 missiles (a figure of their own, not what happened to the part)."""
    counted = any(c.dep_ == "nummod" for c in noun.children)
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.like_num:
        return counted
    return False


def _climb(noun: Token) -> Token:
    """The top of a counted noun's phrase: "hundreds of local troops" → hundreds."""
    node = noun
    while node.dep_ == "conj" or (node.dep_ == "pobj" and node.head.lower_ == "of"):
        node = node.head if node.dep_ == "conj" else node.head.head
    return node


def negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def subject_of(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)


def is_measure_noun(tok: Token) -> bool:
    """ "casualties", "deaths", "bodies": a noun that names what happened, not who."""
    return _noun_measure(tok) is not None


def is_measure_word(tok: Token) -> bool:
    """ "injured", "dead", "displaced": a word before a noun that says what happened to it."""
    if _state_measure(tok) is not None:
        return True
    return tok.tag_ == "VBN" and MEASURE_VERBS.get(tok.lemma_.lower()) not in {None, "other"}


def _verb_measure(verb: Token, counted: str) -> Measure | None:
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    lemma = verb.lemma_.lower()
    measure = MEASURE_VERBS.get(lemma)
    wanted = VERB_COUNTS.get(lemma)
    if measure is not None and wanted is not None and wanted != counted:
        return None  # "lost ground", "lost 30 tanks"
    if measure is not None and set(counted.split()) & VERB_NEVER_COUNTS.get(measure, set()):
        return None  # "deployed 800 drones" (launched), "burned 5,000 acres" (no structure)
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


def _coordinated(noun: Token) -> set[int]:
    """The noun and the nouns coordinated with it: "773 bodies and 2,880 injured people"."""
    top = noun
    while top.dep_ == "conj":
        top = top.head
    return {top.i, noun.i, *(c.i for c in _conjuncts(top))}


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
