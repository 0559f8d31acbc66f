"""The ledger at scale (``make bench``): generate N wire-style articles about a few
developing stories, ingest them into a fresh SQLite ledger, reconcile it, and time the
store's queries. Reports articles/s, words/s, peak memory, query times and row counts.

    python -m claimledger.evaluation.ledger_bench --articles 10000 --workers 2 --out bench/

The articles are made up, deterministically from ``--seed``: figures given by named
officials, ministries and intelligence agencies that drift over a year, outlets that
re-report each other ("according to Reuters"), and about 5 % wire copies carried a
second time with one word changed, so near-duplicate detection has work to do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import faulthandler
import hashlib
import json
import multiprocessing
import os
import platform
import random
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from claimledger.ledger import ClaimQuery, Ledger

START = dt.date(2024, 11, 1)
DAYS = 365
WORDS = (80, 200)
COPY_SHARE = 0.05

# --- who says it ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Someone who gives figures: the ways a first mention names them, a later mention,
    the side they are on (for datelines, quotes and reactions), and where they said it."""

    leads: tuple[str, ...]
    short: str
    side: str
    channels: tuple[str, ...] = ()


SOURCES: dict[str, Source] = {
    "zelensky": Source(
        (
            "President Volodymyr Zelensky",
            "Ukrainian President Volodymyr Zelensky",
            "Volodymyr Zelensky, Ukraine's president,",
        ),
        "Zelensky",
        "ukraine",
        ("in his nightly video address", "in a post on X", "at a news conference in Kyiv"),
    ),
    "syrskyi": Source(
        (
            "Ukraine's commander-in-chief, Oleksandr Syrskyi,",
            "General Oleksandr Syrskyi, Ukraine's top commander,",
            "Oleksandr Syrskyi",
        ),
        "Syrskyi",
        "ukraine",
        ("in a post on Telegram", "in a statement"),
    ),
    "general_staff": Source(
        ("Ukraine's General Staff", "the General Staff of Ukraine's armed forces"),
        "the General Staff",
        "ukraine",
        ("in its daily update", "in a statement on Facebook"),
    ),
    "hur": Source(
        (
            "Ukraine's military intelligence agency (HUR)",
            "the Main Intelligence Directorate of Ukraine",
        ),
        "HUR",
        "ukraine",
        ("in a statement on Telegram",),
    ),
    "budanov": Source(
        (
            "Kyrylo Budanov, the head of Ukraine's military intelligence,",
            "Ukraine's military intelligence chief Kyrylo Budanov",
        ),
        "Budanov",
        "ukraine",
        ("in an interview", "on national television"),
    ),
    "kovalenko": Source(
        ("Andriy Kovalenko, head of Ukraine's Centre for Countering Disinformation,",),
        "Kovalenko",
        "ukraine",
        ("in a post on Telegram",),
    ),
    "lubinets": Source(
        ("Ukraine's human rights commissioner, Dmytro Lubinets,", "Dmytro Lubinets"),
        "Lubinets",
        "ukraine",
        ("in a statement",),
    ),
    "air_force": Source(
        ("Ukraine's Air Force", "the Ukrainian Air Force"),
        "the Air Force",
        "ukraine",
        ("in a statement on Telegram",),
    ),
    "ru_mod": Source(
        (
            "Russia's Defence Ministry",
            "the Russian Defence Ministry",
            "Russia's Ministry of Defence",
        ),
        "the ministry",
        "russia",
        ("in its daily briefing", "in a statement"),
    ),
    "peskov": Source(
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov, the Kremlin's spokesman,"),
        "Peskov",
        "russia",
        ("at a news briefing",),
    ),
    "gerasimov": Source(
        ("Russia's chief of the general staff, Valery Gerasimov,", "General Valery Gerasimov"),
        "Gerasimov",
        "russia",
        ("at a meeting with senior officers",),
    ),
    "kursk_governor": Source(
        ("Kursk region governor Alexander Khinshtein", "Alexander Khinshtein"),
        "Khinshtein",
        "russia",
        ("in a post on Telegram",),
    ),
    "nis": Source(
        (
            "South Korea's National Intelligence Service (NIS)",
            "South Korea's spy agency, the National Intelligence Service,",
        ),
        "the NIS",
        "south korea",
        ("at a closed-door briefing",),
    ),
    "lee": Source(
        (
            "Lee Seong-kweun, a member of the parliamentary intelligence committee,",
            "South Korean lawmaker Lee Seong-kweun",
        ),
        "Lee",
        "south korea",
        ("after a closed-door briefing",),
    ),
    "pentagon": Source(
        ("the Pentagon", "the US Defense Department"),
        "the Pentagon",
        "united states",
        ("in a statement",),
    ),
    "ryder": Source(
        (
            "Pentagon spokesman Pat Ryder",
            "Major General Pat Ryder, the Pentagon's press secretary,",
        ),
        "Ryder",
        "united states",
        ("at a briefing",),
    ),
    "austin": Source(
        ("US Defense Secretary Lloyd Austin", "Lloyd Austin, the US defense secretary,"),
        "Austin",
        "united states",
        ("at a news conference",),
    ),
    "uk_mod": Source(
        ("Britain's Ministry of Defence", "the British Defence Ministry"),
        "the ministry",
        "united kingdom",
        ("in its daily intelligence update",),
    ),
    "rutte": Source(
        ("NATO Secretary General Mark Rutte",),
        "Rutte",
        "nato",
        ("at a news conference in Brussels",),
    ),
    "un_mission": Source(
        (
            "the UN Human Rights Monitoring Mission in Ukraine",
            "the United Nations human rights monitoring mission",
        ),
        "the mission",
        "un",
        ("in its monthly update",),
    ),
}

DATELINES = {
    "ukraine": ("Kyiv", "Kharkiv", "Sumy"),
    "russia": ("Moscow", "Kursk"),
    "south korea": ("Seoul",),
    "united states": ("Washington",),
    "united kingdom": ("London",),
    "nato": ("Brussels",),
    "un": ("Geneva", "Kyiv"),
}

# --- what they count -----------------------------------------------------------------------

