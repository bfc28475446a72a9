"""Batches whose outputs are on their way to the broker, committed strictly in order.

The hot path sends a batch's outputs and goes on with the next batch while the broker acknowledges
them. Waiting for the acks and the commit (~3 ms a cycle here) would leave the core idle in every
cycle, and at a steady load every idle millisecond of a cycle comes back as queueing delay.

A batch's offsets become committable only once its own outputs and every earlier batch's are
acknowledged. If a delivery fails, that batch and every later one stay uncommitted, and
:meth:`InFlight.drain` says where to read again (at-least-once, never a gap). Committable offsets
are committed at most once per ``commit_interval_s``: at a few hundred small batches a second, a
commit per batch costs the worker ~3% of its time and the broker a write to its offsets log each.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Partition = TypeVar("Partition", bound=Hashable)


class DeliveryFailed(Exception):
    """A batch's outputs, or an earlier batch's, were not acknowledged; ``cause`` says why."""

    def __init__(self, cause: BaseException):
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.cause = cause


@dataclass
class _Sent(Generic[Partition]):
    first_offsets: dict[Partition, int]
    settled: asyncio.Future[None]


class InFlight(Generic[Partition]):
    """At most ``limit`` batches between "outputs sent" and "offsets committed".

    ``limit`` 1 is the serial loop: every batch is committed before the next one is read.
    """

    def __init__(
        self,
        limit: int,
        commit: Callable[[dict[Partition, int]], Awaitable[None]],
        commit_interval_s: float = 0.0,
    ):
        if limit < 1:
            raise ValueError("at least one batch must be allowed in flight")
        self._limit = limit
        self._commit = commit
        self._commit_interval_s = commit_interval_s
        self._sent: deque[_Sent[Partition]] = deque()
        self._committable: dict[Partition, int] = {}
        self._last_commit = float("-inf")
        self._committing = asyncio.Lock()  # commits leave in the order their offsets were taken

    def __len__(self) -> int:
        return len(self._sent)

    async def add(
        self, offsets: Sequence[tuple[Partition, int, int]], delivered: Awaitable[object]
    ) -> None:
        """Track a batch whose outputs were sent: (partition, first, last offset) per partition,
        and an awaitable that completes when the broker acknowledged them all.

        Returns as soon as fewer than ``limit`` batches are in flight, or one has failed
        (see :meth:`failed`).
        """
        previous = self._sent[-1].settled if self._sent else None
        next_offsets = {partition: last + 1 for partition, _, last in offsets}
        settled = asyncio.ensure_future(self._settle(previous, delivered, next_offsets))
        self._sent.append(_Sent({partition: first for partition, first, _ in offsets}, settled))
        while self.failed() is None and len(self._sent) >= self._limit:  # failed() forgets the committed
            await asyncio.wait([self._sent[0].settled])

    def _forget_committed(self) -> None:
        while self._sent and self._sent[0].settled.done():
            if self._sent[0].settled.exception() is not None:
                return
            self._sent.popleft()

    async def _settle(
        self,
        previous: asyncio.Future[None] | None,
        delivered: Awaitable[object],
        next_offsets: dict[Partition, int],
    ) -> None:
        try:
            await delivered
        except Exception as exc:
            raise DeliveryFailed(exc) from exc
        if previous is not None:
            await previous  # an earlier batch's failure is this batch's: no commit may pass it
        self._committable.update(next_offsets)
        await self.commit_due()

    async def commit_due(self) -> None:
        """Commit the committable offsets if the last commit is ``commit_interval_s`` old."""
        if self._committable and time.monotonic() - self._last_commit >= self._commit_interval_s:
            await self._commit_now()

    async def _commit_now(self) -> None:
        async with self._committing:
            offsets, self._committable = self._committable, {}
            if offsets:
                self._last_commit = time.monotonic()
                await self._commit(offsets)

    def failed(self) -> DeliveryFailed | None:
        """The failure that stopped the oldest batch, once it is known (never waits)."""
        self._forget_committed()
        if self._sent and self._sent[0].settled.done():
            error = self._sent[0].settled.exception()
            if error is not None:
                return error if isinstance(error, DeliveryFailed) else DeliveryFailed(error)
        return None

    async def drain(self) -> dict[Partition, int]:
        """Wait until every batch in flight is settled and commit what was delivered; return the
        first offset to read again per partition, from the first failed batch on (empty when all
        were committed)."""
        rewind: dict[Partition, int] = {}
        failing = False
        while self._sent:
            sent = self._sent.popleft()
            await asyncio.wait([sent.settled])
            failed = sent.settled.exception() is not None  # read, or asyncio logs it as lost
            failing = failing or failed
            if failing:
                for partition, first in sent.first_offsets.items():
                    rewind[partition] = min(first, rewind.get(partition, first))
        await self._commit_now()  # what was delivered before any failure
        return rewind
