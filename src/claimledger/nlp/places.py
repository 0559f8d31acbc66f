"""Where a figure holds: the place its clause names after "in", "near", "at" ...

"12,000 North Korean soldiers deployed in the Kursk region" holds in Kursk; "sent to
Russia" names a destination, not where the figure holds, and gives no place. A place is a
proper noun, or a generic place word with a proper-noun compound ("the Kursk region"), as
the object of a locating preposition (the small English model often mislabels "Kursk", so
the parse decides, not the entity label); the key drops articles, possessors and generic
words so "the Kursk region", "Kursk oblast" and "Kursk" group together.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from claimledger.lexicon import words

# The place words are in data/lexicon/places.toml.
# Prepositions that say where: "in the Kursk region", "near Pokrovsk", "across Ukraine"
LOCATING = words("places.locating")
# Words that name the kind of place, not the place
GENERIC = words("places.generic")
_WORD = re.compile(r"[\w'’-]+")


def place_key(text: str) -> str:
    """ "the Kursk region" → "kursk"; "Russia's Kursk Oblast" → "kursk"."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    if any(w.endswith("'s") for w in words[:-1]):
        # "Russia's Kursk region": what follows the possessor, if it names something
        last = max(i for i, w in enumerate(words[:-1]) if w.endswith("'s"))
        if any(w not in GENERIC for w in words[last + 1 :]):
            words = words[last + 1 :]
    kept = [w for w in words if w not in GENERIC] or [w for w in words if w != "the"]
    return " ".join(kept or words)


# Entity types that a proper noun after "in" can have without being a place
NOT_PLACES = {"DATE", "TIME", "PERSON", "ORG", "NORP", "EVENT", "CARDINAL", "ORDINAL"}
NOT_PLACES |= {"MONEY", "PERCENT", "QUANTITY", "LAW", "LANGUAGE", "WORK_OF_ART"}


def _named_place(head: Token) -> Span | None:
    """The place a locating preposition's object names: a proper noun with its proper-noun
    compounds ("Pokrovsk", "New York"), or a generic place word with a proper-noun
    compound ("the Kursk region" → "Kursk region"); None for "the war", "January"."""
    doc = head.doc
    names = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if head.pos_ == "PROPN" or (head.lower_ in GENERIC and names):
        tokens = [*names, head]
    else:
        return None
    if any(t.ent_type_ in NOT_PLACES for t in tokens if t.pos_ == "PROPN"):
        return None
    return doc[min(t.i for t in tokens) : max(t.i for t in tokens) + 1]


def place_of(anchor: Token, scope: list[Span]) -> Span | None:
    """The place named after a locating preposition ("in", "near", "across" ...) within
    ``scope`` (the statement's content), nearest to the figure's ``anchor``."""
    best: tuple[int, Span] | None = None
    for part in scope:
        for tok in part:
            if tok.lower_ not in LOCATING or tok.dep_ != "prep":
                continue
            for obj in tok.children:
                if obj.dep_ != "pobj" or not (part.start <= obj.i < part.end):
                    continue
                place = _named_place(obj)
                if place is None:
                    continue
                distance = abs(obj.i - anchor.i)
                if best is None or distance < best[0]:
                    best = (distance, place)
    return best[1] if best else None
