"""Who each mention is: one pass over an article's attributions, in text order, resolving
sources, intermediaries and pronouns to entities; its result is a plain table.

There is no offline coreference model for spaCy 3.8, so antecedents are found with
salience rules: the nearest earlier mention of a compatible kind, subjects first.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from claimledger.extract.spans import char_spans
from claimledger.gazetteer import Gazetteer
from claimledger.lexicon import rows, words
from claimledger.nlp.attribution import RawAttribution
from claimledger.nlp.attribution.syntax import antecedent, np_core
from claimledger.nlp.equipment import find_equipment
from claimledger.nlp.sources import (
    GROUP_PRONOUNS,
    PERSON_PRONOUNS,
    analyse_source,
    is_outlet_anaphor,
    is_outlet_name,
    strip_det,
)
from claimledger.records import Entity, SourceKind, Spans

NAME_FILLERS = words("sources.name_fillers")
THING_PRONOUNS = words("sources.thing_pronouns")


@dataclass(frozen=True)
class Mention:
    """One phrase that names a source or an intermediary, and who it is. ``entity`` and
    ``kind`` are the entity's as they stood at this mention: a longer name met later
    renames the entity, not what was said of it before."""

    text: str
    spans: Spans
    kind: SourceKind
    entity_id: str | None = None
    entity: str | None = None
    role: str | None = None
    affiliation: str | None = None
    resolved_from: str | None = None  # the pronoun, where the mention is one


@dataclass(frozen=True)
class AttributionMentions:
    """The mentions of one attribution: its source, its intermediaries ("according to
    CNN") in their written order, and the agent of "interviewed by"."""

    source: Mention | None
    via: tuple[Mention, ...]
    interviewer: Mention | None


@dataclass(frozen=True)
class EntityTable:
    """The article's entities (the sources' in order of first mention, then equipment),
    and each attribution's mentions, by the attribution's index."""

    entities: tuple[Entity, ...]
    attributions: tuple[AttributionMentions, ...]


def resolve_mentions(doc: Doc, raws: Sequence[RawAttribution], gazetteer: Gazetteer) -> EntityTable:
    """Every mention's entity, in one pass in text order: an entity's id is its order of
    first mention, and a pronoun's antecedent is among the mentions before it."""
    resolver = _Resolver(doc, gazetteer)
    mentions = tuple(resolver.attribution(raw) for raw in raws)
    entities = resolver.registry.finalised()
    entities += _equipment(find_equipment(doc, gazetteer), len(entities))
    return EntityTable(entities=entities, attributions=mentions)


class _Resolver:
    """The pass itself: the mentions of each attribution, in the order the registry must
    see them (intermediaries, "interviewed by", then the source)."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.registry = EntityRegistry(doc)

    def attribution(self, raw: RawAttribution) -> AttributionMentions:
        via = tuple(self.via(v.name) for v in raw.via)
        if raw.source is None:
            return AttributionMentions(source=None, via=via, interviewer=None)
        span = raw.source
        noun = antecedent(span[0]) if len(span) == 1 else None
        # "the agency, which said ...": the relative pronoun is the agency
        phrase = np_core(noun) if noun is not None else span
        analysis = analyse_source(phrase, self.gazetteer)
        interviewer = (
            self.via(analysis.interviewed_by) if analysis.interviewed_by is not None else None
        )
        if interviewer is None and raw.audience is not None and self._is_outlet(raw.audience):
            interviewer = self.via(raw.audience)  # "told the Daily Courier"
        entity: EntityDraft | None = None
        resolved_from = None
        role, affiliation = analysis.role, analysis.affiliation
        if analysis.pronoun is not None:
            statement = [(p.start, p.end) for p in (raw.content, *raw.content_more)]
            entity = self.registry.antecedent(analysis.pronoun, statement)
            resolved_from = analysis.pronoun.text
            if entity is not None:
                role = entity.roles[0] if entity.roles else None
                affiliation = entity.affiliations[0] if entity.affiliations else None
                self.registry.refer(analysis.pronoun, entity)
        elif analysis.name is not None:
            if is_outlet_anaphor(analysis.name):
                entity = self.registry.last_outlet_before(span.start)
            else:
                entity = self._mention(
                    analysis.name, analysis.kind, role, affiliation, phrase, speaker=True
                )
            if entity is not None and role is None and entity.roles:
                # "Zelensky pointed out": the role given at first mention still holds.
                role = entity.roles[0]
                affiliation = entity.affiliations[0] if entity.affiliations else affiliation
        source = Mention(
            text=span.text,
            spans=char_spans(span),
            kind=entity.kind if entity else analysis.kind,
            entity_id=entity.id if entity else None,
            entity=entity.name if entity else None,
            role=role,
            affiliation=affiliation,
            resolved_from=span.text if noun is not None else resolved_from,
        )
        return AttributionMentions(source=source, via=via, interviewer=interviewer)

    def _is_outlet(self, name: Span) -> bool:
        """ "the Daily Courier", "Reuters", "state television": an outlet by the gazetteer,
        its name or what it is; "reporters" and "the senator" are no outlet."""
        return (
            is_outlet_name(name.text, self.gazetteer)
            or analyse_source(name, self.gazetteer).kind == "outlet"
        )

    def via(self, name: Span) -> Mention:
        """An intermediary: "according to CNN", "as reported by the mentioned newspaper"."""
        entity: EntityDraft | None
        if is_outlet_anaphor(name):
            entity = self.registry.last_outlet_before(name.start)
        else:
            analysis = analyse_source(name, self.gazetteer)
            kind = "outlet" if is_outlet_name(name.text, self.gazetteer) else analysis.kind
            core = analysis.name if analysis.name is not None else name
            entity = self._mention(core, kind, whole=name, cue="via")
        return Mention(
            text=name.text,
            spans=char_spans(name),
            kind=entity.kind if entity else "unknown",
            entity_id=entity.id if entity else None,
            entity=entity.name if entity else None,
        )

    def _mention(
        self,
        name: Span,
        kind: SourceKind,
        role: str | None = None,
        affiliation: str | None = None,
        whole: Span | None = None,
        speaker: bool = False,
        cue: str | None = None,
    ) -> EntityDraft:
        """A source or intermediary's entity; the gazetteer's name and kind win. ``whole``:
        the source phrase, looked up first ("Special Operations Forces of Ukraine" is
        one name, not "Special Operations Forces" with an affiliation). ``speaker`` and
        ``cue`` say what the mention is, for the pronoun antecedent score."""
        seen = "speaker" if speaker else cue
        entry = self.gazetteer.lookup(whole.text) if whole is not None else None
        if entry is not None and entry.kind != "equipment" and whole is not None:
            name, role, affiliation = strip_det(whole), None, None
        else:
            entry = self.gazetteer.lookup(name.text)
        if entry is None or entry.kind == "equipment":
            return self.registry.mention(name, kind, role, affiliation, seen=seen)
        known: SourceKind = entry.kind
        return self.registry.mention(
            name, known, role, affiliation, canonical=entry.name, seen=seen
        )


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
    named: bool = False  # a mention of it holds a proper name

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

    def finalised(self) -> Entity:
        return Entity(
            id=self.id,
            name=self.name,
            kind=self.kind,
            aliases=tuple(self.aliases),
            roles=tuple(self.roles),
            affiliations=tuple(self.affiliations),
            spans=tuple(sorted(self.spans)),
        )


def _name_tokens(text: str) -> list[str]:
    return [
        t for t in text.lower().replace("-", " - ").split() if t not in NAME_FILLERS and t != "-"
    ]


@dataclass(frozen=True)
class _Seen:
    """One mention of an entity, as the pronoun antecedent score sees it: where it is and
    the cues that hold for it (``sources.antecedent``)."""

    index: int  # its first token
    entity: EntityDraft
    cues: frozenset[str]


ANTECEDENT_WEIGHTS = {row["cue"]: int(row["weight"]) for row in rows("sources.antecedent")}


class EntityRegistry:
    """Entities of one article, built mention by mention in text order."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.entities: list[EntityDraft] = []
        self._mentions: list[_Seen] = []
        # Doc.ents and Doc.sents build their spans anew on every access: read them once,
        # not per pronoun, so resolving pronouns stays linear in the article
        self._ents: list[Span] | None = None
        self._sentence_starts: list[int] | None = None

    def finalised(self) -> tuple[Entity, ...]:
        return tuple(e.finalised() for e in self.entities)

    def mention(
        self,
        name: Span,
        kind: SourceKind,
        role: str | None = None,
        affiliation: str | None = None,
        canonical: str | None = None,
        seen: str | None = None,
    ) -> EntityDraft:
        """The entity a name refers to, made or found. ``canonical``: the gazetteer's name
        for it, under which every alias ("SSO", "Special Operations Forces of Ukraine")
        is one entity. ``seen``: what the mention is ("speaker", "via", "named_only")."""
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
        entity.named = entity.named or any(t.pos_ == "PROPN" for t in name)
        is_subject = name.root.dep_ in {"nsubj", "nsubjpass"} or any(
            t.dep_ in {"nsubj", "nsubjpass"} for t in name
        )
        cues = {seen} if seen else set()
        if is_subject:
            cues.add("subject")
        self._mentions.append(_Seen(name.start, entity, frozenset(cues)))
        return entity

    def refer(self, pronoun: Token, entity: EntityDraft) -> None:
        """A pronoun resolved to ``entity`` is a mention of it too: "he" can be the
        antecedent of the next "he"."""
        cues = {"speaker"} | ({"subject"} if pronoun.dep_ in {"nsubj", "nsubjpass"} else set())
        self._mentions.append(_Seen(pronoun.i, entity, frozenset(cues)))

    def antecedent(
        self, pronoun: Token, statement: Sequence[tuple[int, int]] = ()
    ) -> EntityDraft | None:
        """The earlier entity a pronoun stands for: the best-scored mention of a kind it
        fits (``sources.antecedent``), never one inside ``statement``, the token ranges
        of the pronoun's own statement."""
        low = pronoun.lower_
        wanted: set[SourceKind]
        if low in PERSON_PRONOUNS:
            wanted = {"person"}
        elif low in GROUP_PRONOUNS:
            wanted = {"group", "organization", "outlet"}
        elif low in THING_PRONOUNS:
            wanted = {"organization", "outlet", "document"}
        else:
            return None
        self._note_named_people_before(pronoun.i)

        def inside(index: int) -> bool:
            return any(start <= index < end for start, end in statement)

        earlier: list[_Seen | Span] = [
            m
            for m in self._mentions
            if m.index < pronoun.i and m.entity.kind in wanted and not inside(m.index)
        ]
        if "organization" in wanted:
            known = {m.index for m in self._mentions}
            earlier.extend(
                span
                for span in self._named_organisations_before(pronoun.i)
                if span.start not in known and not inside(span.start)
            )
        if not earlier:
            return None
        sentences = self._sentences()
        here = bisect.bisect_right(sentences, pronoun.i)

        def score(m: _Seen | Span) -> tuple[int, int]:
            index = m.index if isinstance(m, _Seen) else m.start
            cues = m.cues if isinstance(m, _Seen) else _named_cues(m)
            back = here - bisect.bisect_right(sentences, index)
            entity = m.entity if isinstance(m, _Seen) else None
            if entity is not None and entity.kind == "document" and not entity.named:
                cues = cues | {"unnamed_document"}  # "the report": its author is the source
            held = sum(ANTECEDENT_WEIGHTS.get(cue, 0) for cue in cues)
            return held + back * ANTECEDENT_WEIGHTS.get("sentence_back", 0), index

        best = max(earlier, key=score)
        if isinstance(best, _Seen):
            return best.entity
        return self.mention(best, "organization", seen="named_only")

    def _named_organisations_before(self, index: int) -> list[Span]:
        """Organisations the recogniser names before ``index`` (in no statement's source):
        "The World Health Organization and its partners conducted ..." for a later "They
        reported". A subject joined to others ("X and its partners") is taken whole."""
        found = []
        for ent in self._entities():
            if ent.label_ != "ORG" or ent.end > index:
                continue
            root = ent.root
            if root.dep_ in {"nsubj", "nsubjpass"} and any(c.dep_ == "conj" for c in root.children):
                found.append(strip_det(self.doc[root.left_edge.i : root.right_edge.i + 1]))
            else:
                found.append(strip_det(ent))
        return found

    def last_outlet_before(self, index: int) -> EntityDraft | None:
        outlets = [m for m in self._mentions if m.index < index and m.entity.kind == "outlet"]
        return max(outlets, key=lambda m: m.index).entity if outlets else None

    def _note_named_people_before(self, index: int) -> None:
        """People named in the text but not (yet) as sources still count as antecedents."""
        known = {m.index for m in self._mentions}
        for ent in self._entities():
            if ent.label_ == "PERSON" and ent.end <= index and ent.start not in known:
                self.mention(ent, "person", seen="named_only")

    def _entities(self) -> list[Span]:
        if self._ents is None:
            self._ents = list(self.doc.ents)
        return self._ents

    def _sentences(self) -> list[int]:
        if self._sentence_starts is None:
            self._sentence_starts = [s.start for s in self.doc.sents]
        return self._sentence_starts


def _named_cues(span: Span) -> frozenset[str]:
    subject = span.root.dep_ in {"nsubj", "nsubjpass"}
    return frozenset({"named_only", "subject"} if subject else {"named_only"})


def _equipment(found: list[tuple[Span, str]], before: int) -> tuple[Entity, ...]:
    """One entity per piece of equipment named, by canonical name, ids after the sources'."""
    by_name: dict[str, list[Span]] = {}
    for span, name in found:
        by_name.setdefault(name, []).append(span)
    return tuple(
        Entity(
            id=f"e{before + n}",
            name=name,
            kind="equipment",
            aliases=tuple(sorted({s.text for s in spans} - {name})),
            spans=tuple(sorted((s.start_char, s.end_char) for s in spans)),
        )
        for n, (name, spans) in enumerate(by_name.items(), start=1)
    )
