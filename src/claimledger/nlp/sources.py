"""Who a source phrase names: its name, role and affiliation, its kind, and the entity it
refers to within the article (pronouns and "the mentioned newspaper" resolved backwards).

There is no offline coreference model for spaCy 3.8, so antecedents are found with
salience rules: the nearest earlier mention of a compatible kind, subjects first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from claimledger.gazetteer import default_gazetteer
from claimledger.nlp.lexicon import (
    GROUP_NOUNS,
    GROUP_PRONOUNS,
    OUTLET_ANAPHORS,
    OUTLET_WORDS,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    TITLES,
)
from claimledger.records import SourceKind

QUANTIFIERS = {
    "several",
    "some",
    "many",
    "few",
    "a",
    "an",
    "the",
    "two",
    "three",
    "various",
    "numerous",
    "other",
    "these",
    "those",
    "this",
    "that",
    "most",
    "all",
}
ORG_WORDS = {
    "forces",
    "force",
    "agency",
    "ministry",
    "army",
    "government",
    "office",
    "council",
    "committee",
    "police",
    "service",
    "services",
    "department",
    "command",
    "party",
    "commission",
    "union",
    "organization",
    "organisation",
    "institute",
    "bank",
    "company",
    "corporation",
    "group",
    "staff",
    "navy",
    "guard",
    "kremlin",
    "pentagon",
    "parliament",
    "assembly",
    "court",
    "administration",
    "un",
    "nato",
}
AFFILIATION_PREPS = {"for", "of", "to", "at", "with", "from", "in"}


@dataclass
class SourceAnalysis:
    """The parts of a source phrase."""

    name: Span | None
    role: str | None
    affiliation: str | None
    kind: SourceKind
    interviewed_by: Span | None = None
    pronoun: Token | None = None


@dataclass
class EntityDraft:
    """An entity as it is being built up from the article's mentions."""

    id: str
    name: str
    kind: SourceKind
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    canonical: bool = False  # named by the gazetteer: a longer mention does not rename it

    def tokens(self) -> set[str]:
        return {t for alias in [self.name, *self.aliases] for t in _name_tokens(alias)}

    def note(self, text: str, span: Span, role: str | None, affiliation: str | None) -> None:
        if text != self.name and text not in self.aliases:
            self.aliases.append(text)
        longer = len(_name_tokens(text)) > len(_name_tokens(self.name))
        if longer and self.kind == "person" and not self.canonical:
            self.aliases.append(self.name)
            self.aliases.remove(text)
            self.name = text
        if role and role not in self.roles:
            self.roles.append(role)
        if affiliation and affiliation not in self.affiliations:
            self.affiliations.append(affiliation)
        pair = (span.start_char, span.end_char)
        if pair not in self.spans:
            self.spans.append(pair)


def _name_tokens(text: str) -> list[str]:
    skip = {"the", "of", "-", "and"}
    return [t for t in text.lower().replace("-", " - ").split() if t not in skip]


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


def is_outlet_name(text: str) -> bool:
    """An outlet by the gazetteer ("CNN") or by an outlet word in a capitalised name
    ("Kyiv Independent", "Korean News Agency")."""
    entry = default_gazetteer().lookup(text)
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


def analyse_source(span: Span) -> SourceAnalysis:
    """Split a source phrase into name, role, affiliation and kind."""
    doc = span.doc
    if len(span) == 1 and span[0].pos_ == "PRON":
        low = span[0].lower_
        kind: SourceKind = "person" if low in PERSON_PRONOUNS or low in {"i", "we"} else "group"
        return SourceAnalysis(None, None, None, kind, pronoun=span[0])
    interviewed_by: Span | None = None
    head = _head(span)
    cut = span.end
    for c in head.rights:
        if c.dep_ in {"acl", "relcl"} and span.start <= c.i < span.end:
            agent = next((a for a in c.children if a.dep_ == "agent"), None)
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
        kind = _kind_of_name(name, _is_person_role(role))
        return SourceAnalysis(name, role, affiliation, kind, interviewed_by)
    # No proper name: a group ("Ukrainian military officials") or a bare description.
    part = parts[0]
    head = _head(part)
    name = strip_det(doc[part.start : head.i + 1])
    lemma = head.lemma_.lower()
    plural = head.tag_ in {"NNS", "NNPS"}
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