PARTICIPLES = {
    "killed": ("killed",),
    "wounded": ("wounded", "injured"),
    "killed_or_wounded": ("killed or wounded", "killed or injured"),
    "captured": ("captured",),
    "deployed": ("deployed",),
}


@dataclass(frozen=True)
class Series:
    """One developing figure: a subject and measure whose value drifts from ``start`` to
    ``end`` over the year, as each reporting source puts it (a factor on the value)."""

    story: str
    subjects: tuple[str, ...]
    measure: str
    start: float
    end: float
    reporters: tuple[tuple[str, float], ...]
    places: tuple[str, ...]
    weight: float = 1.0
    companion: str | None = None  # a second measure given in the same breath

    def value(self, day: int, factor: float, rng: random.Random) -> float:
        share = min(1.0, max(0.0, day / DAYS))
        return (self.start + (self.end - self.start) * share) * factor * rng.uniform(0.9, 1.1)


_NK = ("North Korean soldiers", "North Korean troops")
_KURSK = ("in Russia's Kursk region", "in the Kursk region", "in the western Kursk region")
SERIES: tuple[Series, ...] = (
    Series(
        "north korea",
        _NK,
        "deployed",
        10_500,
        14_000,
        (
            ("nis", 1.0),
            ("lee", 1.0),
            ("hur", 1.05),
            ("budanov", 1.05),
            ("pentagon", 1.0),
            ("ryder", 1.0),
            ("austin", 1.0),
            ("rutte", 1.0),
            ("zelensky", 1.1),
            ("ru_mod", 0.04),  # "no more than 500, all engineers": the figures conflict
        ),
        (*_KURSK, "in Russia"),
        weight=2.0,
    ),
    Series(
        "north korea",
        _NK,
        "killed",
        100,
        4_500,
        (
            ("nis", 1.0),
            ("lee", 1.0),
            ("hur", 1.3),
            ("zelensky", 1.5),
            ("syrskyi", 1.4),
            ("pentagon", 0.9),
            ("uk_mod", 1.0),
        ),
        _KURSK,
        weight=2.0,
        companion="wounded",
    ),
    Series(
        "north korea",
        _NK,
        "wounded",
        1_000,
        7_000,
        (("nis", 1.0), ("lee", 1.0), ("hur", 1.2), ("pentagon", 0.9)),
        _KURSK,
    ),
    Series(
        "north korea",
        _NK,
        "killed_or_wounded",
        2_000,
        11_000,
        (
            ("zelensky", 1.2),
            ("syrskyi", 1.1),
            ("hur", 1.1),
            ("kovalenko", 1.2),
            ("pentagon", 0.8),
            ("nis", 0.9),
            ("uk_mod", 1.0),
        ),
        _KURSK,
        weight=2.0,
    ),
    Series(
        "north korea",
        _NK,
        "captured",
        2,
        12,
        (("zelensky", 1.0), ("hur", 1.0), ("nis", 1.0), ("lubinets", 1.0)),
        ("in the Kursk region", "near the village of Plekhovo"),
        weight=0.6,
    ),
    Series(
        "russia",
        ("Russian soldiers", "Russian troops"),
        "killed_or_wounded",
        640_000,
        980_000,
        (("general_staff", 1.0), ("uk_mod", 0.95), ("pentagon", 0.9), ("zelensky", 1.0)),
        ("since the start of the full-scale invasion", "since February 2022"),
        weight=1.5,
    ),
    Series(
        "russia",
        ("Russian soldiers", "Russian troops"),
        "killed",
        150_000,
        240_000,
        (("uk_mod", 1.0), ("pentagon", 1.0), ("austin", 1.05), ("zelensky", 1.1)),
        ("since the start of the full-scale invasion", "in Ukraine since February 2022"),
    ),
    Series(
        "russia",
        ("Russian soldiers", "Russian servicemen"),
        "captured",
        500,
        1_300,
        (("zelensky", 1.0), ("syrskyi", 1.0), ("lubinets", 0.9)),
        _KURSK,
        weight=0.6,
    ),
    Series(
        "ukraine",
        ("Ukrainian soldiers", "Ukrainian troops"),
        "killed",
        43_000,
        52_000,
        (("zelensky", 1.0),),
        ("since the start of the full-scale invasion", "since February 2022"),
        weight=0.6,
        companion="wounded",
    ),
    Series(
        "ukraine",
        ("Ukrainian soldiers", "Ukrainian troops"),
        "wounded",
        370_000,
        400_000,
        (("zelensky", 1.0),),
        ("since the start of the full-scale invasion", "since February 2022"),
        weight=0.3,
    ),
    Series(
        "ukraine",
        ("Ukrainian soldiers", "Ukrainian servicemen"),
        "killed_or_wounded",
        30_000,
        80_000,
        (("ru_mod", 1.0), ("gerasimov", 1.1)),
        _KURSK,
    ),
    Series(
        "ukraine",
        ("Ukrainian soldiers", "Ukrainian servicemen"),
        "captured",
        400,
        1_500,
        (("ru_mod", 1.0), ("gerasimov", 1.0)),
        _KURSK,
        weight=0.5,
    ),
    Series(
        "civilians",
        ("civilians",),
        "killed",
        12_100,
        13_800,
        (("un_mission", 1.0), ("lubinets", 1.05)),
        ("in Ukraine since February 2022", "since the start of the full-scale invasion"),
        weight=0.8,
        companion="wounded",
    ),
    Series(
        "civilians",
        ("civilians",),
        "wounded",
        27_000,
        31_500,
        (("un_mission", 1.0),),
        ("in Ukraine since February 2022",),
        weight=0.4,
    ),
    Series(
        "kursk civilians",
        ("civilians",),
        "killed",
        300,
        650,
        (("kursk_governor", 1.0), ("ru_mod", 1.1)),
        ("in the Kursk region since August", "in the region since August"),
        weight=0.5,
    ),
)

DRONE_SOURCES = ("air_force",)

