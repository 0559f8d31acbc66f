"""All attributions of a parsed doc: sentence by sentence, the candidates the cue decision
accepts, with their sources, intermediaries, channels, statement times and hedges; then
the attributions the layout makes and those the role tagger adds; then their nesting."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from claimledger.nlp.attribution.circumstances import (
    audience_of,
    channel_for,
    hedges,
    stated_time,
)
from claimledger.nlp.attribution.contents import continuation, with_tails
from claimledger.nlp.attribution.cues import is_cue, token_candidate
from claimledger.nlp.attribution.intermediaries import according_to_content, via_phrases
from claimledger.nlp.attribution.quotes import quote_spans
from claimledger.nlp.attribution.raw import TIME_SPANS_KEY, RawAttribution, RawVia
from claimledger.nlp.attribution.roles import Roles, tagged_attributions, tagged_cue, tagged_end
from claimledger.nlp.attribution.settings import Thresholds
from claimledger.nlp.attribution.speakers import (
    fallback_source,
    impersonal,
    inverted_speaker,
    line_attributions,
    post_attributions,
    speaker_in_content,
)
from claimledger.nlp.attribution.syntax import agent_of, source_span, subject_of, tokens_of, trim
from claimledger.nlp.attribution.vocabulary import (
    CITING_VERBS,
    COUNT_VERB_PREPS,
    COUNT_VERBS,
    CUE_VERBS,
    FIRST_PERSON,
    NOUN_CUES,
    REPORT_NOUNS,
    SPEECH_VERBS,
)
from claimledger.nlp.cuemodel import CueModel
from claimledger.nlp.sources import (
    GROUP_NOUNS,
    ORG_WORDS,
    OUTLET_WORDS,
    PERSON_ROLES,
    QUANTIFIERS,
)
from claimledger.nlp.time.component import find_time_spans

# Nouns of someone who can be cited: "citing officials", "citing the ministry".
SPEAKERS = GROUP_NOUNS | ORG_WORDS | OUTLET_WORDS | PERSON_ROLES


def find_attributions(
    doc: Doc,
    model: CueModel | None = None,
    roles: Roles | None = None,
    stacked: CueModel | None = None,
    thresholds: Thresholds | None = None,
) -> list[RawAttribution]:
    """All attributions in a parsed doc, in text order, with nesting and via chains.
    ``model`` decides which verbs are cues; None leaves it to the lexicons. With the role
    tagger's per-token ``roles`` and a ``stacked`` model, the two decide together.
    ``thresholds`` defaults to the component's."""
    limits = thresholds or Thresholds.defaults()
    quotes = quote_spans(doc)
    times = list(doc.spans[TIME_SPANS_KEY]) if TIME_SPANS_KEY in doc.spans else find_time_spans(doc)
    found: list[RawAttribution] = []
    for sent in doc.sents:
        found.extend(_sentence_attributions(sent, quotes, times, model, limits, roles, stacked))
    taken = tokens_of(a.content for a in found)
    found.extend(a for a in line_attributions(doc) if a.content.start not in taken)
    found.extend(a for a in post_attributions(doc) if not taken & set(range(*_bounds(a))))
    if roles is not None:
        found.extend(tagged_attributions(doc, roles, found, times, limits))
    found.sort(key=lambda a: (a.cue.start, a.content.start))
    _link_nesting(found)
    return found


def _doubled_subject(tok: Token) -> Token | None:
    """ "Min Aung Hlaing said also said there were ...": a cue verb written twice (a copy
    slip); the second takes the first one's subject."""
    doc = tok.doc
    for c in tok.children:
        if (
            c.dep_ in {"parataxis", "conj"}
            and c.i < tok.i
            and c.lemma_ == tok.lemma_
            and all(t.pos_ == "ADV" for t in doc[c.i + 1 : tok.i])
        ):
            return subject_of(c)
    return None


def _counted_patient(tok: Token) -> bool:
    """The passive subject of a cue verb that is a figure or a counted group: what was
    found or confirmed, not who found it."""
    if tok.dep_ != "nsubjpass":
        return False
    return (
        tok.tag_ == "CD"
        or tok.lower_ in QUANTIFIERS
        or any(c.dep_ == "nummod" for c in tok.children)
    )


def _bounds(a: RawAttribution) -> tuple[int, int]:
    return a.content.start, a.content.end


