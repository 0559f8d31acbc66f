"""Entities within an article: one entity per referent, outlets as outlets, the gazetteer's
aliases merged, equipment as equipment (docs/normalisation.md, Entities). The entity pass
(:func:`claimledger.extract.entities.resolve_mentions`) is tested alone first, on the raw
attributions the pipeline leaves on the Doc, without building any record."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from claimledger.cli import app
from claimledger.extract import analyze
from claimledger.extract.entities import EntityTable, Mention, resolve_mentions
from claimledger.gazetteer import (
    Gazetteer,
    GazetteerEntry,
    GazetteerError,
    default_gazetteer,
    load_gazetteer,
    normalise_name,
    read_entries,
)
from claimledger.nlp.attribution import ATTRIBUTIONS_ATTR
from claimledger.nlp.pipeline import load_pipeline
from claimledger.records import Analysis


def _resolve(text: str) -> EntityTable:
    doc = load_pipeline("fast")(text)
    return resolve_mentions(doc, doc._.get(ATTRIBUTIONS_ATTR) or [], default_gazetteer())


def _mention(table: EntityTable, index: int, role: str) -> Mention | None:
    """The mention of attribution ``index`` in ``role``: its source, its (first) via, or
    the agent of "interviewed by"."""
    mentions = table.attributions[index]
    if role == "via":
        return mentions.via[0] if mentions.via else None
    return mentions.source if role == "source" else mentions.interviewer


# (text, attribution index, mention, the entity it resolves to: name, kind) — None: none
MENTIONS = [
    # names; the gazetteer's alias is its canonical name
    ("The SSO said 20 soldiers were captured.", 0, "source",
     ("Ukrainian Special Operations Forces", "organization")),
    ("AFP reported that 20 soldiers were killed.", 0, "source",
     ("Agence France-Presse", "outlet")),
    ("According to CNN, Kindratenko said 20 soldiers were killed.", 0, "via", ("CNN", "outlet")),
    ("According to CNN, Kindratenko said 20 soldiers were killed.", 0, "source",
     ("Kindratenko", "person")),
    ("Residents interviewed by the BBC said 20 soldiers were killed.", 0, "interviewer",
     ("BBC", "outlet")),
    ("Residents interviewed by the BBC said 20 soldiers were killed.", 0, "source",
     ("Residents", "group")),
    # pronouns: the nearest earlier entity of their kind, the subject first
    ("Zelensky met Biden. Later Biden said 20 soldiers were killed, and he added that 30 "
     "were wounded.", 1, "source", ("Biden", "person")),
    ("Biden met Zelensky on Monday. He said that 20 soldiers were killed.", 0, "source",
     ("Biden", "person")),
    ("Joe Biden visited the front on Monday. He said that 20 soldiers were killed.", 0,
     "source", ("Joe Biden", "person")),
    ("Officials said 20 soldiers were killed. They added that 30 were wounded.", 1, "source",
     ("Officials", "group")),
    ("The ministry said 20 soldiers were killed. It added that 30 were wounded.", 1, "source",
     ("ministry", "organization")),
    # a relative pronoun: its antecedent, not the main clause's subject
    ("The figures came from the health agency, which said on Tuesday that 312 people had "
     "died.", 0, "source", ("health agency", "organization")),
    ("Calls went to the coast guard, who said that 14 sailors were missing.", 0,
     "source", ("coast guard", "organization")),
    ("Questions went to the head of the relief agency, who said 60 trucks were waiting.", 0,
     "source", ("head", "person")),
    ("The figures are part of a survey that says 1,300 homes were damaged.", 0, "source",
     ("survey", "unknown")),
    # a report in a newspaper, a statement from a body: that outlet's, that body's
    ("A report in the state-run Morning Star newspaper said 230 people were missing.", 0,
     "source", ("state-run Morning Star newspaper", "outlet")),
    ("A statement from the interior ministry said 18 police officers were hurt.", 0,
     "source", ("interior ministry", "organization")),
    ("The report said 12 bridges collapsed.", 0, "source", ("report", "document")),
    # a name described as a body is an organisation, whatever the recogniser says
    ("Harbour Line, a network of volunteers who patrol the strait, said the boat sank.", 0,
     "source", ("Harbour Line", "organization")),
    # "the paper": the last outlet named before it, or none
    ("CNN reported that 20 soldiers were killed. According to the paper, officials said 30 "
     "more were wounded.", 1, "via", ("CNN", "outlet")),
    ("As reported by the mentioned newspaper, the army said 20 were killed.", 0, "via", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "index", "role", "expected"), MENTIONS, ids=[f"{m[0]} {m[2]}" for m in MENTIONS]
)
def test_the_entity_pass_resolves_each_mention(
    text: str, index: int, role: str, expected: tuple[str, str] | None
) -> None:
    mention = _mention(_resolve(text), index, role)
    assert mention is not None
    found = (mention.entity, mention.kind) if mention.entity_id is not None else None
    assert found == expected


# (text, the pronoun's entity): the best-scored earlier mention (sources.antecedent)
PRONOUNS = [
    # never a name inside the pronoun's own quote
    ("Fighting spread to the port on Monday, said Tom Reyes, a spokesman for the UN "
     "mission. “Aid groups in Uvira led by Mr. Lenga are stretched,” he added.", "Tom Reyes"),
    # a body named in the quote before, joined to others: all of them
    ("“The Red Cross and its partners visited the camps with the government,” Reyes said. "
     "They reported that 310 people had died.", "Red Cross and its partners"),
    # the outlet whose report it was, not a body named in an earlier paragraph
    ("The storm displaced 3 million people, according to the United Nations. A report in "
     "the state-run Morning Star newspaper said 230 people were missing. It also said "
     "rescuers had found 41 survivors.", "state-run Morning Star newspaper"),
    ("Harbour Line, a network of volunteers who patrol the strait, said the boat was "
     "overloaded. It added that 60 people had been rescued.", "Harbour Line"),
    # a speaker two sentences back beats a name the recogniser found in between
    ("“We have no water,” said Ana Petrova, a nurse at the clinic. The clinic was built by "
     "Dr. Samuel Okoye in 1998. “Nobody has come,” she said.", "Ana Petrova"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "entity"), PRONOUNS, ids=[p[1] for p in PRONOUNS])
def test_a_pronoun_source_is_the_best_fitting_mention_before_it(text: str, entity: str) -> None:
    last = analyze(text).attributions[-1]
    assert last.source is not None and last.source.resolved_from is not None
    assert last.source.entity == entity


def test_the_entity_table_names_each_mention_by_its_entity_id() -> None:
    table = _resolve("Officials said 20 soldiers were killed. They added that 30 were wounded.")
    first, second = (m.source for m in table.attributions)
    assert first is not None and second is not None
    assert first.entity_id == second.entity_id == "e1"
    assert (second.text, second.resolved_from) == ("They", "They")
    assert [(e.id, e.name, e.spans) for e in table.entities] == [("e1", "Officials", ((0, 9),))]


def test_entity_ids_follow_first_mentions_and_equipment_comes_last() -> None:
    table = _resolve(
        "According to CNN, Kindratenko said 20 HIMARS launchers were destroyed. Biden met "
        "Zelensky on Monday. He said that 20 soldiers were killed."
    )
    assert [(e.id, e.name, e.kind) for e in table.entities] == [
        ("e1", "CNN", "outlet"),
        ("e2", "Kindratenko", "person"),
        ("e3", "Biden", "person"),  # named before "He", so a possible antecedent
        ("e4", "Zelensky", "person"),
        ("e5", "HIMARS", "equipment"),
    ]


def test_a_relative_pronoun_source_is_written_as_it_stands() -> None:
    table = _resolve("Aid came from the Red Crescent, which said 900 tents had been sent.")
    source = table.attributions[0].source
    assert source is not None
    assert (source.text, source.resolved_from, source.entity) == (
        "which",
        "which",
        "Red Crescent",
    )


def test_a_mention_keeps_the_role_given_at_first_mention() -> None:
    table = _resolve(
        "President Zelensky of Ukraine said the troops withdrew. Zelensky added that 200 "
        "soldiers were killed."
    )
    later = table.attributions[1].source
    assert later is not None
    assert (later.entity_id, later.role, later.affiliation) == ("e1", "President", "Ukraine")


def test_a_mention_says_who_the_entity_was_at_that_point() -> None:
    """A longer name met later renames the entity, not what an earlier mention said."""
    table = _resolve(
        "Zelensky said that 20 soldiers were killed. Volodymyr Zelensky said 30 were wounded."
    )
    names = [m.source.entity for m in table.attributions if m.source is not None]
    assert names == ["Zelensky", "Volodymyr Zelensky"]
    (entity,) = table.entities
    assert (entity.name, entity.aliases) == ("Volodymyr Zelensky", ("Zelensky",))


def _entity(result: Analysis, name: str) -> tuple[str, str]:
    (found,) = [e for e in result.entities if e.name == name]
    return found.id, found.kind


# (sentence, the source's entity name, its kind, the via's entity name or None)
SOURCES = [
    ("CNN reported that the troops withdrew.", "CNN", "outlet", None),
    ("Reuters said the troops withdrew.", "Reuters", "outlet", None),
    ("The Kyiv Independent reported that the troops withdrew.", "Kyiv Independent", "outlet", None),
    ("According to the Korean News Agency, the troops withdrew.",
     "Korean News Agency", "outlet", None),
    ("AFP reported that the troops withdrew.", "Agence France-Presse", "outlet", None),
    ("The SSO said the troops withdrew.",
     "Ukrainian Special Operations Forces", "organization", None),
    ("The SBU said the troops withdrew.", "Security Service of Ukraine", "organization", None),
    ("According to CNN, Oleksandr Kindratenko said the troops withdrew.",
     "Oleksandr Kindratenko", "person", "CNN"),
    ("As reported by the Kyiv Independent, the army said the troops withdrew.",
     "army", "organization", "Kyiv Independent"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "name", "kind", "via"), SOURCES, ids=[s[0] for s in SOURCES])
def test_sources_and_outlets(
    text: str, name: str | None, kind: str | None, via: str | None
) -> None:
    result = analyze(text)
    first = result.attributions[0]
    if name is not None:
        assert first.source is not None
        assert (first.source.entity, first.source.kind) == (name, kind)
    if via is not None:
        assert [v.entity for v in first.via] == [via]
        assert first.via[0].kind == "outlet"


def test_one_entity_for_a_name_its_short_form_and_a_pronoun() -> None:
    result = analyze(
        "President Zelensky of Ukraine said the troops withdrew. Zelensky added that 200 "
        "soldiers were killed. He also said more were wounded."
    )
    sources = [a.source for a in result.attributions if a.source is not None]
    assert {s.entity_id for s in sources} == {sources[0].entity_id}
    zelensky = next(e for e in result.entities if e.id == sources[0].entity_id)
    assert (zelensky.name, zelensky.roles, zelensky.affiliations) == (
        "Zelensky",
        ("President",),
        ("Ukraine",),
    )
    assert sources[-1].resolved_from == "He"


def test_role_and_affiliation_from_an_apposition() -> None:
    result = analyze(
        "Commander-in-Chief of the Ukrainian Armed Forces, Oleksandr Syrskyi, said on "
        "January 19 that half of the soldiers were wounded."
    )
    source = result.attributions[0].source
    assert source is not None
    assert (source.entity, source.role, source.affiliation) == (
        "Oleksandr Syrskyi",
        "Commander-in-Chief",
        "Ukrainian Armed Forces",
    )


def test_gazetteer_aliases_are_one_entity() -> None:
    result = analyze(
        "The SSO said 20 soldiers were captured. Later the Special Operations Forces of "
        "Ukraine said 30 soldiers were captured."
    )
    ids = {a.source.entity_id for a in result.attributions if a.source is not None}
    assert len(ids) == 1
    (entity,) = [e for e in result.entities if e.id in ids]
    assert entity.name == "Ukrainian Special Operations Forces"
    assert set(entity.aliases) == {"SSO", "Special Operations Forces of Ukraine"}


# (text, the equipment entities it names)
EQUIPMENT = [
    ("They carried AK-12 assault rifles equipped with 1P87 sights.", ["AK-12", "1P87"]),
    ("It found DL-5 rangefinders and 1PN139-1 thermal imaging scopes.", ["DL-5", "1PN139-1"]),
    ("Ukraine fired HIMARS at the bridge.", ["HIMARS"]),
    ("Two M777 howitzers and a T-72 tank were destroyed.", ["M777", "T-72"]),
    ("Lancet drones hit the depot.", ["Lancet"]),
    ("Leopard 2 tanks arrived.", ["Leopard 2"]),
    ("Soldiers wore PVS-14 goggles.", ["PVS-14"]),
    ("A Shahed-136 drone was shot down.", ["Shahed-136"]),
    ("FGM-148 launchers were delivered.", ["Javelin"]),
    # not equipment
    ("The Lancet published a study on the war.", []),
    ("Mr Abrams said the talks failed.", []),
    ("The COVID-19 pandemic slowed recruitment.", []),
    ("Soldiers carried 2G phones.", []),
    ("The G-7 summit opened in Rome.", []),
    ("Kim Jong-un visited the unit.", []),
]


@pytest.mark.parametrize(("text", "names"), EQUIPMENT, ids=[e[0] for e in EQUIPMENT])
def test_equipment_is_recognised_as_equipment(text: str, names: list[str]) -> None:
    result = analyze(text)
    equipment = [e for e in result.entities if e.kind == "equipment"]
    assert [e.name for e in equipment] == names
    for entity in equipment:
        (start, end), *_ = entity.spans
        assert text[start:end] in {entity.name, *entity.aliases}


def test_equipment_is_never_a_source_organisation() -> None:
    result = analyze("The unit said AK-12 rifles were found.")
    kinds = {e.name: e.kind for e in result.entities}
    assert kinds["AK-12"] == "equipment"


def test_a_user_gazetteer_extends_the_shipped_one(tmp_path: Path) -> None:
    extra = tmp_path / "names.toml"
    extra.write_text(
        '[[entity]]\nname = "Novaya Gazeta Europe"\nkind = "outlet"\naliases = ["NGE"]\n\n'
        '[[entity]]\nname = "Krasnopol"\nkind = "equipment"\n',
        encoding="utf-8",
    )
    names = load_gazetteer(extra)
    assert len(names) == len(load_gazetteer()) + 2
    result = analyze("NGE reported that Krasnopol shells were fired.", gazetteer=names)
    source = result.attributions[0].source
    assert source is not None and (source.entity, source.kind) == ("Novaya Gazeta Europe", "outlet")
    assert [e.name for e in result.entities if e.kind == "equipment"] == ["Krasnopol"]
    # the shipped entries are still there
    assert names.lookup("CNN") == GazetteerEntry("CNN", "outlet")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[[entity]]\nname = "X"\nkind = "planet"\n', "kind must be one of"),
        ('[[entity]]\nkind = "outlet"\n', "needs a non-empty name"),
        ('[[entity]]\nname = "X"\nkind = "outlet"\naliases = "Y"\n', "aliases must be a list"),
        ('[[entity]]\nname = "X"\nkind = "outlet"\nalias = ["Y"]\n', "unknown keys"),
        ("[[entity]\n", "not valid TOML"),
        ('[[entity]]\nname = "X"\nkind = "equipment"\naliases = [" "]\n', "is empty"),
        ('[[entities]]\nname = "X"\nkind = "outlet"\n', "unknown top-level keys"),
    ],
)
def test_a_bad_gazetteer_is_refused_with_a_clear_message(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        read_entries(path)


def test_the_cli_refuses_a_bad_gazetteer_in_one_line(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("CNN reported that 20 soldiers were killed.", encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[entity]]\nname = "X"\nkind = "planet"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(article), "--gazetteer", str(bad)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "bad.toml: entity 1 (X)" in result.output


def test_the_cli_uses_a_user_gazetteer(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("NGE reported that 20 soldiers were killed.", encoding="utf-8")
    extra = tmp_path / "names.toml"
    extra.write_text(
        '[[entity]]\nname = "Novaya Gazeta Europe"\nkind = "outlet"\naliases = ["NGE"]\n'
    )
    result = CliRunner().invoke(
        app, ["analyze", str(article), "--gazetteer", str(extra), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"entity": "Novaya Gazeta Europe"' in result.output


@given(st.text(max_size=40))
def test_normalising_a_name_is_idempotent(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once


@given(
    st.sampled_from(["CNN", "Kyiv Independent", "SSO", "AK-12"]),
    st.sampled_from(["", "the ", "The  "]),
)
def test_lookup_ignores_case_article_and_spacing(name: str, prefix: str) -> None:
    names = Gazetteer(load_gazetteer().entries)
    assert names.lookup(name) is not None
    assert names.lookup(prefix + name.upper()) == names.lookup(name)


def test_extending_a_gazetteer_finds_the_new_equipment() -> None:
    text = "Ukraine fired HIMARS and Krasnopol shells."
    assert [e.name for e in analyze(text, gazetteer=load_gazetteer()).entities] == ["HIMARS"]
    names = Gazetteer([*load_gazetteer().entries, GazetteerEntry("Krasnopol", "equipment")])
    found = [e.name for e in analyze(text, gazetteer=names).entities]
    assert found == ["HIMARS", "Krasnopol"]
