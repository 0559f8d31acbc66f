"""The queue in front of analysis: what one anonymous client can make the server do.

One analysis runs at a time (spaCy's pipelines are not documented as thread-safe, and a
CPU-bound analysis per core is all the machine has), in the thread pool, never on the event
loop: health, reads and static files go on answering meanwhile. At most ``capacity``
requests wait behind it; one more is answered 503 with Retry-After at once instead of
queueing without end. A request whose client has gone is dropped while it waits, so a
client that gives up costs nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

T = TypeVar("T")

RETRY_AFTER_SECONDS = 5
# How often a waiting request looks whether its client is still there.
_DISCONNECT_POLL_SECONDS = 0.2


class ClientGone(Exception):
    """The client disconnected before its analysis started; nobody reads the answer."""


class AnalysisQueue:
    """Runs analyses one at a time, with at most ``capacity`` waiting."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.waiting = 0
        self._running = anyio.Lock()

    def busy_error(self) -> HTTPException:
        return HTTPException(
            503,
            f"the server is busy analysing other articles ({self.waiting} waiting); "
            f"try again in {RETRY_AFTER_SECONDS} seconds",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    async def run(self, request: Request, work: Callable[[], T]) -> T:
        """``work()`` in a worker thread when its turn comes; 503 if the queue is full,
        ``ClientGone`` if the client leaves before its turn."""
        try:
            self._running.acquire_nowait()
        except anyio.WouldBlock:
            if self.waiting >= self.capacity:
                raise self.busy_error() from None
            self.waiting += 1
            try:
                await self._acquire_while_connected(request)
            finally:
                self.waiting -= 1
        try:
            return await run_in_threadpool(work)
        finally:
            self._running.release()

    async def _acquire_while_connected(self, request: Request) -> None:
        while True:
            with anyio.move_on_after(_DISCONNECT_POLL_SECONDS):
                await self._running.acquire()
                return
            if await request.is_disconnected():
                raise ClientGone


def queue_of(request: Request) -> AnalysisQueue:
    queue = getattr(request.app.state, "analysis_queue", None)
    if not isinstance(queue, AnalysisQueue):
        raise RuntimeError("the API's analysis queue is not set: run the app with its lifespan")
    return queue
