"""Made-up wire articles for the ledger benchmark: figures given by named officials,
ministries and intelligence agencies that drift over a year, outlets that re-report each
other ("according to Reuters"), and about 5 % wire copies carried a second time with one
word changed, so near-duplicate detection has work to do. Deterministic from a seed.

The world they are drawn from — sources, series of figures, outlets, background
sentences — is data: ``bench_vocabulary.toml`` beside this module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

START = dt.date(2024, 11, 1)
DAYS = 365
WORDS = (80, 200)
COPY_SHARE = 0.05

# --- the world the articles are drawn from -------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Someone who gives figures: the ways a first mention names them, a later mention,
    the side they are on (for datelines, quotes and reactions), and where they said it."""

    leads: tuple[str, ...]
    short: str
    side: str
    channels: tuple[str, ...] = ()


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


def _vocabulary() -> dict[str, Any]:
    text = resources.files("claimledger.evaluation").joinpath("bench_vocabulary.toml")
    return tomllib.loads(text.read_text("utf-8"))


def _tuples(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in table.items()}


_WORLD = _vocabulary()
SOURCES: dict[str, Source] = {
    key: Source(tuple(s["leads"]), s["short"], s["side"], tuple(s["channels"]))
    for key, s in _WORLD["sources"].items()
}
SERIES: tuple[Series, ...] = tuple(
    Series(
        story=s["story"],
        subjects=tuple(s["subjects"]),
        measure=s["measure"],
        start=s["start"],
        end=s["end"],
        reporters=tuple((key, float(factor)) for key, factor in s["reporters"]),
        places=tuple(s["places"]),
        weight=s.get("weight", 1.0),
        companion=s.get("companion"),
    )
    for s in _WORLD["series"]
)
DATELINES = _tuples(_WORLD["datelines"])
PARTICIPLES = _tuples(_WORLD["participles"])
DRONE_SOURCES: tuple[str, ...] = tuple(_WORLD["drone_sources"])
WIRES: tuple[str, ...] = tuple(_WORLD["wires"])
HOME_OUTLETS = _tuples(_WORLD["home_outlets"])
CARRIERS: tuple[str, ...] = tuple(_WORLD["carriers"])
REPORTED_BY: tuple[str, ...] = tuple(_WORLD["reported_by"])
BACKGROUND = _tuples(_WORLD["background"])
NO_COMMENT: tuple[str, ...] = tuple(_WORLD["no_comment"])
OBSERVATIONS = _tuples(_WORLD["observations"])
QUOTES = _tuples(_WORLD["quotes"])
COPY_EDITS: tuple[tuple[str, str], ...] = tuple((a, b) for a, b in _WORLD["copy_edits"])
HEDGES: tuple[str, ...] = tuple(_WORLD["hedges"])
SMALL_NUMBERS: tuple[str, ...] = tuple(_WORLD["small_numbers"])
FRACTIONS: tuple[str, ...] = tuple(_WORLD["fractions"])


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
