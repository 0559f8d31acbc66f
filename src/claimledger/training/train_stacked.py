"""Fit the accurate profile's cue decision: the parse-feature cue model and the role
tagger, stacked.

Stacking needs honest inputs. The role tagger never saw the held-out tenth of PolNeAR
train (:func:`claimledger.training.train_tagger.held_out`); here a parse-feature model is
fitted on the other nine tenths, and both score the held-out candidates. A logistic
regression over those few numbers (:func:`claimledger.nlp.cuemodel.tagger_features`)
decides; its threshold is chosen by 5-fold cross-validation grouped by article, on the
held-out articles alone. Written to ``src/claimledger/data/cue_model_stacked.json``.

    python -m claimledger.training.train_stacked ../shared/polnear/train --cache FILE
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claimledger.evaluation.polnear import load_split
from claimledger.nlp.attribution import candidates
from claimledger.nlp.cuemodel import STACKED_FILE, CueModel, tagger_features
from claimledger.nlp.roletagger import load_role_tagger
from claimledger.training.train_cues import FOLDS, _best_threshold, examples, parse, train
from claimledger.training.train_tagger import held_out

OUT = Path(__file__).resolve().parent.parent / "data" / STACKED_FILE


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimledger.training.train_stacked")
    parser.add_argument("split", type=Path, help="PolNeAR train folder")
    parser.add_argument("--cache", type=Path, help="file to keep the parse in between runs")
    parser.add_argument("--tagger", type=Path, help="folder of the role tagger to stack")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    articles = load_split(args.split)
    docs = parse(articles, args.cache)
    fit = [i for i in range(len(articles)) if not held_out(i)]
    held = [i for i in range(len(articles)) if held_out(i)]
    base, _ = train(examples([articles[i] for i in fit], [docs[i] for i in fit]), log=False)
    tagger = load_role_tagger(args.tagger)
    rows: list[dict[str, float]] = []
    labels: list[bool] = []
    groups: list[int] = []
    for i in held:
        doc, article = docs[i], articles[i]
        roles = tagger.token_probabilities(doc)
        cue_chars = {c for a in article.gold for s, e in a.cue for c in range(s, e)}
        for cand in candidates(doc):
            tok = cand.tok
            p = base.probability(cand.features())
            rows.append(tagger_features(p, roles, cand.cue(), cand.content, cand.source_tok))
            labels.append(any(c in cue_chars for c in range(tok.idx, tok.idx + len(tok))))
            groups.append(i)
    names = sorted(rows[0])
    x = np.array([[r[n] for n in names] for r in rows])
    y = np.array(labels)
    scores = np.zeros(len(y))
    for fit_idx, held_idx in GroupKFold(n_splits=FOLDS).split(x, y, np.array(groups)):
        clf = LogisticRegression(C=1.0, max_iter=1000)
        clf.fit(x[fit_idx], y[fit_idx])
        scores[held_idx] = clf.predict_proba(x[held_idx])[:, 1]
    threshold, f1 = _best_threshold(scores.tolist(), y.tolist())
    base_threshold, base_f1 = _best_threshold([r["base"] for r in rows], y.tolist())
    clf = LogisticRegression(C=1.0, max_iter=1000)
    clf.fit(x, y)
    model = CueModel(
        weights={n: float(w) for n, w in zip(names, clf.coef_[0], strict=True)},
        bias=float(clf.intercept_[0]),
        threshold=threshold,
    )
    stats = {
        "held_out_articles": len(held),
        "candidates": len(y),
        "positives": int(y.sum()),
        "cv_cue_f1": round(f1, 4),
        "parse_model_cue_f1": round(base_f1, 4),
    }
    args.out.write_text(
        model.to_json(trained_on=f"PolNeAR {args.split.name}, held-out tenth", **stats),
        encoding="utf-8",
    )
    print(f"wrote {args.out}: {model.weights} ({stats}); base threshold {base_threshold:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
