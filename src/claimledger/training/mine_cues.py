"""Mine cue verbs from PolNeAR's train split: for every verb that takes a clausal
complement, or failing that a direct object (the two shapes our extractor reads), how
often annotators marked it as a cue.

Writes ``src/claimledger/data/mined_cues.tsv`` (lemma, shape, times seen in that shape,
times a cue, share). Deterministic: the corpus is read in name order and the parse is the
shipped model's.

    python -m claimledger.training.mine_cues ../shared/polnear/train
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from spacy.tokens import Token

from claimledger.evaluation.polnear import load_split
from claimledger.nlp.pipeline import load_model

OUT = Path(__file__).resolve().parent.parent / "data" / "mined_cues.tsv"
COMPLEMENTS = {"ccomp", "xcomp", "parataxis"}
MIN_CUES = 3
MIN_SHARE = 0.5


def _shape(tok: Token) -> str | None:
    deps = {c.dep_ for c in tok.children}
    if deps & COMPLEMENTS:
        return "complement"
    if "dobj" in deps:
        return "object"
    return None


def mine(split: Path) -> list[tuple[str, str, int, int]]:
    """(lemma, shape, seen, cue) for verbs in each shape that were cues often enough."""
    articles = load_split(split)
    nlp = load_model()
    seen: Counter[tuple[str, str]] = Counter()
    cue: Counter[tuple[str, str]] = Counter()
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        cue_chars = {i for a in article.gold for s, e in a.cue for i in range(s, e)}
        for tok in doc:
            shape = _shape(tok) if tok.pos_ in {"VERB", "AUX"} else None
            if shape is None:
                continue
            key = (tok.lemma_.lower(), shape)
            seen[key] += 1
            if any(i in cue_chars for i in range(tok.idx, tok.idx + len(tok))):
                cue[key] += 1
    rows = [
        (lemma, shape, seen[key], cue[key])
        for key in seen
        for lemma, shape in [key]
        if cue[key] >= MIN_CUES and cue[key] / seen[key] >= MIN_SHARE
    ]
    return sorted(rows, key=lambda r: (r[1], -r[3], r[0]))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m claimledger.training.mine_cues POLNEAR_TRAIN_DIR", file=sys.stderr)
        return 2
    rows = mine(Path(argv[0]))
    lines = ["# lemma\tshape\tseen\tannotated_as_cue\tshare  (mined from PolNeAR train)"]
    lines += [f"{lemma}\t{shape}\t{n}\t{c}\t{c / n:.2f}" for lemma, shape, n, c in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} cue lemmas to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
