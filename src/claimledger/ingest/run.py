"""Ingest: analyse articles (in worker processes when asked) and store each in the ledger
in its own transaction, in input order. A crash leaves every document either fully
stored or absent, and running the same ingest again completes it without duplicates."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from claimledger import lexicon
from claimledger.errors import ClaimledgerError, InputError
from claimledger.gazetteer import Gazetteer
from claimledger.ingest.inputs import Article, iter_articles
from claimledger.ingest.reader import DEFAULT_MAX_BYTES
from claimledger.ledger import Ledger
from claimledger.ledger.writes import Stored
from claimledger.records import Analysis


@dataclass
class Tally:
    """What an ingest did."""

    new: int = 0
    replaced: int = 0
    duplicates: int = 0  # stored, and linked to an earlier near-copy
    failed: list[str] = field(default_factory=list)  # one line per input that failed


def analyse_article(
    article: Article, profile: str = "fast", gazetteer: Gazetteer | None = None
) -> Analysis:
    from claimledger.extract import analyze

    loaded = article.loaded
    return analyze(
        loaded.text,
        published=loaded.published,
        url=loaded.url,
        outlet=article.outlet,
        title=loaded.title,
        path=loaded.path,
        format=loaded.format,
        profile=profile,
        gazetteer=gazetteer,
    )


# What a worker process analyses with, set once when it starts (_start_worker) rather
# than sent with every article.
_worker_gazetteer: Gazetteer | None = None


def _start_worker(gazetteer: Gazetteer | None, lexicons: tuple[Path, ...]) -> None:
    global _worker_gazetteer
    _worker_gazetteer = gazetteer
    for path in lexicons:
        lexicon.extend(path)


def _analyse_in_worker(article: Article, profile: str) -> Analysis:
    return analyse_article(article, profile, _worker_gazetteer)


def _analyses(
    items: Iterable[Article | InputError],
    workers: int,
    profile: str,
    gazetteer: Gazetteer | None,
) -> Iterator[Analysis | ClaimledgerError]:
    """Analyses in input order; at most twice as many articles in flight as workers."""
    if workers <= 1:
        for item in items:
            if isinstance(item, InputError):
                yield item
                continue
            try:
                yield analyse_article(item, profile, gazetteer)
            except ClaimledgerError as exc:
                yield exc
        return
    # spawn, not fork: torch (the accurate profile) and threads do not survive a fork
    context = multiprocessing.get_context("spawn" if profile != "fast" else None)
    # A forked worker inherits this process's word lists, extended already; a spawned one
    # (or one from a fork server) starts with the shipped lists and reads the user's again.
    inherited = context.get_start_method() == "fork"
    extensions = () if inherited else lexicon.extensions()
    pending: deque[Future[Analysis] | InputError] = deque()
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(gazetteer, extensions),
    ) as pool:

        def drain_one() -> Analysis | ClaimledgerError:
            head = pending.popleft()
            if isinstance(head, InputError):
                return head
            try:
                return head.result()
            except ClaimledgerError as exc:
                return exc

        for item in items:
            if isinstance(item, InputError):
                pending.append(item)
            else:
                pending.append(pool.submit(_analyse_in_worker, item, profile))
            while len(pending) > 2 * workers:
                yield drain_one()
        while pending:
            yield drain_one()


def ingest(
    paths: Iterable[str | Path],
    ledger: Ledger,
    *,
    workers: int = 1,
    profile: str = "fast",
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[Stored | None, str], None] | None = None,
    gazetteer: Gazetteer | None = None,
) -> Tally:
    """Store every article under ``paths``; ``progress`` is told after each one (the
    stored result, or None and the error line).

    ``gazetteer`` names known outlets, organisations and equipment (default: the shipped
    one, which :func:`claimledger.gazetteer.load_gazetteer` extends). Workers analyse
    with this process's word lists: a worker that starts afresh reads again the files
    :func:`claimledger.lexicon.extend` added (:func:`claimledger.lexicon.extensions`)."""
    tally = Tally()
    items = iter_articles(paths, max_bytes=max_bytes)
    for result in _analyses(items, workers, profile, gazetteer):
        if isinstance(result, ClaimledgerError):
            tally.failed.append(str(result))
            if progress is not None:
                progress(None, str(result))
            continue
        stored = ledger.store_analysis(result)
        if stored.new:
            tally.new += 1
        else:
            tally.replaced += 1
        if stored.duplicate_of is not None:
            tally.duplicates += 1
        if progress is not None:
            progress(stored, result.document.path or stored.document_id)
    return tally
