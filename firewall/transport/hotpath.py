"""The per-event data path: a batched aiokafka loop, hosted by the Faust worker.

getmany → detect and decide the whole batch → produce sinks, quarantine and audit in batches →
commit the batch's offsets once every output is acknowledged. A crash before the commit replays the
batch (at-least-once); nothing is committed that was not delivered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Sequence
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError

from firewall.config import Settings
from firewall.memory import cyclic_gc_paused, freeze_long_lived, refreeze
from firewall.metrics import Metrics
from firewall.pipeline import Firewall, Outcome, audit_record
from firewall.policy import Action
from firewall.transport.inflight import DeliveryFailed, InFlight

log = logging.getLogger("pii_firewall.hotpath")

Headers = list[tuple[str, bytes]]  # aiokafka's batch builder takes a list, not any sequence
Batches = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
_DECISION_HEADER = {action: action.value.encode() for action in Action}


class OutputBatches:
    """Records grouped per (topic, partition) into aiokafka batches, all sent by :meth:`send`.

    Appending is synchronous (no coroutine per record); a batch that fills up is closed and queued.
    """

    def __init__(self, producer: AIOKafkaProducer, partitions: dict[str, int]):
        self._producer = producer
        self._partitions = partitions
        self._open: dict[tuple[str, int], Any] = {}
        self._full: list[tuple[str, int, Any]] = []

    def add(
        self,
        topic: str,
        partition_hint: int,
        key: bytes | None,
        value: bytes | None,
        timestamp_ms: int | None,
        headers: Headers,
    ) -> None:
        partition = partition_hint % self._partitions[topic]
        batch = self._open.get((topic, partition))
        if batch is None:
            batch = self._open[(topic, partition)] = self._producer.create_batch()
        if batch.append(key=key, value=value, timestamp=timestamp_ms, headers=headers) is None:
            self._full.append((topic, partition, batch))
            batch = self._open[(topic, partition)] = self._producer.create_batch()
            if batch.append(key=key, value=value, timestamp=timestamp_ms, headers=headers) is None:
                raise ValueError(f"record too large for one producer batch ({topic})")

    async def send(self) -> list[asyncio.Future[object]]:
        """Hand every batch to the producer; the futures complete when the broker acknowledges."""
        pending = self._full + [(t, p, b) for (t, p), b in self._open.items() if b.record_count()]
        self._full, self._open = [], {}
        acknowledged = []
        for topic, partition, batch in pending:
            batch.close()
            acknowledged.append(await self._producer.send_batch(batch, topic, partition=partition))
        return acknowledged


class _CommitBeforeRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, in_hand: asyncio.Lock, in_flight: InFlight[TopicPartition]):
        self._in_hand = in_hand
        self._in_flight = in_flight

    async def on_partitions_revoked(self, revoked: object) -> None:
        # The batch in hand is sent, and every batch sent is committed (or known to have failed),
        # while the partitions are still ours: the next owner starts after what was delivered.
        # A failed batch is not rewound here: the next owner reads from the committed offset.
        async with self._in_hand:
            await self._in_flight.drain()

    async def on_partitions_assigned(self, assigned: object) -> None:
        pass


class HotPath:
    """Consumes the egress topics and routes every event to exactly one outcome plus an audit record."""

    def __init__(self, settings: Settings, firewall: Firewall, metrics: Metrics):
        self.settings = settings
        self.firewall = firewall
        self.metrics = metrics
        self.processed = 0
        self.assigned = False
        self._failures = 0
        self._stopping = asyncio.Event()

    def swap(self, firewall: Firewall) -> None:
        """Replace rules and policy; takes effect at the next batch (never inside one)."""
        self.firewall = firewall
        refreeze()  # the old rules were frozen at start: let their cycles be collected

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        kafka, hotpath = self.settings.kafka, self.settings.hotpath
        consumer = AIOKafkaConsumer(
            bootstrap_servers=kafka.bootstrap_servers,
            group_id=kafka.group_id,
            client_id=f"{kafka.client_id}-hotpath",
            enable_auto_commit=False,
            auto_offset_reset=kafka.auto_offset_reset,
            max_poll_records=hotpath.max_batch_records,
            fetch_max_wait_ms=hotpath.fetch_max_wait_ms,
            fetch_min_bytes=hotpath.fetch_min_bytes,
            max_partition_fetch_bytes=4 << 20,
        )
        producer = AIOKafkaProducer(
            bootstrap_servers=kafka.bootstrap_servers,
            client_id=f"{kafka.client_id}-producer",
            acks="all" if kafka.acks == "all" else 1,
            linger_ms=hotpath.linger_ms,
            max_batch_size=1 << 20,
            max_request_size=8 << 20,
        )
        await producer.start()
        await consumer.start()

        async def commit(offsets: dict[TopicPartition, int]) -> None:
            await self._commit(consumer, offsets)

        in_flight: InFlight[TopicPartition] = InFlight(
            hotpath.max_batches_in_flight, commit, hotpath.commit_interval_ms / 1000
        )
        # Held from a batch's fetch until its outputs are sent: a rebalance waits for the batch in
        # hand, then for every batch in flight to be committed, while the partitions are ours.
        in_hand = asyncio.Lock()
        consumer.subscribe(kafka.input_topics, listener=_CommitBeforeRevoke(in_hand, in_flight))
        try:
            partitions = await self._output_partitions(producer)
            freeze_long_lived()  # what is alive now lives as long as the worker
            while not self._stopping.is_set():
                failure = in_flight.failed()
                if failure is not None:
                    await self._replay(consumer, in_flight, failure)
                    continue
                await in_flight.commit_due()  # when no batch came to commit them
                fetched = await consumer.getmany(
                    timeout_ms=hotpath.poll_timeout_ms, max_records=hotpath.max_batch_records
                )
                if not self.assigned and consumer.assignment():
                    self.assigned = True
                    self.metrics.ready.set(1)
                    log.info("hot path ready: %s", sorted(str(tp) for tp in consumer.assignment()))
                async with in_hand:
                    owned = consumer.assignment()  # revoked since the fetch: the new owner's
                    batches = {tp: records for tp, records in fetched.items() if tp in owned}
                    if batches:
                        delivered = await self._send(batches, producer, partitions)
                        offsets = [(tp, rs[0].offset, rs[-1].offset) for tp, rs in batches.items()]
                        await in_flight.add(offsets, delivered)
            await in_flight.drain()  # what was sent is committed before the consumer leaves
        finally:
            self.metrics.ready.set(0)
            await consumer.stop()
            await producer.stop()

    async def _replay(
        self, consumer: AIOKafkaConsumer, in_flight: InFlight[TopicPartition], failure: DeliveryFailed
    ) -> None:
        """Outputs not acknowledged: nothing from that batch on is committed, and it is read again."""
        self.metrics.errors.labels(type(failure.cause).__name__, "produce").inc()
        log.warning("outputs not acknowledged (%s); replaying from that batch", failure)
        rewind = await in_flight.drain()
        owned = consumer.assignment()
        for tp, offset in rewind.items():
            if tp in owned:
                consumer.seek(tp, offset)
        self._failures += 1
        await asyncio.sleep(float(min(30.0, 0.2 * 2 ** min(self._failures, 8))))

    async def _commit(self, consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
        """Commit what was delivered, for the partitions this worker still owns.

        A partition revoked by a rebalance while its batch was in flight is left uncommitted: its
        new owner reads the batch again (at-least-once), which is the safe side.
        """
        self._failures = 0
        owned = consumer.assignment()
        offsets = {tp: offset for tp, offset in offsets.items() if tp in owned}
        if not offsets:
            return
        try:
            await consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError, KafkaError) as exc:
            self.metrics.errors.labels(type(exc).__name__, "commit").inc()
            log.warning("commit failed (%s); the batch will be read again", exc)

    async def _output_partitions(self, producer: AIOKafkaProducer) -> dict[str, int]:
        topics = {
            self.settings.topics.audit,
            self.settings.topics.quarantine,
            *self.settings.routing.sink_topics.values(),
        }
        counts = {}
        for topic in topics:
            found = await producer.partitions_for(topic)
            counts[topic] = len(found)
        return counts

    async def _send(
        self, batches: Batches, producer: AIOKafkaProducer, partitions: dict[str, int]
    ) -> Awaitable[None]:
        """Detect, decide and send the batch's outputs; returns what completes on their acks."""
        started = time.perf_counter()
        records = [record for tp_records in batches.values() for record in tp_records]
        outputs = OutputBatches(producer, partitions)
        with cyclic_gc_paused():
            self._decide_and_route(records, outputs, started)
        self.metrics.batch_events.observe(len(records))
        try:
            acknowledged = await outputs.send()
        except KafkaError as exc:
            failed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            failed.set_exception(exc)
            return failed
        return self._acknowledged(acknowledged, len(records), started)

    async def _acknowledged(
        self, acknowledged: list[asyncio.Future[object]], events: int, started: float
    ) -> None:
        await asyncio.gather(*acknowledged)
        self.processed += events
        self.metrics.added_latency.observe(time.perf_counter() - started)

    def _decide_and_route(
        self, records: Sequence[ConsumerRecord[bytes, bytes]], outputs: OutputBatches, started: float
    ) -> None:
        """Detect, decide and fill the output batches; the outcomes are dropped before any await."""
        firewall = self.firewall  # one version for the whole batch, even if a reload swaps it
        routing = self.settings.routing
        header, topic_destinations = routing.destination_header, routing.topic_destinations
        payloads = [record.value or b"" for record in records]
        destinations = [_destination(record, header, topic_destinations) for record in records]
        outcomes = firewall.process(payloads, destinations)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        self._route(records, outcomes, outputs, firewall)

    def _route(
        self,
        records: Sequence[ConsumerRecord[bytes, bytes]],
        outcomes: Sequence[Outcome],
        outputs: OutputBatches,
        firewall: Firewall,
    ) -> None:
        topics = self.settings.topics
        sinks = self.settings.routing.sink_topics
        versions = firewall.versions
        add = outputs.add
        # Counted per batch, not per event: a labelled increment costs about a microsecond.
        decisions: dict[tuple[str, str], int] = {}
        reasons: dict[str, int] = {}
        entities: dict[tuple[str, bool], int] = {}
        for record, outcome in zip(records, outcomes, strict=True):
            action = outcome.decision.action
            output = outcome.output
            partition = record.partition
            sink = sinks.get(outcome.destination or "") if output is not None else None
            if output is not None and sink is None:
                action = Action.QUARANTINE  # allowed, but nowhere to send it: fail closed
            if sink is not None:
                headers = [*(record.headers or ()), ("pii-decision", _DECISION_HEADER[action])]
                add(sink, partition, record.key, output, record.timestamp, headers)
            elif action is Action.QUARANTINE:
                reasons_header = ",".join(outcome.decision.reasons).encode()
                headers = [*(record.headers or ()), ("pii-reasons", reasons_header)]
                add(topics.quarantine, partition, record.key, record.value, record.timestamp, headers)
            audit = audit_record(
                outcome, versions, topic=record.topic, partition=partition, offset=record.offset
            )
            if action is not outcome.action:
                audit["decision"] = action.value
                audit["reasons"].append("no_sink_configured")
            add(topics.audit, partition, None, orjson.dumps(audit), record.timestamp, [])
            counted = (audit["decision"], outcome.destination or "unknown")
            decisions[counted] = decisions.get(counted, 0) + 1
            for reason in audit["reasons"]:
                reasons[reason] = reasons.get(reason, 0) + 1
            for finding in outcome.findings:
                found = (finding.entity, finding.sensitive)
                entities[found] = entities.get(found, 0) + 1
        metrics = self.metrics
        for (decision, destination), count in decisions.items():
            metrics.events.labels(decision, destination).inc(count)
        for reason, count in reasons.items():
            metrics.reasons.labels(reason).inc(count)
        for (entity, sensitive), count in entities.items():
            metrics.findings.labels(entity, str(sensitive).lower()).inc(count)


def _destination(
    record: ConsumerRecord[bytes, bytes], header: str, topic_destinations: dict[str, str]
) -> str | None:
    for name, value in record.headers or ():
        if name == header:
            return value.decode("utf-8", "replace") if value else None
    return topic_destinations.get(record.topic)
