"""What a figure counts: who or what is counted, with the modifiers that tell groups apart
("North Korean soldiers"), and the key it is grouped by. The noun that carries the number
is not always it: "1,000 deaths" counts people, "Ruritanian casualties" Ruritanians, "the
death toll among migrants" migrants, "40% of those killed" people."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from claimledger.nlp.figures.measure import is_measure_noun, is_measure_word
from claimledger.nlp.figures.numbers import SUFFIXED, suffix_after
from claimledger.nlp.figures.vocabulary import (
    OWNER_PREPOSITIONS,
    PEOPLE,
    PLURALS,
    SUBJECT_SYNONYMS,
    TOTAL_NOUNS,
)

# Words that say how a figure stands to others, not who is counted: "200 more soldiers",
# "another 40 civilians", "1,500 additional troops", "a record 728 drones".
_ADDED = frozenset(
    {"more", "another", "additional", "further", "other", "extra", "record", "total", "combined"}
)


def subject_of_noun(noun: Token, figure: Iterable[int] = ()) -> tuple[Span, str]:
    """ "North Korean soldiers" (modifiers kept; determiners, numbers, the ``figure``'s
    own tokens, such as "an estimated 2,000", and measure words, such as the "injured" of
    "2,880 injured people", dropped)."""
    taken = set(figure)
    doc = noun.doc
    start = noun.i
    for c in noun.lefts:
        if c.dep_ in {"amod", "compound", "nmod"} and not c.like_num:
            start = min(start, c.left_edge.i)
    while start < noun.i and (
        start in taken
        or is_measure_word(doc[start])
        or SUFFIXED.match(doc[start].text) is not None
        or doc[start].like_num
        or doc[start].is_punct
        or doc[start].is_space
        or doc[start].lower_ in _ADDED
        or (start > 0 and doc[start - 1].like_num and suffix_after(doc[start - 1]) is not None)
    ):
        start += 1
    span = doc[start : noun.i + 1]
    # the words as written ("Iskander-M missiles", "local, state and federal authorities"),
    # lower-cased, with the head noun's synonym
    head = SUBJECT_SYNONYMS.get(noun.lower_, noun.lower_)
    # a modifier that names the same group goes: "Russian military personnel" → russian
    # soldiers
    before = "".join(
        t.text_with_ws for t in span[:-1] if SUBJECT_SYNONYMS.get(t.lower_) != head
    ).lower()
    key = " ".join((before + head).split())
    return span, key


def subject_of_figure(noun: Token, figure: Iterable[int] = ()) -> tuple[Span | None, str]:
    """Who or what a figure on ``noun`` counts. A noun that names what happened
    ("casualties", "deaths", "the toll", "the number") or a pronoun ("those", "whom") is
    not it: its owner is ("the toll among migrants"), else the group its modifiers name
    ("Ruritanian casualties" → Ruritanians, "civilian deaths" → civilians), else people."""
    if not _names_no_one(noun):
        return subject_of_noun(noun, figure)
    owner = _owner(noun)
    if owner is not None:
        return subject_of_figure(owner)
    if noun.pos_ == "PRON":
        antecedent = _antecedent(noun)
        if antecedent is not None:
            return subject_of_figure(antecedent)
        return None, PEOPLE
    group = [c for c in noun.lefts if c.dep_ in {"amod", "compound", "nmod"} and _names_people(c)]
    if not group:
        return None, PEOPLE
    span = noun.doc[group[0].i : group[-1].i + 1]
    words = [t.lower_ for t in group]
    words[-1] = _plural(group[-1])
    return span, " ".join(words)


def _names_no_one(noun: Token) -> bool:
    if noun.pos_ == "PRON":
        return True
    low, lemma = noun.lower_, noun.lemma_.lower()
    if low == "others":
        return True  # "seven in Kerr County and 12 others reported missing"
    if low in SUBJECT_SYNONYMS:
        return False
    return low in TOTAL_NOUNS or lemma in TOTAL_NOUNS or is_measure_noun(noun)


def _owner(noun: Token) -> Token | None:
    """ "the death toll among migrants" → migrants; "casualties of the fighting" is no one."""
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ not in OWNER_PREPOSITIONS:
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj" and (
                obj.pos_ == "PRON" or obj.lower_ in SUBJECT_SYNONYMS or _names_people(obj)
            ):
                return obj
    return None


def _antecedent(pronoun: Token) -> Token | None:
    """ "the 300 soldiers, of whom ..." → soldiers: the noun a relative clause hangs on."""
    node = pronoun
    while node.head.i != node.i and node.dep_ not in {"relcl", "acl"}:
        node = node.head
    if node.dep_ in {"relcl", "acl"} and node.head.pos_ in {"NOUN", "PROPN"}:
        return node.head
    return None


def _names_people(tok: Token) -> bool:
    """A word that names a group of people: a nationality or affiliation ("Ruritanian",
    "Palestinians", "NORP"), "civilian", "migrant", "military"."""
    low = tok.lower_
    if low in SUBJECT_SYNONYMS or low in PLURALS:
        return True
    if tok.ent_type_ in {"NORP"}:
        return True
    return tok.pos_ in {"ADJ", "PROPN", "NOUN"} and (
        low.endswith(("an", "ans", "ian", "ians")) or low in PLURALS.values()
    )


def _plural(tok: Token) -> str:
    """The group a word names, as a plural noun: "Ruritanian" → "ruritanians",
    "civilian" → "civilians", "military" → "soldiers", "child" → "children"."""
    low = tok.lower_
    if low in SUBJECT_SYNONYMS:
        return SUBJECT_SYNONYMS[low]
    if low in PLURALS:
        return PLURALS[low]
    if low.endswith(("s", "ese", "ish", "ch")):
        return low
    return low + "s"
