"""The accurate profile's second opinion: the MiniLM role tagger's per-word P(cue),
P(source), P(content) (:mod:`claimledger.nlp.roletagger`) widen a cue, move a content's
end, and add the attributions the parse proposed no candidate for."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from claimledger.nlp.attribution.circumstances import hedges, stated_time
from claimledger.nlp.attribution.intermediaries import via_phrases
from claimledger.nlp.attribution.quotes import is_quote
from claimledger.nlp.attribution.raw import RawAttribution
from claimledger.nlp.attribution.settings import Thresholds
from claimledger.nlp.attribution.syntax import tokens_of, trim
from claimledger.nlp.attribution.vocabulary import CUE_VERBS

# Per token: the role tagger's P(cue), P(source), P(content).
Roles = Sequence[tuple[float, float, float]]

# Where a content may end instead of where the parse ended it.
BREAKS = {",", ";", ":", "—", "–", "--", "(", ")"}


def tagged_cue(cue: Span, roles: Roles, others: list[Span], tagged_min: float) -> Span:
    """Widen a cue over the neighbouring words the role tagger also reads as cue (with
    P(cue) ≥ ``tagged_min``: "made a surprise decision to", "took to Twitter to"), never
    into its content or source."""
    doc = cue.doc
    blocked = tokens_of(others)
    start, end = cue.start, cue.end
    sent = cue.sent
    while start > sent.start and start - 1 not in blocked and roles[start - 1][0] >= tagged_min:
        start -= 1
    while end < sent.end and end not in blocked and roles[end][0] >= tagged_min:
        end += 1
    return cue if (start, end) == (cue.start, cue.end) else doc[start:end]


def tagged_end(
    content: Span, sent: Span, roles: Roles, exclude: tuple[int, Token | None] = (-1, None)
) -> Span:
    """Move the end of an indirect content to where the role tagger says it ends: among
    the end the parse gave, the sentence's end and every clause break between them, the
    one whose words the tagger most agrees are content (the sum of P(content) − 0.5 over
    the words it takes in or leaves out). The content never runs over its own cue and
    source, nor over words the tagger takes for another cue or source."""
    doc = content.doc
    cue_i, source = exclude
    stop = sent.end
    for i in range(content.end, sent.end):
        if i == cue_i or (source is not None and i == source.i) or max(roles[i][:2]) >= 0.5:
            stop = i
            break
    ends = {content.end, stop}
    ends.update(i for i in range(content.start + 1, stop) if doc[i].text in BREAKS)
    best, best_score = content.end, 0.0
    for end in sorted(ends):
        lo, hi = sorted((end, content.end))
        gain = sum(roles[i][2] - 0.5 for i in range(lo, hi))
        score = gain if end > content.end else -gain
        if score > best_score:
            best, best_score = end, score
    if best == content.end:
        return content
    trimmed = trim(doc, content.start, best)
    return trimmed if len(trimmed) else content


def _role_runs(sent: Span, roles: Roles, role: int, tagged_min: float) -> list[tuple[int, int]]:
    """Maximal runs of tokens the tagger gives ``role``; punctuation inside a content run
    does not break it."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for tok in sent:
        if roles[tok.i][role] >= tagged_min:
            start = tok.i if start is None else start
            end = tok.i + 1
        elif start is not None and not (role == 2 and tok.is_punct and not is_quote(tok)):
            found.append((start, end))
            start = None
    if start is not None:
        found.append((start, end))
    return found


def _nearest(runs: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The run closest to [start, end) that does not overlap it."""
    apart = [(s, e) for s, e in runs if e <= start or s >= end]
    if not apart:
        return None
    return min(apart, key=lambda r: r[0] - end if r[0] >= end else start - r[1])


def tagged_attributions(
    doc: Doc,
    roles: Roles,
    found: list[RawAttribution],
    times: Sequence[Span] = (),
    thresholds: Thresholds | None = None,
) -> list[RawAttribution]:
    """Attributions the role tagger sees and the parse gave no candidate for (copulas,
    adjectives, fragments): a run of cue words outside every attribution found, with the
    nearest run of content words (at least ``tagged_min_content``) and of source words in
    its sentence. ``thresholds`` defaults to the component's."""
    limits = thresholds or Thresholds.defaults()
    taken = tokens_of(
        span
        for a in found
        for span in (a.cue, a.content, a.source, *(p for v in a.via for p in (v.cue, v.name)))
        if span is not None
    )
    extra: list[RawAttribution] = []
    for sent in doc.sents:
        # "according to X", "as reported by X": intermediaries, not cues
        taken |= tokens_of(phrase for _, phrase in via_phrases(sent))
        contents = [
            r
            for r in _role_runs(sent, roles, 2, limits.tagged_min)
            if r[1] - r[0] >= limits.tagged_min_content
        ]
        for cue_start, cue_end in _role_runs(sent, roles, 0, limits.tagged_min):
            if any(i in taken for i in range(cue_start, cue_end)):
                continue
            if max(roles[i][0] for i in range(cue_start, cue_end)) < limits.tagged_new_cue:
                continue
            where = _nearest(contents, cue_start, cue_end)
            if where is None:
                continue
            content = trim(doc, *where)
            if len(content) == 0:
                continue
            sources = [
                r
                for r in _role_runs(sent, roles, 1, limits.tagged_min)
                if r[1] <= where[0] or r[0] >= where[1]
            ]
            near = _nearest(sources, cue_start, cue_end)
            cue = doc[cue_start:cue_end]
            source = doc[near[0] : near[1]] if near is not None else None
            lemma = cue.root.lemma_.lower()
            kind, certainty = CUE_VERBS.get(lemma, ("attitude", "asserted"))
            exclude = [cue, content] + ([source] if source is not None else [])
            extra.append(
                RawAttribution(
                    cue=cue,
                    cue_lemma=lemma,
                    cue_kind=kind,
                    cue_certainty=certainty,
                    content=content,
                    style="indirect",
                    source=source,
                    stated=stated_time(cue.root, list(times), exclude),
                    hedges=hedges(content),
                )
            )
            taken.update(range(cue_start, cue_end))
            taken.update(range(content.start, content.end))
    return extra