# Outlets: wires report first; the rest re-report them or carry their copy.
WIRES = ("Reuters", "AFP", "AP")
HOME_OUTLETS = {
    "ukraine": ("Kyiv Independent", "Ukrinform", "Ukrainska Pravda"),
    "russia": ("TASS", "RIA Novosti", "Interfax"),
    "south korea": ("Yonhap", "Korea Herald"),
    "united states": ("Associated Press", "Washington Ledger"),
    "united kingdom": ("BBC", "The Guardian"),
    "nato": ("Politico Europe",),
    "un": ("UN News",),
}
CARRIERS = (
    "Harbour City Herald",
    "Riverside Gazette",
    "Northern Post",
    "Daily Courier",
    "Lakeside Times",
    "Evening Standard-Tribune",
)
REPORTED_BY = ("Reuters", "AFP", "AP", "Yonhap", "the BBC", "Ukrinform", "TASS")

# --- what else the articles say ------------------------------------------------------------

BACKGROUND = {
    "north korea": (
        "Ukraine seized part of the Kursk region in a surprise cross-border offensive in August.",
        "Moscow has not publicly acknowledged the presence of North Korean troops.",
        "North Korea and Russia signed a mutual defence pact in June.",
        "The troops are the first North Korean forces to fight in a foreign war in decades.",
        "Pyongyang has also supplied artillery shells and ballistic missiles to the Russian army.",
        "The North Korean units fought alongside Russian marines and paratroopers.",
        "Seoul has said it is considering sending weapons directly to Ukraine in response.",
        "Memos found on dead soldiers suggested they had been ordered to avoid capture.",
        "The North Korean soldiers were unfamiliar with drone warfare and with the open terrain.",
        "Analysts say Pyongyang hopes to receive Russian military technology in return.",
    ),
    "russia": (
        "Russia does not publish its own casualty figures.",
        "Independent Russian outlets have confirmed the deaths of tens of thousands of soldiers "
        "by name from obituaries and social media posts.",
        "Moscow has relied on recruits paid large signing bonuses to replace its losses.",
        "Western officials say the fighting around Pokrovsk has been the costliest of the year.",
        "The Kremlin says its forces are advancing along the entire front line.",
    ),
    "ukraine": (
        "Kyiv rarely publishes its own military losses.",
        "Ukraine has lowered the age at which men can be mobilised to 25.",
        "Ukrainian commanders say they face a shortage of infantry at the front.",
        "Prisoner exchanges between the two sides resumed in the autumn.",
        "Moscow's figures for Ukrainian losses cannot be independently verified.",
    ),
    "civilians": (
        "The mission says the true toll is likely to be considerably higher.",
        "Most civilian casualties were caused by explosive weapons with wide-area effects.",
        "Residents of border villages have been evacuated several times since the summer.",
        "Russian strikes on the energy grid have left millions without power for hours at a time.",
    ),
    "kursk civilians": (
        "Thousands of residents were evacuated from the border districts in August.",
        "Moscow has accused Kyiv of shelling residential areas of the region.",
        "Many residents of Sudzha have been living in basements since the offensive began.",
    ),
    "drones": (
        "Russia has stepped up its drone attacks on Ukrainian cities since the autumn.",
        "Ukraine relies on mobile fire groups with machine guns to bring down the drones.",
        "Debris from downed drones damaged several houses, local officials said.",
        "The Shahed drones are built in Russia under licence from Iran.",
    ),
    "any": (
        "The figures could not be independently verified.",
        "Neither side publishes full casualty figures.",
        "The war in Ukraine began with Russia's full-scale invasion in February 2022.",
        "Fighting continued along the front line on Monday.",
        "Western governments have promised further military aid to Kyiv.",
        "Talks on a ceasefire have made little progress.",
        "Both sides are accused of exaggerating the other's losses.",
    ),
}
NO_COMMENT = (
    "{lead} did not respond to a request for comment.",
    "{lead} declined to comment on the figures.",
    "{lead} dismissed the figures as propaganda.",
    "{lead} has not commented on the reports.",
)
OBSERVATIONS = {
    "north korea": (
        "{short} said the North Korean units were attacking in large groups across open fields.",
        "{short} said the North Korean troops were suffering heavy losses from drones.",
        "{short} said the North Korean soldiers had been pulled back from the front to retrain.",
    ),
    "russia": (
        "{short} said Russian forces were losing more men than they could recruit.",
        "{short} said the heaviest fighting was near Pokrovsk and Kurakhove.",
    ),
    "ukraine": (
        "{short} said Ukrainian units had been pushed back from several villages.",
        "{short} said Ukrainian forces were still holding positions near Sudzha.",
    ),
    "civilians": ("{short} said most of the victims had been killed in their homes.",),
    "kursk civilians": ("{short} said several villages near the border had been destroyed.",),
    "drones": ("{short} said air defences had been active in several regions overnight.",),
}
QUOTES = {
    "ukraine": (
        "They are hiding their losses.",
        "Our soldiers are holding the line.",
        "The enemy is paying a heavy price.",
    ),
    "russia": (
        "The enemy is suffering heavy losses.",
        "All the tasks set have been fulfilled.",
        "These reports are pure propaganda.",
    ),
    "south korea": (
        "The losses are growing quickly.",
        "We are watching the situation closely.",
    ),
    "united states": (
        "We are concerned about the deepening cooperation.",
        "This is a dangerous escalation.",
    ),
    "united kingdom": ("The losses are unsustainable.",),
    "nato": ("This is a serious escalation of the war.",),
    "un": ("Civilians continue to pay the highest price.",),
}
# One word changed in a wire copy: (what the original says, what the copy says)
COPY_EDITS = (
    (" region", " province"),
    (" said on ", " stated on "),
    ("soldiers", "servicemen"),
    (" troops", " forces"),
    ("could not be independently verified", "could not be verified"),
    (" about ", " around "),
    (" more than ", " over "),
    (" heavy ", " severe "),
)
HEDGES = (
    *("about", "more than", "nearly", "at least", "some", "around", "roughly", "over"),
    *("almost", "an estimated", "up to", "fewer than"),
)
SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
FRACTIONS = ("a third", "about a third", "a quarter", "half", "nearly half")


# --- generating articles -------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedArticle:
    """One made-up article, with the original it copies when it is a wire copy."""

    text: str
    url: str
    outlet: str
    published: dt.date
    title: str
    copy_of: str | None = None  # the url of the article this one copies

    def to_json(self) -> dict[str, str]:
        """The JSONL object ``claimledger ingest`` reads."""
        return {
            "text": self.text,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published.isoformat(),
            "title": self.title,
        }


