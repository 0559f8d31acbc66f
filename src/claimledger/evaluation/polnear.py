"""PolNeAR: read the corpus (brat standoff), run an extractor over it, score it.

A split folder holds ``text/<name>.txt`` and ``attributions/<name>_<annotator>.ann``;
where an article was annotated twice, the first annotator in sorted order is used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.errors import InputError
from claimledger.evaluation.metrics import Scores, score_document
from claimledger.records import Document, Spans, document_id
from claimledger.render.brat import BratAttribution, brat_attributions

_ID_LINE = re.compile(r"^[TE]\d+\t")

System = Callable[[Doc], list[BratAttribution]]


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    gold: tuple[BratAttribution, ...]


def parse_ann(ann: str) -> list[BratAttribution]:
    """The attributions of a PolNeAR ``.ann`` file (Content2 merged into Content)."""
    spans: dict[str, Spans] = {}
    events: list[dict[str, list[str]]] = []
    for line in ann.splitlines():
        # a span's text may hold a newline: its continuation line carries no id
        if not _ID_LINE.match(line):
            continue
        if line.startswith("T"):
            tid, body, *_ = line.split("\t")
            _, offsets = body.split(" ", 1)
            pairs = []
            for part in offsets.split(";"):
                start, end = part.split()
                pairs.append((int(start), int(end)))
            spans[tid] = tuple(pairs)
        elif line.startswith("E"):
            _, body = line.split("\t", 1)
            roles: dict[str, list[str]] = {}
            for arg in body.split():
                role, ref = arg.split(":", 1)
                roles.setdefault(role.rstrip("0123456789"), []).append(ref)
            events.append(roles)
    found = []
    for roles in events:
        cue = tuple(p for ref in roles.get("Cue", []) for p in spans.get(ref, ()))
        content = tuple(p for ref in roles.get("Content", []) for p in spans.get(ref, ()))
        source = tuple(p for ref in roles.get("Source", []) for p in spans.get(ref, ()))
        if not cue and not content:
            continue
        found.append(BratAttribution(source or None, cue, content))
    return found


def load_split(folder: Path) -> list[Article]:
    """Every article of a split folder, in name order."""
    text_dir, ann_dir = folder / "text", folder / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise InputError(
            f"{folder}: not a PolNeAR split (expected text/ and attributions/ inside); "
            "give e.g. ../shared/polnear/dev or the corpus folder with --split"
        )
    anns: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(name, ann)
    articles = []
    for txt in sorted(text_dir.glob("*.txt")):
        ann_path = anns.get(txt.stem)
        if ann_path is None:
            continue
        articles.append(
            Article(
                name=txt.stem,
                text=txt.read_text("utf-8"),
                gold=tuple(parse_ann(ann_path.read_text("utf-8"))),
            )
        )
    return articles


def ours(doc: Doc) -> list[BratAttribution]:
    """claimledger's extractor, exactly as ``analyze --format brat`` writes it."""
    from claimledger.extract import analyze_doc

    document = Document(id=document_id(doc.text), text=doc.text)
    return brat_attributions(analyze_doc(doc, document))


def rules_only(doc: Doc) -> list[BratAttribution]:
    """The extractor with the learned cue model switched off: the lexicons decide."""
    from claimledger.nlp.attribution import ATTRIBUTIONS_ATTR, find_attributions

    learned = doc._.get(ATTRIBUTIONS_ATTR)
    doc._.set(ATTRIBUTIONS_ATTR, find_attributions(doc, None))
    try:
        return ours(doc)
    finally:
        doc._.set(ATTRIBUTIONS_ATTR, learned)


BASELINE_VERBS = {
    "say",
    "tell",
    "report",
    "claim",
    "add",
    "state",
    "announce",
    "write",
    "explain",
    "note",
    "argue",
    "warn",
    "believe",
    "think",
    "suggest",
    "insist",
}


def baseline(doc: Doc) -> list[BratAttribution]:
    """The few-line baseline: a reporting verb with a clausal complement; source = its
    subject, cue = the verb, content = the complement."""
    found = []
    for tok in doc:
        comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        if tok.lemma_.lower() not in BASELINE_VERBS or comp is None:
            continue
        subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        content = doc[comp.left_edge.i : comp.right_edge.i + 1]
        source = (
            ((doc[subj.left_edge.i].idx, doc[subj.right_edge.i].idx + len(doc[subj.right_edge.i])),)
            if subj is not None
            else None
        )
        found.append(
            BratAttribution(
                source, ((tok.idx, tok.idx + len(tok)),), ((content.start_char, content.end_char),)
            )
        )
    return found


SYSTEMS: dict[str, System] = {"claimledger": ours, "rules": rules_only, "baseline": baseline}


def evaluate(
    articles: list[Article],
    nlp: Language,
    systems: dict[str, System],
    *,
    on_document: Callable[[], None] | None = None,
    n_process: int = 1,
) -> dict[str, Scores]:
    """Score each system on the articles; the parse is shared between systems."""
    scores = {name: Scores() for name in systems}
    texts = (a.text for a in articles)
    for article, doc in zip(articles, nlp.pipe(texts, n_process=n_process), strict=True):
        for name, system in systems.items():
            score_document(scores[name], article.text, article.gold, system(doc))
        if on_document is not None:
            on_document()
    return scores


def markdown(scores: dict[str, Scores], *, title: str, machine: str) -> str:
    """A BENCHMARKS.md section."""
    lines = [
        f"### {title}",
        "",
        f"{dt.date.today().isoformat()} · {machine} · "
        f"{next(iter(scores.values())).documents} documents",
        "",
        "| system | attr P | attr R | attr F1 | strict F1 | source right | "
        "content F1 | source F1 | cue F1 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, s in scores.items():
        a, t = s.attributions, s.tokens
        lines.append(
            f"| {name} | {a.precision:.3f} | {a.recall:.3f} | {a.f1:.3f} | {s.strict.f1:.3f} "
            f"| {s.source_accuracy:.3f} | {t['content'].f1:.3f} | {t['source'].f1:.3f} "
            f"| {t['cue'].f1:.3f} |"
        )
    return "\n".join(lines) + "\n"
