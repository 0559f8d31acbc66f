"""Ingest on a Dask cluster (``claimledger ingest --cluster``): the input is split into
shards (:mod:`claimledger.ingest.shards`), each worker loads the pipeline once (a worker
plugin), reads its shards itself and stores each article straight into the PostgreSQL
ledger in its own transaction. The client only plans, counts and reconciles: no article
text travels through it. A worker lost mid-shard has its shard run again elsewhere by
the scheduler; storing is idempotent by content hash, so nothing is stored twice.

Only imported when ``--cluster`` is given: a one-machine ingest never loads Dask."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from distributed import Client, WorkerPlugin, as_completed, get_worker

from claimledger import lexicon
from claimledger.errors import ClaimledgerError, InputError, LedgerError
from claimledger.gazetteer import Gazetteer
from claimledger.ingest.run import Tally, _analyse_isolated
from claimledger.ingest.shards import (
    DEFAULT_SHARD_BYTES,
    Plan,
    Shard,
    empty_warcs,
    plan_shards,
    read_shard,
)
from claimledger.ledger import Ledger
from claimledger.ledger.store import database_url, display_name
from claimledger.ledger.writes import Stored

PLUGIN = "claimledger-ingest"
# How long to wait for a scheduler to answer, and for a first worker to join it.
CONNECT_SECONDS = 20
WORKERS_SECONDS = 120


class ClusterError(ClaimledgerError):
    """The cluster cannot be used: no scheduler, no workers, or a ledger it cannot share."""


@dataclass
class ShardReport:
    """What one shard did, as its worker counted it."""

    shard: str
    worker: str = ""
    read: int = 0  # articles read from the shard
    articles: int = 0  # analysed and stored
    words: int = 0
    new: int = 0
    replaced: int = 0
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0  # on the worker, from the first read to the last commit


@dataclass
class ClusterTally(Tally):
    """What a cluster ingest did, in all and shard by shard."""

    shards: list[ShardReport] = field(default_factory=list)
    words: int = 0


def check_shared_ledger(db: str) -> None:
    """A cluster's workers write from several machines at once: SQLite cannot take that."""
    url = database_url(db)
    if not url.startswith("postgresql"):
        raise ClusterError(
            f"--cluster needs a PostgreSQL ledger (--db postgresql+psycopg://user@host/db), "
            f"not {display_name(db)}: a SQLite file cannot take writers on several machines"
        )


