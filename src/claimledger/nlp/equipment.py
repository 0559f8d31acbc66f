"""Equipment named in a parsed text: the gazetteer's listed names ("HIMARS", "Javelin")
and unlisted designators before an equipment noun ("1P87 sights", "DL-5 rangefinders")."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from claimledger.gazetteer import Gazetteer
from claimledger.lexicon import words

EQUIPMENT_NOUNS = words("equipment.nouns")
# A letters-and-digits model name: "COVID-19 pandemic", "G-7 summit" have this shape too,
# and are kept out because their noun is not an equipment noun.
_DESIGNATOR = re.compile(
    r"(?<![\w-])(?:"
    r"(?=[\w-]*\d)(?=[\w-]*[A-Z])[A-Z0-9][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+"  # AK-12, 1PN139-1
    r"|\d[A-Z]{1,4}\d+"  # 1P87
    r"|[A-Z]{1,4}\d{2,4}[A-Z]?"  # M777, T90
    r")(?![\w-])"
)


def find_equipment(doc: Doc, gazetteer: Gazetteer) -> list[tuple[Span, str]]:
    """Equipment named in the text, with its canonical name, in text order. A listed
    name with a digit or in capitals is taken as it is ("HIMARS", "M777"); a plain
    word ("Javelin", "Lancet", "Abrams") and an unlisted designator ("1P87") only
    before an equipment noun, so "The Lancet" the journal and Mr Abrams are not."""
    found: dict[int, tuple[Span, str]] = {}
    pattern = gazetteer.equipment_pattern
    if pattern is not None:
        for m in pattern.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            entry = gazetteer.lookup(m.group())
            if span is None or entry is None:
                continue
            marked = any(c.isdigit() for c in m.group()) or m.group().isupper()
            if marked or _names_equipment(span):
                found[span.start] = (span, entry.name)
    for m in _DESIGNATOR.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None or span.start in found or not _names_equipment(span):
            continue
        entry = gazetteer.lookup(m.group())
        found[span.start] = (span, entry.name if entry is not None else m.group())
    return [found[k] for k in sorted(found)]


def _names_equipment(span: Span) -> bool:
    """An equipment noun follows within three words: "DL-5 rangefinders", "1PN139-1
    thermal imaging scopes", "Leopard 2 tanks"."""
    doc = span.doc
    for tok in doc[span.end : min(len(doc), span.end + 4)]:
        if tok.lemma_.lower() in EQUIPMENT_NOUNS or tok.lower_.rstrip("s") in EQUIPMENT_NOUNS:
            return True
        if tok.is_punct or tok.pos_ in {"VERB", "AUX", "ADP", "CCONJ"}:
            return False
    return False