def _is_person_role(role: str | None) -> bool:
    if not role:
        return False
    words = role.lower().replace("-", " ").split()
    return any(w in PERSON_ROLES or w in TITLES for w in words)


def _kind_of_name(name: Span, has_role: bool) -> SourceKind:
    if is_outlet_name(name.text):
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


class EntityRegistry:
    """Entities of one article, built mention by mention in text order."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.entities: list[EntityDraft] = []
        self._mentions: list[tuple[int, EntityDraft, bool]] = []  # (token, entity, is_subject)

    def mention(
        self,
        name: Span,
        kind: SourceKind,
        role: str | None = None,
        affiliation: str | None = None,
        canonical: str | None = None,
    ) -> EntityDraft:
        """The entity a name refers to, made or found. ``canonical``: the gazetteer's name
        for it, under which every alias ("SSO", "Special Operations Forces of Ukraine")
        is one entity."""
        text = name.text
        tokens = set(_name_tokens(text))
        entity = None
        if canonical is not None:
            entity = next((e for e in self.entities if e.name == canonical), None)
        for e in reversed(self.entities if entity is None else []):
            compatible = e.kind == kind or "unknown" in {e.kind, kind}
            if compatible and tokens and (tokens <= e.tokens() or e.tokens() <= tokens):
                entity = e
                break
        if entity is None:
            entity = EntityDraft(
                id=f"e{len(self.entities) + 1}",
                name=canonical or text,
                kind=kind,
                canonical=canonical is not None,
            )
            self.entities.append(entity)
        elif entity.kind == "unknown":
            entity.kind = kind
        entity.note(text, name, role, affiliation)
        is_subject = name.root.dep_ in {"nsubj", "nsubjpass"} or any(
            t.dep_ in {"nsubj", "nsubjpass"} for t in name
        )
        self._mentions.append((name.start, entity, is_subject))
        return entity

    def antecedent(self, pronoun: Token) -> EntityDraft | None:
        """The nearest earlier entity a pronoun can refer to, preferring subjects."""
        low = pronoun.lower_
        wanted: set[SourceKind]
        if low in PERSON_PRONOUNS:
            wanted = {"person"}
        elif low in GROUP_PRONOUNS:
            wanted = {"group", "organization", "outlet"}
        elif low in {"it", "its"}:
            wanted = {"organization", "outlet", "document"}
        else:
            return None
        self._note_named_people_before(pronoun.i)
        earlier = [m for m in self._mentions if m[0] < pronoun.i and m[1].kind in wanted]
        if not earlier:
            return None
        earlier.sort(key=lambda m: m[0])
        last_sentence = self.doc[earlier[-1][0]].sent.start
        recent = [m for m in earlier if self.doc[m[0]].sent.start == last_sentence]
        subjects = [m for m in recent if m[2]]
        return (subjects or recent)[-1][1]

    def last_outlet_before(self, index: int) -> EntityDraft | None:
        outlets = [m for m in self._mentions if m[0] < index and m[1].kind == "outlet"]
        return max(outlets, key=lambda m: m[0])[1] if outlets else None

    def _note_named_people_before(self, index: int) -> None:
        """People named in the text but not (yet) as sources still count as antecedents."""
        known = {m[0] for m in self._mentions}
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" and ent.end <= index and ent.start not in known:
                self.mention(ent, "person")


def is_outlet_anaphor(span: Span) -> bool:
    """ "the mentioned newspaper", "the paper": a definite reference to an outlet already named."""
    head = _head(span)
    return (
        head.pos_ == "NOUN"
        and head.lemma_.lower() in OUTLET_ANAPHORS
        and span[0].lower_ in {"the", "that", "this"}
        and not any(t.pos_ == "PROPN" for t in span)
    )
