"""Train the cue classifier (:mod:`claimledger.nlp.cuemodel`) on PolNeAR train.

Every verb candidate the extractor proposes is labelled a cue when a gold cue of the
first annotator covers it. A logistic regression (scikit-learn, liblinear) is fitted on
the candidates' features; its regularisation and the decision threshold are chosen by
5-fold cross-validation grouped by article, on train alone. Only the weights are written,
to ``src/claimledger/data/cue_model.json``.

Deterministic: articles in name order, the shipped parser, a fixed fold split and a solver
without randomness.

    python -m claimledger.training.train_cues ../shared/polnear/train [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, DocBin

from claimledger.evaluation.polnear import Article, load_split
from claimledger.nlp.attribution import candidates
from claimledger.nlp.cuemodel import MODEL_FILE, CueModel
from claimledger.nlp.pipeline import load_model

OUT = Path(__file__).resolve().parent.parent / "data" / MODEL_FILE
C_GRID = (0.03, 0.1, 0.3, 1.0)
FOLDS = 5
MIN_COUNT = 2  # features seen fewer times in train are dropped


@dataclass
class Example:
    group: int
    features: list[str]
    label: bool


def parse(articles: list[Article], cache: Path | None) -> list[Doc]:
    """The shipped model's parse of every article (read from ``cache`` when present)."""
    nlp = load_model()
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a.text for a in articles]:
            return docs
    docs = list(nlp.pipe((a.text for a in articles), batch_size=20))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        bin_ = DocBin(docs=docs)
        bin_.to_disk(cache)
    return docs


def examples(articles: list[Article], docs: list[Doc]) -> list[Example]:
    found = []
    for group, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        cue_chars = {i for a in article.gold for s, e in a.cue for i in range(s, e)}
        for cand in candidates(doc):
            tok = cand.tok
            label = any(i in cue_chars for i in range(tok.idx, tok.idx + len(tok)))
            found.append(Example(group, cand.features(), label))
    return found


def _best_threshold(scores: list[float], labels: list[bool]) -> tuple[float, float]:
    """The threshold with the best F1 of the cue decision, and that F1."""
    pairs = sorted(zip(scores, labels, strict=True), reverse=True)
    positives = sum(labels)
    tp = 0
    best = (0.5, 0.0)
    for k, (score, label) in enumerate(pairs, start=1):
        tp += label
        f1 = 2 * tp / (k + positives)
        if f1 > best[1]:
            best = (score, f1)
    return best


def train(data: list[Example], log: bool = True) -> tuple[CueModel, dict[str, float]]:
    """Cross-validate C, pick the threshold, refit on everything."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    counts: dict[str, int] = {}
    for ex in data:
        for f in ex.features:
            counts[f] = counts.get(f, 0) + 1
    rows = [{f: 1.0 for f in ex.features if counts[f] >= MIN_COUNT} for ex in data]
    vec = DictVectorizer()
    x = vec.fit_transform(rows).tocsr()
    # liblinear takes 32-bit indices only
    x.indices = x.indices.astype(np.int32)
    x.indptr = x.indptr.astype(np.int32)
    y = np.array([ex.label for ex in data])
    groups = np.array([ex.group for ex in data])
    folds = list(GroupKFold(n_splits=FOLDS).split(x, y, groups))
    best_c, best_f1, best_threshold = C_GRID[0], -1.0, 0.5
    for c in C_GRID:
        scores = np.zeros(len(y))
        for fit_idx, held_idx in folds:
            clf = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
            clf.fit(x[fit_idx], y[fit_idx])
            scores[held_idx] = clf.predict_proba(x[held_idx])[:, 1]
        threshold, f1 = _best_threshold(scores.tolist(), y.tolist())
        if log:
            print(f"C={c}: cross-validated cue F1 {f1:.3f} at threshold {threshold:.3f}")
        if f1 > best_f1:
            best_c, best_f1, best_threshold = c, f1, threshold
    clf = LogisticRegression(C=best_c, solver="liblinear", max_iter=1000)
    clf.fit(x, y)
    names = vec.get_feature_names_out()
    weights = {
        str(name): float(w) for name, w in zip(names, clf.coef_[0], strict=True) if abs(w) >= 1e-4
    }
    model = CueModel(weights=weights, bias=float(clf.intercept_[0]), threshold=best_threshold)
    stats = {
        "C": best_c,
        "cv_cue_f1": round(best_f1, 4),
        "candidates": len(data),
        "positives": int(y.sum()),
    }
    return model, stats


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimledger.training.train_cues")
    parser.add_argument("split", type=Path, help="PolNeAR train folder")
    parser.add_argument("--cache", type=Path, help="file to keep the parse in between runs")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    articles = load_split(args.split)
    docs = parse(articles, args.cache)
    data = examples(articles, docs)
    model, stats = train(data)
    args.out.write_text(
        model.to_json(trained_on=f"PolNeAR {args.split.name}", articles=len(articles), **stats),
        encoding="utf-8",
    )
    print(f"wrote {len(model.weights)} weights to {args.out} ({stats})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
