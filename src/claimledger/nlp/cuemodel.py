"""The learned cue classifier: is this verb, with the content the parse gives it, an
attribution cue?

The rules in :mod:`claimledger.nlp.attribution.cues` propose a candidate for every verb that
has something to attribute (a clausal complement, an adjacent quote or a direct object)
and find its source and content from the parse. This model decides which candidates are
cues. It is a logistic regression over sparse features of the candidate (its lemma, the
shape of its complement, its subject, quotes around it, the curated and mined lexicons),
trained on PolNeAR train by :mod:`claimledger.training.train_cues` with scikit-learn.

Only the weights ship (``data/cue_model.json``); scoring is a sum of weights, so the
runtime needs neither scikit-learn nor numpy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from claimledger.errors import ModelMissingError
from claimledger.lexicon import words

MODEL_FILE = "cue_model.json"
# The accurate profile's decision: the model above and the role tagger's opinions, stacked.
STACKED_FILE = "cue_model_stacked.json"
MODEL_FORMAT = 1
# Read from the word lists here rather than through claimledger.nlp.attribution, whose
# package imports the cue decision, which imports this module.
FIRST_PERSON_SUBJECTS = words("cues.first_person_subjects")
SECOND_PERSON_SUBJECTS = words("cues.second_person_subjects")


@dataclass(frozen=True)
class CueModel:
    """Weights of a binary logistic regression over string features."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(
        self, features: Iterable[str], dense: Mapping[str, float] | None = None
    ) -> float:
        """P(cue) from binary ``features`` and real-valued ``dense`` ones."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        if dense:
            z += sum(self.weights.get(name, 0.0) * value for name, value in dense.items())
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def accepts(self, features: Iterable[str], dense: Mapping[str, float] | None = None) -> bool:
        return self.probability(features, dense) >= self.threshold

    def to_json(self, **meta: object) -> str:
        body = {
            "format": MODEL_FORMAT,
            **meta,
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 4),
            "weights": {f: round(w, 5) for f, w in sorted(self.weights.items())},
        }
        return json.dumps(body, ensure_ascii=False, indent=0) + "\n"

    @classmethod
    def from_json(cls, text: str) -> CueModel:
        body = json.loads(text)
        if body.get("format") != MODEL_FORMAT:
            raise ModelMissingError(
                f"cue model format {body.get('format')!r} is not {MODEL_FORMAT}; "
                "reinstall claimledger or re-run `make train`"
            )
        return cls(
            weights={str(k): float(v) for k, v in body["weights"].items()},
            bias=float(body["bias"]),
            threshold=float(body["threshold"]),
        )


@lru_cache(maxsize=2)
def load_cue_model(name: str = MODEL_FILE) -> CueModel | None:
    """The shipped model, or None when the package has none (the lexicons decide then)."""
    path = resources.files("claimledger.data").joinpath(name)
    if not path.is_file():
        return None
    return CueModel.from_json(path.read_text("utf-8"))


def _bucket(n: int) -> str:
    for limit in (1, 3, 6, 12, 25, 50):
        if n <= limit:
            return str(limit)
    return "more"


def _subject_kind(tok: Token | None) -> str:
    if tok is None:
        return "none"
    low = tok.lower_
    if low in FIRST_PERSON_SUBJECTS:
        return "first"
    if low in SECOND_PERSON_SUBJECTS:
        return "second"
    if tok.pos_ == "PRON":
        return "pron"
    if tok.ent_type_:
        return tok.ent_type_
    return tok.pos_


def cue_features(
    tok: Token,
    lemma: str,
    shape: str,
    content: Span,
    style: str,
    source: Token | None,
    in_quote: bool,
    lexicon: str,
) -> list[str]:
    """The features of one candidate. ``lexicon`` says which curated or mined list holds
    the lemma ("curated:say", "mined-object", "" ...)."""
    doc = tok.doc
    deps = [c.dep_ for c in tok.children]
    comp = next((c for c in tok.children if c.dep_ in {"ccomp", "xcomp", "parataxis"}), None)
    mark = "none"
    comp_pos = "none"
    if comp is not None:
        comp_pos = comp.pos_
        m = next((c for c in comp.children if c.dep_ in {"mark", "aux"} and c.i < comp.i), None)
        if m is not None:
            mark = m.lower_
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    subj_kind = _subject_kind(source)
    subj_lemma = source.lemma_.lower() if source is not None else "none"
    passive = "auxpass" in deps or "nsubjpass" in deps
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else "<s>"
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "</s>"
    before = content.end <= tok.i
    f = [
        f"lemma={lemma}",
        f"shape={shape}",
        f"lemma|shape={lemma}|{shape}",
        f"tag={tok.tag_}",
        f"dep={tok.dep_}",
        f"lemma|dep={lemma}|{tok.dep_}",
        f"head={tok.head.lemma_.lower() if tok.dep_ != 'ROOT' else 'ROOT'}",
        f"style={style}",
        f"lemma|style={lemma}|{style}",
        f"mark={mark}",
        f"lemma|mark={lemma}|{mark}",
        f"comp_pos={comp_pos}",
        f"shape|mark={shape}|{mark}",
        f"subj={subj_kind}",
        f"lemma|subj={lemma}|{subj_kind}",
        f"subj_lemma={subj_lemma}",
        f"passive={passive}",
        f"lemma|passive={lemma}|{passive}",
        f"neg={'neg' in deps}",
        f"modal={any(c.tag_ == 'MD' for c in tok.children)}",
        f"in_quote={in_quote}",
        f"in_quote|subj={in_quote}|{subj_kind}",
        f"prev={prev}",
        f"next={nxt}",
        f"content_len={_bucket(len(content))}",
        f"shape|len={shape}|{_bucket(len(content))}",
        f"content_before={before}",
        f"lexicon={lexicon or 'none'}",
        f"lexicon|shape={lexicon or 'none'}|{shape}",
        f"lexicon|subj={lexicon or 'none'}|{subj_kind}",
    ]
    if obj is not None:
        f.append(f"obj_pos={obj.pos_}")
        f.append(f"lemma|obj={lemma}|{obj.lemma_.lower()}")
        f.append(f"obj_ent={obj.ent_type_ or 'none'}")
    if tok.dep_ != "ROOT":
        f.append(f"lemma|head={lemma}|{tok.head.lemma_.lower()}")
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
    if prt is not None:
        f.append(f"lemma|prt={lemma}|{prt}")
    if any(t.text in {"“", "”", '"', "''"} for t in content):
        f.append("content_has_quote")
    return f


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def tagger_features(
    base: float,
    roles: Sequence[tuple[float, float, float]],
    cue: Span,
    content: Span,
    source: Token | None,
) -> dict[str, float]:
    """The stacked decision's inputs: the parse model's probability ``base`` and what the
    role tagger says of the candidate's cue, content and source words (log-odds)."""
    # a candidate's cue span can be empty (seen on real news): the tagger then backs nothing
    cue_p = max((roles[t.i][0] for t in cue), default=0.0)
    content_p = sum(roles[t.i][2] for t in content) / max(1, len(content))
    source_p = roles[source.i][1] if source is not None else 0.0
    return {
        "base": _logit(base),
        "tagger_cue": _logit(cue_p),
        "tagger_content": _logit(content_p),
        "tagger_source": _logit(source_p),
        "no_source": float(source is None),
    }
