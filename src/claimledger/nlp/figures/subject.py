"""What a figure counts: the counted noun with the modifiers that tell groups apart
("North Korean soldiers"), and the key it is grouped by."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from claimledger.nlp.figures.numbers import SUFFIXED, suffix_after
from claimledger.nlp.figures.vocabulary import SUBJECT_SYNONYMS


def subject_of_noun(noun: Token, figure: Iterable[int] = ()) -> tuple[Span, str]:
    """ "North Korean soldiers" (modifiers kept; determiners, numbers and the ``figure``'s
    own tokens, such as "an estimated 2,000", dropped)."""
    taken = set(figure)
    doc = noun.doc
    start = noun.i
    for c in noun.lefts:
        if c.dep_ in {"amod", "compound", "nmod"} and not c.like_num:
            start = min(start, c.left_edge.i)
    while start < noun.i and (
        start in taken
        or SUFFIXED.match(doc[start].text) is not None
        or doc[start].like_num
        or doc[start].is_punct
        or (start > 0 and doc[start - 1].like_num and suffix_after(doc[start - 1]) is not None)
    ):
        start += 1
    span = doc[start : noun.i + 1]
    words = [t.lower_ for t in span[:-1]] + [SUBJECT_SYNONYMS.get(noun.lower_, noun.lower_)]
    return span, " ".join(words)