class IngestPlugin(WorkerPlugin):
    """Set up once per worker: the word lists, the loaded pipeline and one connection pool
    to the ledger, kept for every shard the worker runs."""

    name = PLUGIN

    def __init__(
        self,
        db: str,
        *,
        profile: str = "fast",
        max_bytes: int,
        gazetteer: Gazetteer | None = None,
        lexicons: tuple[Path, ...] = (),
    ) -> None:
        self.db = db
        self.profile = profile
        self.max_bytes = max_bytes
        self.gazetteer = gazetteer
        self.lexicons = lexicons
        self.ledger: Ledger | None = None
        # a worker started with several threads runs one article at a time: spaCy is
        # bound by the GIL anyway, and the ledger's near-copy index is not shared safely
        self.lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["ledger"] = None
        state["lock"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.lock = threading.Lock()

    def setup(self, worker: Any) -> None:
        from claimledger.nlp.pipeline import load_pipeline

        for path in self.lexicons:
            if path not in lexicon.extensions():
                lexicon.extend(path)
        load_pipeline(self.profile)
        self.ledger = Ledger(self.db)

    def teardown(self, worker: Any) -> None:
        if self.ledger is not None:
            self.ledger.close()


def ingest_shard(shard: Shard) -> ShardReport:
    """Run on a worker: read, analyse and store every article of ``shard``."""
    worker = get_worker()
    plugin = worker.plugins[PLUGIN]
    assert isinstance(plugin, IngestPlugin)
    if plugin.ledger is None:
        raise LedgerError("the claimledger worker plugin has no ledger; register it first")
    report = ShardReport(shard=shard.label, worker=str(worker.address))
    began = time.perf_counter()
    for item in read_shard(shard, plugin.max_bytes):
        if isinstance(item, InputError):
            report.failed.append(str(item))
            continue
        report.read += 1
        with plugin.lock:
            result = _analyse_isolated(item, plugin.profile, plugin.gazetteer)
            if isinstance(result, ClaimledgerError):
                report.failed.append(str(result))
                continue
            try:
                stored = _store(plugin.ledger, result)
            except LedgerError:
                raise  # no later article could be stored either
            except ClaimledgerError as exc:
                report.failed.append(str(exc))
                continue
        report.articles += 1
        report.words += len(item.loaded.text.split())
        if stored.new:
            report.new += 1
        else:
            report.replaced += 1
        if stored.duplicate_of is not None:
            report.duplicates += 1
    report.seconds = time.perf_counter() - began
    return report


def _store(ledger: Ledger, analysis: Any) -> Stored:
    """Store one analysis; once more if another worker stored the same text between this
    one's look and its insert (the second try finds it, and replaces it)."""
    try:
        return ledger.store_analysis(analysis)
    except sa.exc.IntegrityError:
        return ledger.store_analysis(analysis)


def connect(cluster: str, workers: int | None = None) -> Client:
    """A client of the scheduler at ``cluster`` (tcp://HOST:PORT), or of a new
    ``LocalCluster`` of ``workers`` single-threaded processes when ``cluster`` is "local"."""
    import logging

    try:
        if cluster == "local":
            # the client starts the LocalCluster itself, so closing it ends the workers
            return Client(
                n_workers=workers or 2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.ERROR,
                set_as_default=False,
            )
        client = Client(cluster, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ClusterError(
            f"cannot reach a Dask scheduler at {cluster} ({reason}); start one with "
            "'dask scheduler' and give its address, or use --cluster local"
        ) from None
    if workers:
        _wait_for_workers(client, workers, cluster)
    else:
        _wait_for_workers(client, 1, cluster)
    return client


def _wait_for_workers(client: Client, count: int, cluster: str) -> None:
    try:
        client.wait_for_workers(count, timeout=WORKERS_SECONDS)
    except TimeoutError:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {cluster} has fewer than {count} worker(s) after "
            f"{WORKERS_SECONDS} s; start them with 'dask worker {cluster} --nthreads 1'"
        ) from None


def dashboard(client: Client) -> str | None:
    """The scheduler's dashboard address, where it serves one (it needs bokeh)."""
    services = client.scheduler_info().get("services", {})
    return str(client.dashboard_link) if "dashboard" in services else None


def ingest_on_cluster(
    paths: Iterable[str | Path],
    db: str,
    client: Client,
    *,
    profile: str = "fast",
    max_bytes: int,
    gazetteer: Gazetteer | None = None,
    shard_bytes: int = DEFAULT_SHARD_BYTES,
    planned: Callable[[Plan], None] | None = None,
    done: Callable[[ShardReport], None] | None = None,
) -> ClusterTally:
    """Store every article under ``paths`` through the workers of ``client``; ``planned``
    is told the shards before they start, ``done`` each shard's report as it completes.

    The paths are read by the workers, so each must name the same file on every worker
    (a shared or copied folder); a relative path is taken from this process's folder.
    The ledger is migrated here, once, before any worker opens it. Reconciling is left
    to the caller (:meth:`Ledger.reconcile`, once, when this returns)."""
    check_shared_ledger(db)
    Ledger(db).close()  # create or upgrade the schema here, not in every worker at once
    client.register_plugin(
        IngestPlugin(
            db,
            profile=profile,
            max_bytes=max_bytes,
            gazetteer=gazetteer,
            lexicons=lexicon.extensions(),
        ),
        name=PLUGIN,
    )
    absolute = [str(Path(p).absolute()) for p in paths]
    plan: Plan = client.submit(plan_shards, absolute, shard_bytes, pure=False).result()
    if planned is not None:
        planned(plan)
    tally = ClusterTally(failed=list(plan.problems))
    futures = client.map(ingest_shard, list(plan.shards), pure=False)
    labels = {future.key: shard.label for future, shard in zip(futures, plan.shards, strict=True)}
    read: dict[Any, int] = {}  # by task key
    for future in as_completed(futures, loop=client.loop):
        try:
            report: ShardReport = future.result()
        except Exception as exc:  # a shard that killed its workers, or a ledger error
            label = labels[future.key]
            # read -1: it may have held the WARC's HTML responses, so no claim there are none
            report = ShardReport(shard=label, failed=[_shard_failure(exc, label)], read=-1)
        read[future.key] = report.read
        future.release()
        _add(tally, report)
        if done is not None:
            done(report)
    tally.failed.extend(empty_warcs(plan.shards, [read[f.key] for f in futures]))
    return tally


def _shard_failure(exc: BaseException, label: str) -> str:
    if type(exc).__name__ == "KilledWorker":
        return (
            f"{label}: the workers running this shard died each time it was tried (killed, "
            "or out of memory); run the ingest again for it, with smaller shards"
        )
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return first if isinstance(exc, ClaimledgerError) else f"{label}: {type(exc).__name__}: {first}"


def _add(tally: ClusterTally, report: ShardReport) -> None:
    tally.shards.append(report)
    tally.new += report.new
    tally.replaced += report.replaced
    tally.duplicates += report.duplicates
    tally.failed.extend(report.failed)
    tally.words += report.words


def shard_lines(reports: Sequence[ShardReport]) -> list[str]:
    """One line per shard for the summary's per-shard part."""
    return [
        f"{r.shard}: {r.new} new, {r.replaced} replaced, {len(r.failed)} failed "
        f"({r.words:,} words in {r.seconds:.1f} s on {r.worker or 'no worker'})"
        for r in reports
    ]
