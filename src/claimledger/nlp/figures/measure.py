"""What happened to the counted thing, its measure: read from the counted noun's
predicate, the verbs on the noun and the noun itself."""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimledger.nlp.figures.vocabulary import (
    CAPTIVE_VERBS,
    CAPTIVE_WORDS,
    MEASURE_NOUNS,
    MEASURE_STATES,
    MEASURE_VERBS,
    RAISING,
    SUBJECT_SYNONYMS,
    TOTAL_VERBS,
    VERB_OBJECTS,
    VERB_PARTICLES,
)
from claimledger.records import Measure


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
            if head.pos_ == "NOUN":
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


def measure_of(noun: Token) -> tuple[Measure, Span | None, bool]:
    """What happened to the counted thing, from its predicate (and conjoined predicates)."""
    doc = noun.doc
    anchor = noun
    while anchor.dep_ == "conj":
        anchor = anchor.head
    pred = predicate(noun)
    candidates: list[Token] = []
    if pred is not None and pred.lemma_.lower() != "be":
        candidates.append(pred)
    candidates.extend(c for c in anchor.children if c.dep_ == "acl" and c.pos_ == "VERB")
    if pred is not None and pred.lemma_.lower() == "be":
        candidates.append(pred)
    for verb in candidates:
        lemma = verb.lemma_.lower()
        measure = MEASURE_VERBS.get(lemma)
        if lemma in CAPTIVE_VERBS and any(c.lower_ in CAPTIVE_WORDS for c in verb.children):
            return "captured", doc[verb.i : verb.i + 1], negated(verb)  # "taken prisoner"
        if lemma in TOTAL_VERBS:
            # "Russian losses reached 1,200 soldiers": the measure is the subject noun's
            total = subject_of(verb)
            if total is not None and total.lower_ in MEASURE_NOUNS:
                return MEASURE_NOUNS[total.lower_], doc[total.i : total.i + 1], negated(verb)
        state = next((c for c in verb.children if c.dep_ == "acomp"), None)
        state_word = state.lower_ if state is not None else ""
        if lemma == "be" and state is not None and state_word in MEASURE_STATES:
            # "were missing", "are dead": the state, not the copula, is the measure
            return MEASURE_STATES[state_word], doc[state.i : state.i + 1], negated(verb)
        if measure is None:
            continue
        shared = [c for c in verb.children if c.dep_ == "conj" and subject_of(c) is None]
        conj_measures = {MEASURE_VERBS.get(c.lemma_.lower()) for c in shared}
        span = doc[verb.i : verb.i + 1]
        if {measure, *conj_measures} >= {"killed", "wounded"}:
            last = max(shared, key=lambda t: t.i)
            return "killed_or_wounded", doc[verb.i : last.i + 1], negated(verb)
        wanted = VERB_OBJECTS.get(lemma)
        if wanted is not None and not any(
            c.dep_ in {"dobj", "nsubjpass"} and SUBJECT_SYNONYMS.get(c.lower_) == wanted
            for c in verb.children
        ):
            continue  # "lost ground"
        particles = VERB_PARTICLES.get(lemma)
        if particles is not None and not any(c.lower_ in particles for c in verb.children):
            continue  # "pulled the trigger"
        return measure, span, negated(verb)
    for c in noun.children:
        if c.dep_ in {"amod", "compound"} and c.lower_ in MEASURE_NOUNS:
            return MEASURE_NOUNS[c.lower_], doc[c.i : c.i + 1], False
    if noun.lower_ in MEASURE_NOUNS:
        return MEASURE_NOUNS[noun.lower_], doc[noun.i : noun.i + 1], False
    return "other", None, False


def negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def subject_of(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