def _sentence_attributions(
    sent: Span,
    quotes: list[Span],
    times: list[Span],
    model: CueModel | None,
    limits: Thresholds,
    roles: Roles | None = None,
    stacked: CueModel | None = None,
) -> list[RawAttribution]:
    vias = via_phrases(sent)
    via_tokens = tokens_of(phrase for _, phrase in vias)
    results: list[RawAttribution] = []
    for tok in sent:
        if tok.i in via_tokens:
            continue
        unattributed = impersonal(tok)
        if unattributed is not None:
            results.append(unattributed)
            continue
        cand = token_candidate(tok, quotes)
        if cand is None or not is_cue(cand, model, roles, stacked):
            continue
        if cand.in_quote and (cand.source_tok is None or cand.source_tok.lower_ in FIRST_PERSON):
            # "“I think X,” he said": the speaker's own words, reported once, by "said"
            continue
        lemma, content, style, source_tok = cand.lemma, cand.content, cand.style, cand.source_tok
        if roles is not None and style != "direct":
            content = tagged_end(content, sent, roles, exclude=(tok.i, source_tok))
        more = continuation(tok, content, quotes) if style == "direct" else None
        tails: list[Span] = []
        if style != "direct" and (
            cand.shape == "complement" or (cand.shape == "object" and lemma in SPEECH_VERBS)
        ):
            # a clause, or what a reporting verb reports ("reported 41 more deaths, bringing
            # the toll to ..."), never what someone was blamed for or talked about
            content, tails = with_tails(tok, content)
        if cand.shape.startswith("noun:"):
            kind, certainty = "noun", NOUN_CUES.get(lemma, "asserted")
        elif cand.shape == "predicate" or (
            cand.shape == "object" and (lemma in COUNT_VERBS or lemma in COUNT_VERB_PREPS)
        ):
            kind, certainty = "indicate", "asserted"
        else:
            kind, certainty = CUE_VERBS.get(lemma, ("attitude", "asserted"))
        if source_tok is not None and source_tok.head == tok and _counted_patient(source_tok):
            continue  # "Many were confirmed to be safe", "seven detainees were found dead"
        if source_tok is not None:
            source: Span | None = source_span(source_tok)
        elif cand.shape.startswith("noun:"):
            source = None
        elif (inverted := inverted_speaker(tok, content)) is not None:
            source = source_span(inverted)
        elif (inside := speaker_in_content(tok, content)) is not None:
            source, content = inside
        elif (twin := _doubled_subject(tok)) is not None:
            source = source_span(twin)
        else:
            source = fallback_source(tok, content, vias, limits.fallback_max_tokens)
        if source is not None and len(source) == 0:
            source = None
        cue = cand.cue()
        if roles is not None:
            cue = tagged_cue(
                cue, roles, [content] + ([source] if source is not None else []), limits.tagged_min
            )
        exclude = [content, cue, *tails] + ([source] if source is not None else [])
        results.append(
            RawAttribution(
                cue=cue,
                cue_lemma=lemma,
                cue_kind=kind,
                cue_certainty=certainty,
                content=content,
                content_more=([more] if more is not None else []) + tails,
                style=style,
                source=source,
                stated=stated_time(tok, times, exclude),
                channel=channel_for(tok, exclude),
                audience=audience_of(tok, exclude),
                hedges=[h for part in (content, *tails) for h in hedges(part)],
            )
        )
    results = _final_relay(_citing(_drop_contained_duplicates(results)), sent)
    cued = list(results)
    phrases = [phrase for _, phrase in vias]
    for via, phrase in vias:
        host = _host(cued, phrase)
        if host is not None:
            host.via.insert(0, via)
            continue
        if via.cue is None:
            continue
        governed = according_to_content(sent, phrase, phrases, [r.content for r in cued])
        if governed is None:
            continue
        rest, after = governed
        rest = _before_own_statements(rest, cued, via)
        results.append(
            RawAttribution(
                cue=via.cue,
                cue_lemma="according to",
                cue_kind="according-to",
                cue_certainty="asserted",
                content=rest,
                content_more=after,
                style="according-to",
                source=via.name,
                stated=None,
                hedges=[h for part in (rest, *after) for h in hedges(part)],
            )
        )
    return results


def _host(cued: list[RawAttribution], phrase: Span) -> RawAttribution | None:
    """The cue an intermediary phrase belongs to ("According to CNN, the general said
    ..."): the cue verb the phrase hangs from, or, for a phrase opening the sentence, the
    sentence's main cue verb with a speaker of its own. A phrase inside a cue's content,
    or hanging from a clause no cue governs, is a statement of its own."""
    anchor = phrase.root  # "according", or the verb of "as reported by"
    head = anchor.head
    opening = all(
        t.is_punct or t.is_space or t.dep_ in {"cc", "advmod"}
        for t in phrase.doc[phrase.sent.start : phrase.start]
    )
    for r in cued:
        if r.style in {"unattributed", "according-to"}:
            continue
        if r.content.start <= phrase.start < r.content.end:
            continue
        verb = r.cue.root
        if head == verb and head != anchor:
            return r
        if (
            opening
            and r.source is not None
            and verb.dep_ == "ROOT"
            and r.content.start >= phrase.end
        ):
            return r
    return None


