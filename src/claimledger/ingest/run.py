"""Ingest: analyse articles (in worker processes when asked) and store each in the ledger
in its own transaction, in input order. A crash leaves every document either fully
stored or absent, and running the same ingest again completes it without duplicates."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from claimledger import lexicon
from claimledger.errors import ClaimledgerError, InputError, LedgerError
from claimledger.gazetteer import Gazetteer
from claimledger.ingest.inputs import Article, GivenMetadata, iter_articles
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
    _exit_with_parent()


def _exit_with_parent() -> None:
    """End this worker when the ingest that started it ends, however it ends: a parent
    killed with SIGKILL never shuts its pool down, and a worker waiting on the task queue
    (whose pipe it holds open itself) would wait for ever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _analyse_in_worker(article: Article, profile: str) -> Analysis:
    return analyse_article(article, profile, _worker_gazetteer)


def _failure(article: Article, exc: BaseException) -> InputError:
    """One line for an article whose analysis failed unexpectedly (a bug to report), so
    the batch goes on."""
    first = str(exc).splitlines()[0] if str(exc) else ""
    reason = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return InputError(
        f"{article.loaded.path}: the analysis failed ({reason}); this is a bug in "
        "claimledger, please report it with the article"
    )


def _analyse_isolated(
    article: Article, profile: str, gazetteer: Gazetteer | None
) -> Analysis | ClaimledgerError:
    try:
        return analyse_article(article, profile, gazetteer)
    except ClaimledgerError as exc:
        return exc
    except Exception as exc:
        return _failure(article, exc)


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
            yield _analyse_isolated(item, profile, gazetteer)
        return
    # spawn, not fork: torch (the accurate profile) and threads do not survive a fork
    context = multiprocessing.get_context("spawn" if profile != "fast" else None)
    # A forked worker inherits this process's word lists, extended already; a spawned one
    # (or one from a fork server) starts with the shipped lists and reads the user's again.
    inherited = context.get_start_method() == "fork"
    extensions = () if inherited else lexicon.extensions()

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(gazetteer, extensions),
        )

    pending: deque[tuple[Article, Future[Analysis]] | InputError] = deque()
    pool = new_pool()
    try:

        def restart() -> ProcessPoolExecutor:
            nonlocal pool
            pool.shutdown(wait=False, cancel_futures=True)
            pool = new_pool()
            return pool

        def submit(article: Article) -> Future[Analysis]:
            try:
                return pool.submit(_analyse_in_worker, article, profile)
            except BrokenProcessPool as exc:
                # broken by an article before it: failed here, sorted out when drained
                failed: Future[Analysis] = Future()
                failed.set_exception(exc)
                return failed

        def drain_one() -> Analysis | ClaimledgerError:
            head = pending.popleft()
            if isinstance(head, InputError):
                return head
            article, future = head
            try:
                return future.result()
            except ClaimledgerError as exc:
                return exc
            except BrokenProcessPool:
                # A worker died (killed, out of memory) and took the pool with it. This
                # article is tried again alone in a new pool: if that one dies too, it is
                # the one that kills workers and is reported; the others go on either way.
                restart()
                retried = submit(article)
                try:
                    result: Analysis | ClaimledgerError = retried.result()
                except BrokenProcessPool:
                    restart()
                    result = InputError(
                        f"{article.loaded.path}: the worker analysing it died (killed, or "
                        "out of memory); run the ingest again for it, or with --workers 1"
                    )
                except ClaimledgerError as exc:
                    result = exc
                except Exception as exc:
                    result = _failure(article, exc)
                for index, waiting in enumerate(pending):
                    if not isinstance(waiting, InputError) and not _succeeded(waiting[1]):
                        pending[index] = (waiting[0], submit(waiting[0]))
                return result
            except Exception as exc:
                return _failure(article, exc)

        for item in items:
            if isinstance(item, InputError):
                pending.append(item)
            else:
                pending.append((item, submit(item)))
            while len(pending) > 2 * workers:
                yield drain_one()
        while pending:
            yield drain_one()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _succeeded(future: Future[Analysis]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def ingest(
    paths: Iterable[str | Path],
    ledger: Ledger,
    *,
    workers: int = 1,
    profile: str = "fast",
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[Stored | None, str], None] | None = None,
    gazetteer: Gazetteer | None = None,
    given: GivenMetadata | None = None,
) -> Tally:
    """Store every article under ``paths``; ``progress`` is told after each one (the
    stored result, or None and the error line). ``given`` is what the user says of the
    article files (.txt, .html): publication day, outlet, URL.

    ``gazetteer`` names known outlets, organisations and equipment (default: the shipped
    one, which :func:`claimledger.gazetteer.load_gazetteer` extends). Workers analyse
    with this process's word lists: a worker that starts afresh reads again the files
    :func:`claimledger.lexicon.extend` added (:func:`claimledger.lexicon.extensions`).

    Every input is isolated: one that cannot be read or analysed is one line in
    ``Tally.failed`` and the rest go on. A ledger that cannot be written (read-only, busy
    past its timeout, unreachable) raises ``LedgerError``: no later article could be
    stored either."""
    tally = Tally()
    items = iter_articles(paths, max_bytes=max_bytes, given=given)
    for result in _analyses(items, workers, profile, gazetteer):
        if isinstance(result, ClaimledgerError):
            tally.failed.append(str(result))
            if progress is not None:
                progress(None, str(result))
            continue
        try:
            stored = ledger.store_analysis(result)
        except LedgerError:
            raise
        except ClaimledgerError as exc:
            tally.failed.append(str(exc))
            if progress is not None:
                progress(None, str(exc))
            continue
        if stored.new:
            tally.new += 1
        else:
            tally.replaced += 1
        if stored.duplicate_of is not None:
            tally.duplicates += 1
        if progress is not None:
            progress(stored, result.document.path or stored.document_id)
    return tally