@dataclass
class _Claim:
    """One figure as it goes into a sentence."""

    series: Series
    source: Source
    subject: str
    amount: str  # "about 3,800"
    participle: str  # "killed or wounded"
    place: str
    second: tuple[str, str] | None = None  # ("nearly 1,000", "wounded")


def generate_articles(count: int, seed: int = 0) -> Iterator[GeneratedArticle]:
    """``count`` articles, in roughly chronological order over a year from START; the same
    seed gives the same articles. About COPY_SHARE of them are a wire story carried again
    by another outlet, with one word changed, right after the original."""
    rng = random.Random(seed)
    seen: set[bytes] = set()
    made = 0
    while made < count:
        day = min(DAYS - 1, max(0, int(made * DAYS / max(count, 1)) + rng.randint(-2, 2)))
        copied = rng.random() < COPY_SHARE / (1 - COPY_SHARE)
        article = _article(rng, made, START + dt.timedelta(days=day), wire=copied)
        if _digest(article.text) in seen:
            continue  # an exact repeat would be the same document: draw again
        seen.add(_digest(article.text))
        yield article
        made += 1
        if copied and made < count:
            copy = _copy(rng, made, article)
            if _digest(copy.text) not in seen:
                seen.add(_digest(copy.text))
                yield copy
                made += 1


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _article(
    rng: random.Random, number: int, published: dt.date, *, wire: bool = False
) -> GeneratedArticle:
    """One story's article; ``wire``: published by a news agency."""
    if rng.random() < 0.06:
        return _drone_article(rng, number, published, wire=wire)
    series = rng.choices(SERIES, weights=[s.weight for s in SERIES])[0]
    claim = _claim(rng, series, published)
    said = published - dt.timedelta(days=rng.choice((0, 1, 1, 2, 3)))
    outlet, via = (rng.choice(WIRES), None) if wire else _outlet(rng, claim.source)
    lead = _lead_sentence(rng, claim, said, published, via)
    pool = list(BACKGROUND[series.story] + BACKGROUND["any"])
    rng.shuffle(pool)
    city = rng.choice(DATELINES[claim.source.side])
    dateline = f"{city}, {_month_day(published)}."

    def more() -> str | None:
        return _next_sentence(rng, series, claim, published, pool)

    text = _body(rng, dateline, lead, more)
    title = _title(claim)
    return GeneratedArticle(
        text=text,
        url=_url(outlet, published, number, title),
        outlet=outlet,
        published=published,
        title=title,
    )


