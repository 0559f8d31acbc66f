"""Mine cue verbs from PolNeAR's train split: for every verb that takes a clausal
complement (the shape our extractor looks for), how often annotators marked it as a cue.

Writes ``src/claimledger/data/mined_cues.tsv`` (lemma, times seen in that shape, times
a cue, share). Deterministic: the corpus is read in name order and the parse is the
shipped model's.

    python -m claimledger.training.mine_cues ../shared/polnear/train
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from claimledger.evaluation.polnear import load_split
from claimledger.nlp.pipeline import load_model

OUT = Path(__file__).resolve().parent.parent / "data" / "mined_cues.tsv"
COMPLEMENTS = {"ccomp", "xcomp", "parataxis"}
MIN_CUES = 3
MIN_SHARE = 0.5


def mine(split: Path) -> list[tuple[str, int, int]]:
    """(lemma, seen, cue) for verbs with complements that were cues often enough."""
    articles = load_split(split)
    nlp = load_model()
    seen: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        cue_chars = {i for a in article.gold for s, e in a.cue for i in range(s, e)}
        for tok in doc:
            if tok.pos_ not in {"VERB", "AUX"}:
                continue
            if not any(c.dep_ in COMPLEMENTS for c in tok.children):
                continue
            lemma = tok.lemma_.lower()
            seen[lemma] += 1
            if any(i in cue_chars for i in range(tok.idx, tok.idx + len(tok))):
                cue[lemma] += 1
    rows = [
        (lemma, seen[lemma], cue[lemma])
        for lemma in seen
        if cue[lemma] >= MIN_CUES and cue[lemma] / seen[lemma] >= MIN_SHARE
    ]
    return sorted(rows, key=lambda r: (-r[2], r[0]))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m claimledger.training.mine_cues POLNEAR_TRAIN_DIR", file=sys.stderr)
        return 2
    rows = mine(Path(argv[0]))
    lines = ["# lemma\tseen_with_complement\tannotated_as_cue\tshare  (mined from PolNeAR train)"]
    lines += [f"{lemma}\t{n}\t{c}\t{c / n:.2f}" for lemma, n, c in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} cue lemmas to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
