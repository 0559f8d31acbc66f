"""What one source phrase says: its name, role and affiliation, its kind, and whether it is
a pronoun or refers back to an outlet ("the mentioned newspaper"). Which entity it is
within the article is :mod:`claimledger.extract.entities`' job.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from claimledger.gazetteer import Gazetteer
from claimledger.lexicon import words
from claimledger.records import SourceKind

OUTLET_WORDS = words("sources.outlet_words")
OUTLET_ANAPHORS = words("sources.outlet_anaphors")
PERSON_ROLES = words("sources.person_roles")
TITLES = words("sources.titles")
GROUP_NOUNS = words("sources.group_nouns")
PERSON_PRONOUNS = words("sources.person_pronouns")
GROUP_PRONOUNS = words("sources.group_pronouns")
QUANTIFIERS = words("sources.quantifiers")
ORG_WORDS = words("sources.org_words")
AFFILIATION_PREPS = words("sources.affiliation_preps")
FIRST_PERSON_PRONOUNS = words("sources.first_person_pronouns")
ANAPHOR_DETERMINERS = words("sources.anaphor_determiners")
NAMING_VERBS = words("attribution.naming_verbs")
REPORT_NOUNS = words("cues.report_nouns")
AUTHOR_PREPS = words("sources.author_preps")


@dataclass
class SourceAnalysis:
    """The parts of a source phrase."""

    name: Span | None
    role: str | None
    affiliation: str | None
    kind: SourceKind
    interviewed_by: Span | None = None
    pronoun: Token | None = None


def strip_det(span: Span) -> Span:
    """The phrase without its leading determiners, quantifiers and punctuation."""
    start = span.start
    while start < span.end - 1 and (
        span.doc[start].lower_ in QUANTIFIERS or span.doc[start].is_punct
    ):
        start += 1
    return span.doc[start : span.end]


def _parts(span: Span) -> list[Span]:
    """Split "Name, the role for X" at the commas that separate appositions."""
    doc = span.doc
    parts: list[Span] = []
    start = span.start
    for tok in span:
        if tok.text == ",":
            if start < tok.i:
                parts.append(doc[start : tok.i])
            start = tok.i + 1
    if start < span.end:
        parts.append(doc[start : span.end])
    return [p for p in parts if len(p)]


def _head(span: Span) -> Token:
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head == tok:
            return tok
    return span.root


def is_outlet_name(text: str, gazetteer: Gazetteer) -> bool:
    """An outlet by the gazetteer ("CNN") or by an outlet word in a capitalised name
    ("Kyiv Independent", "Korean News Agency")."""
    entry = gazetteer.lookup(text)
    if entry is not None:
        return entry.kind == "outlet"
    words = text.lower().removeprefix("the ").split()
    return any(w in OUTLET_WORDS for w in words[1:] + words[:1]) and text[:1].isupper()


def _is_descriptor(part: Span) -> bool:
    head = _head(part)
    return head.pos_ != "PROPN" or head.lower_ in PERSON_ROLES or head.lower_ in TITLES


def _role_and_affiliation(part: Span) -> tuple[str | None, str | None]:
    """ "the spokesperson for the Ukrainian Special Operations Forces" ->
    ("spokesperson", "Ukrainian Special Operations Forces")."""
    doc = part.doc
    head = _head(part)
    prep = None
    for c in head.children:
        if (
            c.dep_ == "prep"
            and c.lower_ in AFFILIATION_PREPS
            and part.start <= c.i < part.end
            and doc[c.i - 1].text != "-"
        ):
            prep = c
    start = part.start
    while start < part.end and doc[start].lower_ in QUANTIFIERS:
        start += 1
    if prep is None:
        return (doc[start : part.end].text or None), None
    role = doc[start : prep.i].text or None
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return role, None
    aff = strip_det(doc[pobj.left_edge.i : min(pobj.right_edge.i + 1, part.end)])
    return role, aff.text or None


def _name_with_titles(part: Span) -> tuple[Span, str | None, str | None]:
    """ "President Zelensky of Ukraine" -> (Zelensky, "President", "Ukraine")."""
    doc = part.doc
    head = _head(part)
    titles = [c for c in head.lefts if c.dep_ == "compound" and c.lower_ in TITLES]
    start = max((t.i + 1 for t in titles), default=part.start)
    while start < head.i and doc[start].lower_ in QUANTIFIERS:
        start += 1
    role = " ".join(t.text for t in titles) or None
    affiliation = None
    end = head.i + 1
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ == "of" and part.start <= c.i < part.end:
            pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
            if pobj is not None:
                affiliation = strip_det(doc[pobj.left_edge.i : pobj.right_edge.i + 1]).text
            break
        if c.dep_ in {"compound", "flat"} or (c.pos_ == "PROPN" and c.i == end):
            end = c.i + 1
    return doc[start:end], role, affiliation


def analyse_source(span: Span, gazetteer: Gazetteer) -> SourceAnalysis:
    """Split a source phrase into name, role, affiliation and kind."""
    doc = span.doc
    if len(span) == 1 and span[0].pos_ == "PRON":
        low = span[0].lower_
        kind: SourceKind = (
            "person" if low in PERSON_PRONOUNS or low in FIRST_PERSON_PRONOUNS else "group"
        )
        return SourceAnalysis(None, None, None, kind, pronoun=span[0])
    interviewed_by: Span | None = None
    head = _head(span)
    cut = span.end
    for c in head.rights:
        if c.dep_ in {"acl", "relcl"} and span.start <= c.i < span.end:
            # "X, interviewed by CNN"; not "X, known by its initials as Y" (a name)
            naming = c.lemma_.lower() in NAMING_VERBS
            agent = next((a for a in c.children if a.dep_ == "agent" and not naming), None)
            pobj = next((p for p in agent.children if p.dep_ == "pobj"), None) if agent else None
            if pobj is not None:
                interviewed_by = doc[pobj.left_edge.i : pobj.i + 1]
            cut = min(cut, c.i)
    core = doc[span.start : cut]
    parts = _parts(core) or [core]
    names = [p for p in parts if not _is_descriptor(p)]
    descriptors = [p for p in parts if _is_descriptor(p)]
    role = affiliation = None
    if names:
        name, role, affiliation = _name_with_titles(names[0])
        if descriptors and len(parts) > 1:
            role, affiliation = _role_and_affiliation(descriptors[0])
        kind = _kind_of_name(name, _is_person_role(role), gazetteer)
        if (
            descriptors
            and kind in {"person", "unknown"}
            and not _is_person_role(role)
            and _head(descriptors[0]).lemma_.lower() in ORG_WORDS
        ):
            kind = "organization"  # "Alarm Phone, a network of activists"
        return SourceAnalysis(name, role, affiliation, kind, interviewed_by)
    # No proper name: a group ("Ukrainian military officials") or a bare description.
    part = parts[0]
    head = _head(part)
    name = strip_det(doc[part.start : head.i + 1])
    lemma = head.lemma_.lower()
    plural = head.tag_ in {"NNS", "NNPS"}
    if lemma in REPORT_NOUNS:
        # "a report in the state-run X newspaper", "a statement from the ministry": the
        # outlet or body whose report it is; else the report itself, a document
        author = _author(head, part)
        if author is not None:
            found = analyse_source(author, gazetteer)
            if found.name is not None and found.pronoun is None:
                return found
        return SourceAnalysis(name, None, None, "document", interviewed_by)
    if lemma in OUTLET_WORDS and lemma not in ORG_WORDS and not plural:
        return SourceAnalysis(name, None, None, "outlet", interviewed_by)
    if head.lower_ in PERSON_ROLES and not plural:
        kind = "person"
        role, affiliation = _role_and_affiliation(part)
    elif lemma in ORG_WORDS and not plural:
        kind = "organization"
    elif lemma in GROUP_NOUNS or plural:
        kind = "group"
    else:
        kind = "unknown"
    return SourceAnalysis(name, role, affiliation, kind, interviewed_by)


def _author(head: Token, part: Span) -> Span | None:
    """The phrase after "by", "from", "of" or "in" that says whose a report is."""
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ in AUTHOR_PREPS and part.start <= c.i < part.end:
            pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
            if pobj is not None:
                return part.doc[pobj.left_edge.i : min(pobj.right_edge.i + 1, part.end)]
    return None


def _is_person_role(role: str | None) -> bool:
    if not role:
        return False
    words = role.lower().replace("-", " ").split()
    return any(w in PERSON_ROLES or w in TITLES for w in words)


def _kind_of_name(name: Span, has_role: bool, gazetteer: Gazetteer) -> SourceKind:
    if is_outlet_name(name.text, gazetteer):
        return "outlet"
    ents = {t.ent_type_ for t in name if t.ent_type_}
    if "PERSON" in ents:
        return "person"
    if any(t.lower_ in ORG_WORDS for t in name):
        return "organization"
    # A person's role outweighs the small model's NER, which tags "Oleksandr" as ORG.
    if has_role:
        return "person"
    if "ORG" in ents:
        return "organization"
    if all(t.pos_ == "PROPN" for t in name) and len(name) >= 2:
        return "person"
    return "unknown"


def is_outlet_anaphor(span: Span) -> bool:
    """ "the mentioned newspaper", "the paper": a definite reference to an outlet already named."""
    head = _head(span)
    return (
        head.pos_ == "NOUN"
        and head.lemma_.lower() in OUTLET_ANAPHORS
        and span[0].lower_ in ANAPHOR_DETERMINERS
        and not any(t.pos_ == "PROPN" for t in span)
    )