def _body(rng: random.Random, dateline: str, lead: str, more: Callable[[], str | None]) -> str:
    """The dateline and the lead, each a paragraph of its own, then different sentences
    from ``more`` up to a length drawn from WORDS (never over it), in 1 to 3 paragraphs."""
    target = rng.randint(*WORDS)
    sentences = [lead]
    words = len(dateline.split()) + len(lead.split())
    for _ in range(40):
        if words >= target:
            break
        sentence = more()
        if sentence is None or words + len(sentence.split()) > WORDS[1]:
            break
        if sentence not in sentences:
            sentences.append(sentence)
            words += len(sentence.split())
    rest = sentences[1:] or ["The figures could not be independently verified."]
    paragraphs = [[dateline], [lead]]
    count = min(len(rest), rng.randint(1, 3))
    for i in range(count):
        paragraphs.append(rest[i * len(rest) // count : (i + 1) * len(rest) // count])
    return "\n\n".join(" ".join(p) for p in paragraphs)


def _drone_article(
    rng: random.Random, number: int, published: dt.date, *, wire: bool
) -> GeneratedArticle:
    source = SOURCES[rng.choice(DRONE_SOURCES)]
    launched = rng.randint(40, 260)
    downed = int(launched * rng.uniform(0.55, 0.95))
    said = published - dt.timedelta(days=rng.choice((0, 1)))
    when = _when(rng, said, published)
    lead = _cap(
        rng.choice(
            (
                f"{rng.choice(source.leads)} said {when} that Russia had launched {launched} "
                f"drones overnight and that {downed} of them had been shot down.",
                f"Russia launched {launched} drones at Ukraine overnight, "
                f"{rng.choice(source.leads)} said {when}, adding that {downed} had been "
                "shot down.",
                f"According to {rng.choice(source.leads)}, air defences shot down {downed} "
                f"of the {launched} drones launched by Russia overnight.",
            )
        )
    )
    pool = list(BACKGROUND["drones"] + BACKGROUND["any"])
    rng.shuffle(pool)

    def more() -> str | None:
        roll = rng.random()
        if roll < 0.25:
            return _cap(rng.choice(OBSERVATIONS["drones"]).format(short=source.short))
        if roll < 0.45:
            earlier = rng.randint(30, 220)
            return (
                f"A day earlier, {source.short} said Russia had launched {earlier} drones "
                "and several missiles."
            )
        return pool.pop() if pool else None

    dateline = f"Kyiv, {_month_day(published)}."
    text = _body(rng, dateline, _tidy(lead), more)
    outlet = rng.choice(WIRES if wire else (*WIRES, *HOME_OUTLETS["ukraine"]))
    title = f"Russia launches {launched} drones at Ukraine overnight"
    return GeneratedArticle(
        text=text,
        url=_url(outlet, published, number, title),
        outlet=outlet,
        published=published,
        title=title,
    )


def _claim(rng: random.Random, series: Series, published: dt.date) -> _Claim:
    key, factor = rng.choice(series.reporters)
    day = (published - START).days
    value = series.value(day, factor, rng)
    subject = rng.choice(series.subjects)
    second = None
    if series.companion is not None and rng.random() < 0.4:
        other = next(s for s in SERIES if s.story == series.story and s.measure == series.companion)
        second = (
            _amount(rng, other.value(day, 1.0, rng)),
            rng.choice(PARTICIPLES[other.measure]),
        )
    return _Claim(
        series=series,
        source=SOURCES[key],
        subject=subject,
        amount=_amount(rng, value),
        participle=rng.choice(PARTICIPLES[series.measure]),
        place=rng.choice(series.places),
        second=second,
    )


def _outlet(rng: random.Random, source: Source) -> tuple[str, str | None]:
    """Who publishes the story, and the outlet it credits when it re-reports one."""
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(WIRES), None
    if roll < 0.7:
        return rng.choice(HOME_OUTLETS[source.side]), None
    outlet = rng.choice(CARRIERS + HOME_OUTLETS["united kingdom"])
    return outlet, rng.choice(REPORTED_BY) if rng.random() < 0.6 else None


def _lead_sentence(
    rng: random.Random, c: _Claim, said: dt.date, published: dt.date, via: str | None
) -> str:
    """The claim, in one of the shapes wire copy gives it."""
    who = rng.choice(c.source.leads)
    when = _when(rng, said, published)
    figure = f"{c.amount} {c.subject}"
    rest = f" and {c.second[0]} {c.second[1]}" if c.second else ""
    place = f" {c.place}"
    done = f"{c.participle}{rest}{place}"
    channel = rng.choice(c.source.channels) if c.source.channels else ""
    shapes: list[Callable[[], str]] = [
        lambda: f"{who} said {when} that {figure} had been {done}.",
        lambda: f"{figure} have been {done}, {who} said {when}.",
        lambda: f"{who} told reporters {when} that {figure} had been {done}.",
        lambda: f"{who} said {channel} {when} that {figure} had been {done}.",
        lambda: f'"{figure} have been {done}," {who} said {channel}.',
        lambda: f"According to {who}, {figure} have been {done}.",
        lambda: f"{figure} have been {done}, according to {who}.",
        lambda: f"{who} estimated {when} that {figure} may have been {done}.",
        lambda: f"{who} said {when} that {figure} were believed to have been {done}.",
        lambda: f"{who} wrote on Telegram {when} that {figure} had been {done}.",
        lambda: f"{who} said on {_month_day(said)} that {figure} had been {done}.",
    ]
    if c.series.measure == "deployed":
        shapes += [
            lambda: f"{who} said {when} that {figure} were deployed{place}.",
            lambda: f"{who} told lawmakers {when} that {figure} were stationed{place}.",
        ]
    if c.series.measure == "captured":
        captor = "Russian forces" if c.series.story == "ukraine" else "Ukrainian forces"
        shapes.append(lambda: f"{who} said {when} that {captor} had captured {figure}{place}.")
    if (
        c.series.story == "north korea"
        and c.series.measure in PARTICIPLES
        and c.series.measure not in ("deployed", "captured")
    ):
        shapes.append(lambda: _fraction_sentence(rng, c, who, when))
    sentence = _cap(rng.choice(shapes)())
    if via is not None:
        if rng.random() < 0.5:
            sentence = f"According to {via}, {who} said {when} that {figure} had been {done}."
        else:
            sentence = sentence[:-1] + f", {via} reported."
    return _tidy(_cap(sentence))


def _fraction_sentence(rng: random.Random, c: _Claim, who: str, when: str) -> str:
    """A share of a stated base: "a third of the 12,000 North Korean soldiers deployed"."""
    name = rng.choice(FRACTIONS)
    base = _round(rng.uniform(11_000, 14_000), 2)
    return (
        f"{who} said {when} that {name} of the {base:,} {c.subject} deployed in the Kursk "
        f"region had been {c.participle}."
    )


def _next_sentence(
    rng: random.Random, series: Series, lead: _Claim, published: dt.date, pool: list[str]
) -> str | None:
    """A sentence after the lead: another source's figure, the figure a month or so
    earlier, a quote, an observation without a figure, a reaction from the other side, or
    background (None when that has run out)."""
    roll = rng.random()
    source = lead.source
    if roll < 0.3:
        other = rng.choice([s for s in SERIES if s.story == series.story])
        claim = _claim(rng, other, published)
        claim.second = None
        said = published - dt.timedelta(days=rng.choice((0, 1, 2, 3, 4, 5, 6)))
        return _lead_sentence(rng, claim, said, published, None)
    if roll < 0.4:
        earlier = published - dt.timedelta(days=rng.randint(25, 50))
        key, factor = rng.choice(series.reporters)
        value = series.value((earlier - START).days, factor, rng)
        who = rng.choice(SOURCES[key].leads)
        subject = rng.choice(series.subjects)
        done = rng.choice(PARTICIPLES[series.measure])
        return _tidy(
            f"In {earlier.strftime('%B')}, {who} said that {_amount(rng, value)} {subject} "
            f"had been {done}."
        )
    if roll < 0.5:
        quote = rng.choice(QUOTES[source.side]).rstrip(".")
        return f'"{quote}," {source.short} said.'
    if roll < 0.6:
        return _cap(rng.choice(OBSERVATIONS[series.story]).format(short=source.short))
    if roll < 0.67:
        side = "russia" if source.side != "russia" else "ukraine"
        who = rng.choice([s.leads[0] for s in SOURCES.values() if s.side == side])
        return _tidy(_cap(rng.choice(NO_COMMENT).format(lead=who)))
    return pool.pop() if pool else None


def _copy(rng: random.Random, number: int, original: GeneratedArticle) -> GeneratedArticle:
    """The same wire story, carried by another outlet the same day or the next, with one
    word changed and its own headline."""
    # every article has a dateline paragraph to fall back on
    edits = [(a, b) for a, b in COPY_EDITS if a in original.text] or [(".\n\n", " (AP).\n\n")]
    old, new = rng.choice(edits)
    text = original.text.replace(old, new, 1)
    outlet = rng.choice(CARRIERS)
    published = original.published + dt.timedelta(days=rng.choice((0, 0, 1)))
    title = original.title.replace(" says ", ": ", 1)
    return GeneratedArticle(
        text=text,
        url=_url(outlet, published, number, title),
        outlet=outlet,
        published=published,
        title=title,
        copy_of=original.url,
    )


def _amount(rng: random.Random, value: float) -> str:
    """A figure as wire copy writes it: hedged, bounded, a range or exact."""
    if value < 10:
        n = min(9, max(1, round(value)))
        return SMALL_NUMBERS[n] if rng.random() < 0.5 else str(n)
    if value < 40:
        return f"{round(value)}"
    roll = rng.random()
    if roll < 0.1:
        return f"between {_round(value * 0.9, 2):,} and {_round(value * 1.1, 2):,}"
    if roll < 0.75:
        return f"{rng.choice(HEDGES)} {_round(value, 2):,}"
    return f"{_round(value, 3):,}"


def _round(value: float, digits: int) -> int:
    """``value`` to ``digits`` significant figures."""
    magnitude = max(0, len(str(int(value))) - digits)
    return int(round(value, -magnitude)) if magnitude else round(value)


def _when(rng: random.Random, said: dt.date, published: dt.date) -> str:
    days = (published - said).days
    weekday = said.strftime("%A")
    if days == 0:
        return rng.choice((f"on {weekday}", ""))
    return rng.choice((f"on {weekday}", f"late on {weekday}", f"on {_month_day(said)}"))


def _month_day(day: dt.date) -> str:
    return f"{day.strftime('%B')} {day.day}"


def _tidy(sentence: str) -> str:
    """One space between words, and no comma left before closing punctuation by a name
    written for mid-sentence ("Volodymyr Zelensky, Ukraine's president,")."""
    sentence = " ".join(sentence.split())
    for before, after in ((",,", ","), (", .", "."), (",.", "."), (" .", "."), (" ,", ",")):
        sentence = sentence.replace(before, after)
    return sentence


def _cap(text: str) -> str:
    """The first letter upper-cased, inside an opening quote too."""
    if text.startswith('"'):
        return '"' + _cap(text[1:])
    return text[:1].upper() + text[1:]


def _title(c: _Claim) -> str:
    who = c.source.short.removeprefix("the ")
    return _cap(f"{who} says {c.amount} {c.subject} {c.participle}")


def _url(outlet: str, published: dt.date, number: int, title: str) -> str:
    slug = "-".join(
        w for w in "".join(ch if ch.isalnum() else " " for ch in outlet).lower().split()
    )
    words = "-".join("".join(ch for ch in w if ch.isalnum()) for w in title.lower().split()[:6])
    return f"https://example.org/{slug}/{published.isoformat()}/{number:05d}-{words}"


def write_articles(path: Path, articles: Iterable[GeneratedArticle]) -> GeneratedSet:
    """Stream ``articles`` to a JSONL file; what was written, and which copies which."""
    written = GeneratedSet()
    with path.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
            written.articles += 1
            written.words += len(article.text.split())
            if article.copy_of is not None:
                written.copies[article.url] = article.copy_of
    return written


@dataclass
class GeneratedSet:
    articles: int = 0
    words: int = 0
    copies: dict[str, str] = field(default_factory=dict)  # copy url -> original url


# --- the benchmark -------------------------------------------------------------------------

# The queries timed, by the name the report shows; each returns how many rows it gave.
SINCE = START + dt.timedelta(days=DAYS - 60)
QUERIES: dict[str, Callable[[Ledger], int]] = {
    "claims()": lambda ledger: _count(ledger.claims()),
    "find_claims()": lambda ledger: _count(ledger.find_claims()),
    "find_claims(subject='north korean')": lambda ledger: _count(
        ledger.find_claims(ClaimQuery(subject="north korean"))
    ),
    "find_claims(source='Zelensky')": lambda ledger: _count(
        ledger.find_claims(ClaimQuery(source="Zelensky"))
    ),
    f"find_claims(since={SINCE.isoformat()})": lambda ledger: _count(
        ledger.find_claims(ClaimQuery(since=SINCE))
    ),
    "find_claims(limit=50, offset=10000) (a page)": lambda ledger: _count(
        ledger.find_claims(limit=50, offset=10_000)
    ),
    "conflicts()": lambda ledger: len(ledger.conflicts()),
    "conflicts(limit=100) (the CLI's first page)": lambda ledger: len(ledger.conflicts(limit=100)),
    "count_relations(kind='conflicts')": lambda ledger: ledger.count_relations(kind="conflicts"),
    "figures(measure='killed')": lambda ledger: len(ledger.figures(measure="killed")),
    "figures(limit=50) (a page)": lambda ledger: len(ledger.figures(limit=50)),
    "claim_groups()": lambda ledger: len(ledger.claim_groups()),
    "sources()": lambda ledger: len(ledger.sources()),
}
# Queries that read the stored rows only; the rest reconcile first when the ledger is stale.
WITHOUT_RECONCILE = {"claims()"}


@dataclass(frozen=True)
class StepTiming:
    """One timed step, run in a child process so that a pathological one can be stopped:
    ``status`` is "ok", "stopped" (over the time limit) or what went wrong."""

    step: str
    seconds: float  # the median of the timed runs; for a stopped step, how long it ran
    runs: int
    rows: int
    peak_mib: float  # the child's peak resident memory (it starts as a copy of this process)
    status: str = "ok"
    stack: tuple[str, ...] = ()  # for a stopped step: where it was, innermost frames first


@dataclass
class BenchResult:
    """Everything the benchmark reports; also written as results.json."""

    date: str
    machine: str
    articles: int
    words: int
    workers: int
    failed: int
    ingest_s: float
    articles_per_s: float
    words_per_s: float
    peak_self_mib: float  # RUSAGE_SELF after ingest: generating, analysing (1 worker), storing
    peak_workers_mib: float  # RUSAGE_CHILDREN after ingest: the largest ingest worker
    reconcile: StepTiming
    queries: list[StepTiming]
    relations: dict[str, int]
    counts: dict[str, int]
    near_duplicates_generated: int
    near_duplicates_found: int
    near_duplicates_matching: int  # found links that join a generated copy to its original
    ledger_bytes: int


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process (RUSAGE_SELF) or of its largest waited-for
    child (RUSAGE_CHILDREN), in MiB. Linux reports KiB, macOS bytes."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def machine() -> str:
    """Architecture, cores, CPU model, memory and Python, as far as this OS tells (read
    from /proc: ``platform.processor()`` would fork ``uname``, and a fork of a large
    process counts as a large child in RUSAGE_CHILDREN)."""
    cpu, memory = "", ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(ln.split(":", 1)[1].strip() for ln in info.splitlines() if "model name" in ln)
        cpu = f" ({cpu})"
        meminfo = Path("/proc/meminfo").read_text().split()
        memory = f", {int(meminfo[meminfo.index('MemTotal:') + 1]) / 1024**2:.0f} GiB RAM"
    except (OSError, ValueError, IndexError, StopIteration):
        pass
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{cpu}{memory}, "
        f"Python {platform.python_version()}"
    )


def time_query(work: Callable[[], int], *, runs: int = 5) -> tuple[float, int]:
    """(median seconds of ``runs`` timed runs after one warm-up, rows)."""
    rows = work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def run_limited(
    step: str, work: Callable[[], tuple[float, int, int]], limit: float, stacks: Path
) -> StepTiming:
    """Run ``work`` (returning seconds, rows, runs) in a forked child. Past ``limit``
    seconds the child is stopped; four stack samples taken on the way (faulthandler, into
    ``stacks``) say where it spent its time."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    stacks.unlink(missing_ok=True)

    def child() -> None:
        with stacks.open("w") as dump:
            faulthandler.register(signal.SIGUSR1, file=dump, all_threads=False)
            _cap_memory()
            try:
                seconds, rows, runs = work()
                send.send(("ok", seconds, rows, runs, peak_rss_mib()))
            except MemoryError:
                send.send(("out of memory", 0.0, 0, 0, peak_rss_mib()))
            except Exception as exc:
                send.send((f"failed: {type(exc).__name__}: {exc}", 0.0, 0, 0, peak_rss_mib()))

    process = context.Process(target=child, name=f"bench {step}")
    started = time.perf_counter()
    process.start()
    send.close()
    pid = process.pid
    assert pid is not None
    samples = 0
    while not receive.poll(0.2):
        elapsed = time.perf_counter() - started
        if not process.is_alive():
            process.join()
            return StepTiming(step, elapsed, 0, 0, 0.0, f"died (exit code {process.exitcode})")
        if samples < 4 and elapsed >= limit * (samples + 1) / 4:
            os.kill(pid, signal.SIGUSR1)
            samples += 1
        if samples == 4 and elapsed >= limit + 1:
            process.kill()
            process.join()
            return StepTiming(step, elapsed, 0, 0, 0.0, "stopped", _frames(stacks))
    status, seconds, rows, runs, peak = receive.recv()
    process.join()
    return StepTiming(step, seconds, runs, rows, peak, status)


def _cap_memory() -> None:
    """Keep a child to 80 % of the machine's memory, so a runaway step ends in a
    MemoryError rather than in the kernel killing whatever is largest."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (int(pages * 0.8), resource.RLIM_INFINITY))
    except (ValueError, OSError):
        pass


def _frames(stacks: Path) -> tuple[str, ...]:
    """The innermost claimledger frame of each stack sample, with its caller:
    "relate (reconcile.py:449) < <listcomp> (reconcile.py:709)"."""
    found = []
    try:
        text = stacks.read_text()
    except OSError:
        return ()
    for sample in text.split("(most recent call first):")[1:]:
        ours = []
        for line in sample.splitlines():
            line = line.strip()
            if line.startswith('File "') and "claimledger" in line and __file__ not in line:
                path, _, rest = line[len('File "') :].partition('", line ')
                number, _, function = rest.partition(" in ")
                ours.append(f"{function} ({Path(path).name}:{number})")
        if ours:
            found.append(" < ".join(ours[:3]))
    return tuple(found)


def run_benchmark(
    count: int,
    out: Path,
    *,
    workers: int = 2,
    seed: int = 0,
    profile: str = "fast",
    runs: int = 5,
    limit: float = 120.0,
    console: Any = None,
) -> BenchResult:
    """Generate ``count`` articles into ``out``, ingest them into ``out/ledger.sqlite``
    (replaced if there), reconcile it and time the queries, each step stopped past
    ``limit`` seconds."""
    from rich.console import Console

    from claimledger.ingest.run import ingest

    console = console or Console(stderr=True)
    log = _Log(console)
    out.mkdir(parents=True, exist_ok=True)
    articles_path = out / "articles.jsonl"
    db = out / "ledger.sqlite"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    generated = write_articles(articles_path, generate_articles(count, seed))
    log(f"wrote {generated.articles:,} articles ({generated.words:,} words) to {articles_path}")

    with Ledger(db) as ledger, _progress(console, "ingesting", generated.articles) as advance:
        started = time.perf_counter()
        tally = ingest(
            [articles_path],
            ledger,
            workers=workers,
            profile=profile,
            progress=lambda _stored, _line: advance(),
        )
        ingest_s = time.perf_counter() - started
    peak_self, peak_workers = peak_rss_mib(), peak_rss_mib(resource.RUSAGE_CHILDREN)
    log(
        f"ingested in {ingest_s:.1f} s; peak memory {peak_self:.0f} MiB, workers {peak_workers:.0f}"
    )

    def reconcile() -> tuple[float, int, int]:
        with Ledger(db) as ledger:
            start = time.perf_counter()
            summary = ledger.reconcile(force=True)
            seconds = time.perf_counter() - start
        (out / "reconcile.json").write_text(json.dumps(summary.to_json()))
        return seconds, sum(summary.relations.values()), 1

    with console.status("reconciling"):
        reconciled = run_limited("reconcile(force=True)", reconcile, limit, out / "stacks.txt")
    log(
        f"reconcile: {reconciled.status}, {reconciled.seconds:.1f} s, {reconciled.rows:,} relations"
    )
    relations: dict[str, int] = {}
    derived: dict[str, int] = {}
    if reconciled.status == "ok":
        summary = json.loads((out / "reconcile.json").read_text())
        relations = summary["relations"]
        derived = {"ledger entities": summary["entities"], "figures": summary["figures"]}

    timings = []
    for name, query in QUERIES.items():
        if reconciled.status != "ok" and name not in WITHOUT_RECONCILE:
            timings.append(
                StepTiming(name, 0.0, 0, 0, 0.0, "not run: the ledger is not reconciled")
            )
            continue

        def timed(query: Callable[[Ledger], int] = query) -> tuple[float, int, int]:
            with Ledger(db) as ledger:
                seconds, rows = time_query(lambda: query(ledger), runs=runs)
            return seconds, rows, runs

        with console.status(f"timing {name}"):
            timing = run_limited(name, timed, limit, out / "stacks.txt")
        timings.append(timing)
        log(f"{name}: {timing.status}, {timing.seconds:.3f} s, {timing.rows:,} rows")

    with Ledger(db) as ledger:
        counts = ledger.counts() | derived
        found = len(ledger.duplicates())
        matching = _matching_copies(ledger, generated.copies)
    size = sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    return BenchResult(
        date=dt.date.today().isoformat(),
        machine=machine(),
        articles=generated.articles,
        words=generated.words,
        workers=workers,
        failed=len(tally.failed),
        ingest_s=ingest_s,
        articles_per_s=generated.articles / ingest_s,
        words_per_s=generated.words / ingest_s,
        peak_self_mib=peak_self,
        peak_workers_mib=peak_workers,
        reconcile=reconciled,
        queries=timings,
        relations=relations,
        counts=counts,
        near_duplicates_generated=len(generated.copies),
        near_duplicates_found=found,
        near_duplicates_matching=matching,
        ledger_bytes=size,
    )


@contextmanager
def _progress(console: Any, what: str, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal; elsewhere (a log file) a line every 5 %."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    log = _Log(console)
    done = 0
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task(what, total=total)

        def advance() -> None:
            nonlocal done
            done += 1
            bar.advance(task)
            if not console.is_terminal and done % max(1, total // 20) == 0:
                log(f"{what} {done:,}/{total:,} ({done / log.elapsed():.1f}/s)")

        yield advance


def _count(rows: Iterable[object]) -> int:
    return sum(1 for _ in rows)


def _matching_copies(ledger: Ledger, copies: dict[str, str]) -> int:
    """Near-duplicate links that join a generated copy to its own original."""
    url = {d.id: d.url for d in ledger.documents()}
    return sum(1 for a, b, _ in ledger.duplicates() if copies.get(url[a] or "") == url[b])


class _Log:
    """Lines on the console with the seconds since the start: what a background run's log
    shows."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def __call__(self, message: str) -> None:
        self.console.print(f"[{self.elapsed():7.1f} s] {message}", highlight=False, markup=False)


def markdown(result: BenchResult) -> str:
    """The report: ingest and memory, reconcile and queries, and what the ledger holds."""
    r = result
    claims = r.counts.get("claims", 0)
    lines = [
        f"### Ledger at {r.articles:,} articles ({r.words:,} words, generated)",
        "",
        f"{r.date} · {r.machine} · ingest with {r.workers} worker process(es) · queries: "
        "median of the timed runs after one warm-up",
        "",
        "| step | seconds | rate | peak memory (MiB) |",
        "| --- | --- | --- | --- |",
        f"| ingest: analyse and store | {r.ingest_s:,.1f} | {r.articles_per_s:,.1f} articles/s, "
        f"{r.words_per_s:,.0f} words/s | {r.peak_self_mib:,.0f} this process (RUSAGE_SELF), "
        f"{r.peak_workers_mib:,.0f} largest worker (RUSAGE_CHILDREN) |",
        _step_row(r.reconcile, f"{claims:,} claims → {r.reconcile.rows:,} relations"),
        *(_step_row(q, f"{q.rows:,} rows") for q in r.queries),
        "",
        "| ledger | count |",
        "| --- | --- |",
        *(f"| {k} | {v:,} |" for k, v in r.counts.items()),
        f"| claims per document | {claims / max(r.counts.get('documents', 0), 1):.2f} |",
        *(f"| relations: {k} | {v:,} |" for k, v in r.relations.items()),
        f"| near-duplicates generated / linked / linked to their own original | "
        f"{r.near_duplicates_generated:,} / {r.near_duplicates_found:,} / "
        f"{r.near_duplicates_matching:,} |",
        f"| inputs that failed | {r.failed:,} |",
        f"| file size (database and WAL) | {r.ledger_bytes / 1024**2:,.1f} MiB |",
    ]
    stopped = [s for s in (r.reconcile, *r.queries) if s.stack]
    for step in stopped:
        lines += ["", f"`{step.step}` was stopped after {step.seconds:,.0f} s; stack samples:", ""]
        lines += [f"- {frame}" for frame in step.stack]
    return "\n".join(lines) + "\n"


def _step_row(step: StepTiming, what: str) -> str:
    """A table row for a step timed in a child process (its peak includes this process's
    memory at the fork)."""
    if step.status == "ok":
        runs = "1 run" if step.runs == 1 else f"median of {step.runs}"
        return f"| `{step.step}` | {step.seconds:,.3f} | {what} ({runs}) | {step.peak_mib:,.0f} |"
    seconds = f"> {step.seconds:,.0f}" if step.status == "stopped" else "–"
    return f"| `{step.step}` | {seconds} | {step.status} | – |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000, help="how many to generate")
    parser.add_argument("--workers", type=int, default=2, help="ingest worker processes")
    parser.add_argument("--seed", type=int, default=0, help="the same seed, the same articles")
    parser.add_argument("--profile", choices=("fast", "accurate"), default="fast")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query, after a warm-up")
    parser.add_argument(
        "--limit",
        type=float,
        default=120.0,
        help="stop the reconcile or a query that runs longer than this many seconds",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="keep the articles, ledger and results.json here (default: a temporary directory)",
    )
    parser.add_argument("--markdown-out", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.workers < 1 or args.runs < 1:
        parser.error("--articles, --workers and --runs must be at least 1")
    out = args.out or Path(tempfile.mkdtemp(prefix="claimledger-bench-"))
    try:
        result = run_benchmark(
            args.articles,
            out,
            workers=args.workers,
            seed=args.seed,
            profile=args.profile,
            runs=args.runs,
            limit=args.limit,
        )
        (out / "results.json").write_text(json.dumps(asdict(result), indent=2) + "\n")
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    report = markdown(result)
    sys.stdout.write(report)
    if args.markdown_out is not None:
        args.markdown_out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
