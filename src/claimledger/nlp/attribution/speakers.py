"""Who speaks where the grammar says little: a speaker's name opening a line, a quote
signed with a dash, nobody ("It is believed that ..."), and the words before a cue verb
when the parser hung its subject elsewhere."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from claimledger.nlp.attribution.circumstances import hedges
from claimledger.nlp.attribution.contents import extend_over_siblings
from claimledger.nlp.attribution.raw import RawAttribution, RawChannel, RawVia
from claimledger.nlp.attribution.syntax import agent_of, cue_span, np_core, trim
from claimledger.nlp.attribution.vocabulary import FIRST_PERSON, IMPERSONAL_CUES, LINE_LABELS
from claimledger.nlp.places import LOCATING

# "WALLACE: Let's start ...", "Pat Caddell: Voters Worried ..." (transcripts, headlines)
_SPEAKER_LINE = re.compile(
    r"^[ \t]*[\"“]?[ \t]*(?P<source>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*"
    r"(?P<cue>:)[ \t]+(?P<content>\S[^\n]*)$",
    re.MULTILINE,
)
# "“We deserve better.” ― Carla Sanchez" (quotes collected from readers or posts)
_DASH_LINE = re.compile(
    r"^[ \t]*(?P<content>[\"“][^\n]+[\"”])[ \t]*(?P<cue>[―—–]|--)[ \t]*"
    r"(?P<source>[A-Z][^\n]{0,60}?)[ \t.]*$",
    re.MULTILINE,
)
# Entity labels of a place: a line opened by one and a colon is a dateline, not a speaker.
PLACE_ENTITIES = {"GPE", "LOC"}
# "— Katerina Horbunova (@blue_eyedKeti) September 7, 2025": the signature line an
# embedded social post ends with; the line above it is the post.
_POST_SIGNATURE = re.compile(
    r"^[ \t]*(?P<cue>[―—–]|--?)[ \t]*(?P<source>[^\n()@]{2,60}?)[ \t]*"
    r"\((?P<handle>@\w+)\)[^\n]*$",
    re.MULTILINE,
)
# A verb in one of these relations is not the head of its own clause ("..., saying",
# "to tout"): the words before it are not its subject.
DEPENDENT_VERB_DEPS = {"xcomp", "acl", "advcl", "relcl", "pcomp", "amod"}


def line_attributions(doc: Doc) -> list[RawAttribution]:
    """Attributions that the layout makes, not the grammar: a speaker's name and a colon
    opening a line (transcripts, "Name: claim" headlines) and a quote signed with a dash."""
    found: list[RawAttribution] = []
    text = doc.text
    places = {
        t.text for t in doc if t.pos_ == "PROPN" and t.dep_ == "pobj" and t.head.lower_ in LOCATING
    }
    for pattern, kind in ((_SPEAKER_LINE, "speaker-line"), (_DASH_LINE, "signed-quote")):
        for m in pattern.finditer(text):
            if m.group("source").lower() in LINE_LABELS:
                continue
            spans = {
                role: doc.char_span(m.start(role), m.end(role), alignment_mode="expand")
                for role in ("source", "cue", "content")
            }
            source, cue, content = spans["source"], spans["cue"], spans["content"]
            if source is None or cue is None or content is None:
                continue
            content = trim(doc, content.start, content.end)
            if len(content) == 0 or any(t.pos_ in {"VERB", "AUX"} for t in source):
                continue
            if kind == "speaker-line" and _is_place(source, places):
                continue  # a dateline: "Kyiv: Russia launched its largest attack ..."
            found.append(
                RawAttribution(
                    cue=cue,
                    cue_lemma=cue.text,
                    cue_kind=kind,
                    cue_certainty="asserted",
                    content=content,
                    style="direct",
                    source=trim(doc, source.start, source.end),
                    hedges=hedges(content),
                )
            )
    return found


def post_attributions(doc: Doc) -> list[RawAttribution]:
    """An embedded social post: the line above a signature line ("— Name (@handle) date")
    is the named account's post."""
    found: list[RawAttribution] = []
    text = doc.text
    for m in _POST_SIGNATURE.finditer(text):
        above_end = text.rfind("\n", 0, m.start())
        if above_end <= 0:
            continue
        above_start = text.rfind("\n", 0, above_end) + 1
        content = doc.char_span(above_start, above_end, alignment_mode="expand")
        source = doc.char_span(m.start("source"), m.end("source"), alignment_mode="expand")
        cue = doc.char_span(m.start("cue"), m.end("cue"), alignment_mode="expand")
        handle = doc.char_span(m.start("handle"), m.end("handle"), alignment_mode="expand")
        if content is None or source is None or cue is None or handle is None:
            continue
        content = trim(doc, content.start, content.end)
        if len(content) == 0:
            continue
        line = text[above_start:above_end].lower()
        platform = "Twitter" if "twitter.com" in line or "x.com" in line else None
        found.append(
            RawAttribution(
                cue=cue,
                cue_lemma="post",
                cue_kind="post",
                cue_certainty="asserted",
                content=content,
                style="direct",
                source=trim(doc, source.start, source.end),
                channel=RawChannel("social-post", handle, platform),
                hedges=hedges(content),
            )
        )
    return found