def _before_own_statements(content: Span, cued: list[RawAttribution], via: RawVia) -> Span:
    """ "According to X, 40 bodies were found, noting that the toll could rise": a cue with
    no subject of its own that hangs from the clause X governs is X's too (not the
    clause's subject's: the bodies note nothing), and a statement of its own, not part of
    the first."""
    doc = content.doc
    end = content.end
    for r in cued:
        verb = r.cue.root
        if (
            subject_of(verb) is None
            and agent_of(verb) is None
            and r.style != "unattributed"
            and content.start < r.cue.start < end
            and verb.tag_ == "VBG"
            and verb.dep_ in {"advcl", "conj", "xcomp"}
        ):
            r.source = via.name
            end = min(end, r.cue.start)
    if end == content.end:
        return content
    cut = trim(doc, content.start, end)
    return cut if len(cut) else content


def _citing(results: list[RawAttribution]) -> list[RawAttribution]:
    """ "The Times reported on Sunday, citing unnamed officials, that ...", "Citing hospital
    sources, the agency said ...": the statement is the officials', passed on by the
    outlet. The citing participle is no statement of its own: its object becomes the
    reporting cue's source, the cue's subject goes first in its via chain, and the citing
    phrase leaves the content."""
    kept: list[RawAttribution] = []
    for r in results:
        verb = r.cue.root
        host = None
        if r.cue_lemma in CITING_VERBS and verb.tag_ == "VBG" and _names_a_speaker(r.content):
            host = next(
                (
                    h
                    for h in results
                    if h is not r
                    and h.style != "unattributed"
                    and (h.cue.root == verb.head or h.content.start <= verb.i < h.content.end)
                ),
                None,
            )
        if host is None:
            kept.append(r)
            continue
        if host.source is not None:
            host.via.insert(0, RawVia(name=host.source, cue=None))
        host.source = r.content
        host.content = _without(host.content, verb.left_edge.i, r.content.end)
    return kept


def _final_relay(results: list[RawAttribution], sent: Span) -> list[RawAttribution]:
    """ "The toll has passed 400, the governor said on Monday, with 900 injured, reports
    Radio Meridian.": a reporting clause that closes a sentence in which someone else
    already speaks relays all of it. Its content is the sentence before it (so the
    governor's statement nests in it, with the outlet in its via chain), and the statement
    before no longer runs on into it."""
    doc = sent.doc
    for r in results:
        if r.source is None or r.style == "direct" or r.cue_lemma not in SPEECH_VERBS:
            continue
        start = min(r.cue.start, r.source.start)
        end = max(r.cue.end, r.source.end)
        if not all(t.is_punct or t.is_space for t in doc[end : sent.end]):
            continue
        if start == 0 or doc[start - 1].text != ",":
            continue
        before = [
            h
            for h in results
            if h is not r
            and h.source is not None
            and h.cue.end <= start
            and h.content.start < start
            and h.style != "unattributed"
        ]
        if not before:
            continue
        relayed = trim(doc, sent.start, start)
        if len(relayed) == 0:
            continue
        r.content, r.content_more = relayed, []
        for h in before:
            h.content_more = [
                part if part.end <= start else trim(doc, part.start, start)
                for part in h.content_more
                if part.start < start
            ]
            h.content_more = [part for part in h.content_more if len(part)]
    return results


def _names_a_speaker(span: Span) -> bool:
    """ "unnamed officials", "hospital sources", "the governor", "a UN report", "Reuters":
    someone who can say something, not "health concerns"."""
    head = span.root
    lemma = head.lemma_.lower()
    if lemma in REPORT_NOUNS:
        # "citing a UN report", not "citing the release of political prisoners"
        return not any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
    return head.pos_ == "PROPN" or head.ent_type_ in {"PERSON", "ORG", "NORP"} or lemma in SPEAKERS


def _without(content: Span, start: int, end: int) -> Span:
    """The content without the phrase [start, end) where the phrase opens or closes it."""
    doc = content.doc
    if start <= content.start < end:
        cut = trim(doc, end, content.end)
    elif start < content.end <= end or (start < content.end and end >= content.end - 1):
        cut = trim(doc, content.start, start)
    else:
        return content
    return cut if len(cut) else content


def _drop_contained_duplicates(results: list[RawAttribution]) -> list[RawAttribution]:
    """Two cues sharing one content (a conjoined "said and added") keep the first."""
    kept: list[RawAttribution] = []
    for r in results:
        if any(k.content.start == r.content.start and k.content.end == r.content.end for k in kept):
            continue
        kept.append(r)
    return kept


def _link_nesting(found: list[RawAttribution]) -> None:
    """An attribution whose cue lies inside another's content is reported through it."""
    for i, inner in enumerate(found):
        best: int | None = None
        for j, outer in enumerate(found):
            inside = outer.content.start <= inner.cue.start and inner.cue.end <= outer.content.end
            if (
                i != j
                and inside
                and (best is None or len(found[best].content) > len(outer.content))
            ):
                best = j
        inner.parent = best
