"""Batches in flight: offsets are committed in order, only once delivered, and never past a failure."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firewall.transport.inflight import DeliveryFailed, InFlight


class Broker:
    """Records the commits; each batch's acknowledgement is a future the test completes."""

    def __init__(self) -> None:
        self.commits: list[dict[str, int]] = []

    async def commit(self, offsets: dict[str, int]) -> None:
        self.commits.append(dict(offsets))

    def committed(self) -> dict[str, int]:
        merged: dict[str, int] = {}
        for commit in self.commits:
            merged.update(commit)
        return merged


def ack() -> asyncio.Future[object]:
    return asyncio.get_running_loop().create_future()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_batch_is_committed_only_after_every_earlier_batch_is_delivered() -> None:
    broker = Broker()
    in_flight: InFlight[str] = InFlight(limit=3, commit=broker.commit)
    first, second = ack(), ack()
    await in_flight.add([("p0", 0, 9)], first)
    await in_flight.add([("p0", 10, 19), ("p1", 0, 4)], second)
    second.set_result(None)
    await settle()
    assert broker.commits == []  # the second is delivered, the first is not: nothing may pass it
    first.set_result(None)
    await settle()
    assert broker.committed() == {"p0": 20, "p1": 5}
    assert await in_flight.drain() == {}


async def test_the_limit_bounds_how_many_batches_wait_for_acknowledgement() -> None:
    broker = Broker()
    in_flight: InFlight[str] = InFlight(limit=2, commit=broker.commit)
    first = ack()
    await in_flight.add([("p0", 0, 9)], first)  # returns at once: one batch may be in flight
    assert len(in_flight) == 1
    adding = asyncio.ensure_future(in_flight.add([("p0", 10, 19)], ack()))
    await settle()
    assert not adding.done()  # a second one would make two: wait for the oldest
    first.set_result(None)
    await settle()
    assert adding.done() and len(in_flight) == 1
    assert broker.committed() == {"p0": 10}


async def test_limit_one_commits_each_batch_before_the_next_is_read() -> None:
    broker = Broker()
    in_flight: InFlight[str] = InFlight(limit=1, commit=broker.commit)
    delivered = ack()
    delivered.set_result(None)
    await in_flight.add([("p0", 0, 9)], delivered)
    assert broker.commits == [{"p0": 10}] and len(in_flight) == 0


async def test_a_failed_delivery_stops_the_commits_and_says_where_to_read_again() -> None:
    broker = Broker()
    in_flight: InFlight[str] = InFlight(limit=4, commit=broker.commit)
    delivered, lost, later = ack(), ack(), ack()
    await in_flight.add([("p0", 0, 9)], delivered)
    await in_flight.add([("p0", 10, 19)], lost)
    await in_flight.add([("p0", 20, 29), ("p1", 0, 9)], later)
    delivered.set_result(None)
    later.set_result(None)
    lost.set_exception(TimeoutError("no ack"))
    await settle()
    failure = in_flight.failed()
    assert isinstance(failure, DeliveryFailed) and isinstance(failure.cause, TimeoutError)
    assert await in_flight.drain() == {"p0": 10, "p1": 0}
    assert broker.committed() == {"p0": 10}  # the batch delivered before the loss, no further


async def test_commits_are_coalesced_within_the_interval_and_the_rest_is_committed_when_due() -> None:
    broker = Broker()
    in_flight: InFlight[str] = InFlight(limit=2, commit=broker.commit, commit_interval_s=0.05)
    for start in range(0, 50, 10):
        delivered = ack()
        delivered.set_result(None)
        await in_flight.add([("p0", start, start + 9)], delivered)
    await settle()
    assert broker.commits == [{"p0": 10}]  # the first at once, the next four wait for the interval
    await in_flight.commit_due()
    assert len(broker.commits) == 1
    await asyncio.sleep(0.06)
    await in_flight.commit_due()
    assert broker.commits == [{"p0": 10}, {"p0": 50}]


async def test_drain_commits_what_was_delivered_before_returning() -> None:
    broker = Broker()
    in_flight: InFlight[str] = InFlight(limit=2, commit=broker.commit, commit_interval_s=60)
    for start in (0, 10):
        delivered = ack()
        delivered.set_result(None)
        await in_flight.add([("p0", start, start + 9)], delivered)
    assert await in_flight.drain() == {}
    assert broker.committed() == {"p0": 20}


def test_no_batch_may_be_in_flight_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one batch"):
        InFlight(limit=0, commit=Broker().commit)


@settings(max_examples=200, deadline=None)
@given(
    outcomes=st.lists(st.booleans(), min_size=1, max_size=12),
    limit=st.integers(1, 4),
    data=st.data(),
)
def test_commits_never_pass_a_lost_batch_and_leave_no_gap(
    outcomes: list[bool], limit: int, data: st.DataObject
) -> None:
    """Batches of 10 offsets on one partition, acknowledged in any order, some lost: what is
    committed stops before the first lost batch, and the rewind starts exactly there."""
    order = data.draw(st.permutations(range(len(outcomes))), label="acknowledgement order")

    async def scenario() -> tuple[dict[str, int], dict[str, int]]:
        broker = Broker()
        in_flight: InFlight[str] = InFlight(limit=limit, commit=broker.commit)
        acks = [ack() for _ in outcomes]

        async def complete_some() -> None:
            for index in order:
                if outcomes[index]:
                    acks[index].set_result(None)
                else:
                    acks[index].set_exception(ConnectionError("lost"))
                await asyncio.sleep(0)

        completing = asyncio.ensure_future(complete_some())
        sent = 0
        for delivered in acks:
            if in_flight.failed() is not None:
                break  # the hot path stops and replays here
            await in_flight.add([("p0", sent * 10, sent * 10 + 9)], delivered)
            sent += 1
        await completing
        for never_sent in acks[sent:]:
            never_sent.exception()  # else asyncio logs the loss nobody waited for
        rewind = await in_flight.drain()
        return broker.committed(), rewind

    committed, rewind = asyncio.run(scenario())
    first_lost = outcomes.index(False) if False in outcomes else None
    if first_lost is None:
        assert rewind == {}
        assert committed == {"p0": 10 * len(outcomes)}
    else:
        assert committed.get("p0", 0) == 10 * first_lost  # every batch before it, none after
        assert rewind == {"p0": 10 * first_lost}  # read again from the first uncommitted
