"""Token.sent answered from one index of sentence starts gives exactly spaCy's sentence for
every token, and a Doc without sentence boundaries keeps spaCy's own error."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from claimledger.nlp.pipeline import load_pipeline
from claimledger.nlp.sentences import index_sentences

TEXTS = [
    "The ministry said 40 people died. Rescuers were still searching on Tuesday.",
    'KYIV, March 3 (Wire) - Officials said. "We will rebuild," he said. Yes.',
    "One sentence only",
    "Headline without a stop\nThe governor said 12 homes burned.\n\nA.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_token_gets_spacys_own_sentence(text: str) -> None:
    doc = load_pipeline()(text)
    assert "sent" in doc.user_token_hooks  # the pipeline installed the index
    for sentence in doc.sents:  # Doc.sents is spaCy's own walk, not the hook
        for token in sentence:
            assert (token.sent.start, token.sent.end) == (sentence.start, sentence.end)


def test_a_doc_without_sentence_boundaries_keeps_spacys_lookup() -> None:
    doc = Doc(spacy.blank("en").vocab, words=["no", "parse", "here"])
    index_sentences(doc)
    assert "sent" not in doc.user_token_hooks
    with pytest.raises(ValueError):
        _ = doc[0].sent