def _is_place(source: Span, places: set[str]) -> bool:
    """A place by the recogniser, or a name the text uses as one elsewhere ("in Kyiv")."""
    named = [t for t in source if t.is_alpha]
    return bool(named) and (
        all(t.ent_type_ in PLACE_ENTITIES for t in named) or source.text.strip() in places
    )


def impersonal(tok: Token) -> RawAttribution | None:
    """ "It is believed that ..." and "The troops are believed to have withdrawn" — a
    hedged statement with no source, kept as such. In the second the content is in two
    parts: the subject and the to-clause."""
    lemma = tok.lemma_.lower()
    if lemma not in IMPERSONAL_CUES or tok.tag_ != "VBN":
        return None
    subj = next((c for c in tok.children if c.dep_ in {"nsubjpass", "expl"}), None)
    if subj is None or agent_of(tok) is not None:
        return None
    more: list[Span] = []
    if subj.lower_ == "it":
        comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        if comp is None:
            return None
        end = extend_over_siblings(tok, comp.right_edge.i + 1)
        content = trim(tok.doc, comp.left_edge.i, end)
    else:
        raised = next(
            (
                c
                for c in tok.children
                if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)
            ),
            None,
        )
        if raised is None or (subj.pos_ == "PRON" and subj.lower_ in FIRST_PERSON):
            return None
        content = tok.doc[subj.left_edge.i : subj.right_edge.i + 1]
        if subj.tag_ in {"WDT", "WP"} and tok.dep_ == "relcl":
            content = np_core(tok.head)  # "a scale that is believed to ...": the scale
        more = [trim(tok.doc, raised.left_edge.i, raised.right_edge.i + 1)]
    cue = cue_span(tok)
    level = IMPERSONAL_CUES[lemma]
    return RawAttribution(
        cue=cue,
        cue_lemma=lemma,
        cue_kind="impersonal",
        cue_certainty=level,
        content=content,
        style="unattributed",
        source=None,
        hedges=[h for part in (content, *more) for h in hedges(part)],
        content_more=more,
    )


def inverted_speaker(verb: Token, content: Span) -> Token | None:
    """ "“...”, points out the document": a cue verb after its content, with no subject,
    whose object (to the parser) is the speaker named after it."""
    if content.end > verb.i or verb.tag_ == "VBG" or verb.dep_ in DEPENDENT_VERB_DEPS:
        return None
    obj = next((c for c in verb.rights if c.dep_ in {"dobj", "attr", "npadvmod"}), None)
    if obj is None or obj.pos_ not in {"NOUN", "PROPN"} or obj.ent_type_ in {"DATE", "TIME"}:
        return None
    return obj


def speaker_in_content(verb: Token, content: Span) -> tuple[Span, Span] | None:
    """ "In Aleppo, 200,000 people are homeless, Iman Shankiti, WHO representative in
    Syria, said": a cue verb with no subject right after its content, where the parser
    took the named speaker (and its apposition) into the content. Returns the speaker and
    the content without it."""
    doc = verb.doc
    if content.end > verb.i or not all(t.is_punct for t in doc[content.end : cue_span(verb).start]):
        return None
    commas = [t.i for t in content if t.text == ","]
    for comma in commas[-2:]:
        first = doc[comma + 1] if comma + 1 < content.end else None
        if first is None or first.ent_type_ != "PERSON" or first.ent_iob_ != "B":
            continue
        rest = trim(doc, content.start, comma)
        speaker = trim(doc, comma + 1, content.end)
        if len(rest) >= 3 and len(speaker):
            return speaker, rest
    return None


def fallback_source(
    verb: Token, content: Span, vias: list[tuple[RawVia, Span]], max_tokens: int
) -> Span | None:
    """When the parser hung the subject elsewhere ("As reported by X, Commander Y, stated"),
    take the noun phrase between the last intermediary phrase and the cue verb, if it is
    at most ``max_tokens`` long."""
    doc = verb.doc
    sent = verb.sent
    start = sent.start
    for _, phrase in vias:
        if phrase.end <= verb.i:
            start = max(start, phrase.end)
    end = verb.i
    while end > start and doc[end - 1].dep_ in {"aux", "auxpass", "neg", "advmod"}:
        end -= 1
    if content.start < end and content.start >= start:
        return None
    if verb.tag_ == "VBG" or verb.dep_ in DEPENDENT_VERB_DEPS:
        return None  # "..., saying", "to tout": the words before are not its subject
    # not across a line break (headlines and datelines are run together into one sentence)
    for i in range(end - 1, start - 1, -1):
        if "\n" in doc[i].text:
            start = i + 1
            break
    # not an opening adverbial: "In a March 2016 meeting with the board, Trump said"
    first = doc[start] if start < end else None
    if first is not None and first.dep_ == "prep" and first.head.i >= end:
        start = max(start, first.right_edge.i + 1)
    span = trim(doc, start, end)
    if len(span) == 0 or not any(t.pos_ in {"PROPN", "NOUN", "PRON"} for t in span):
        return None
    if len(span) > max_tokens or any(
        t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"compound", "amod"} for t in span
    ):
        return None  # a clause, not a name the parser failed to attach
    return span
