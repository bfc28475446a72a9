"""The per-event data path: a batched aiokafka loop, hosted by the Faust worker.

getmany → detect and decide the whole batch → produce sinks, quarantine and audit in batches →
commit the batch's offsets once every output is acknowledged. A crash before the commit replays the
batch (at-least-once); nothing is committed that was not delivered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from firewall.config import Settings
from firewall.metrics import Metrics
from firewall.pipeline import Firewall, Outcome, audit_record
from firewall.policy import Action

log = logging.getLogger("pii_firewall.hotpath")

Headers = list[tuple[str, bytes]]


class OutputBatches:
    """Records grouped per (topic, partition) into aiokafka batches, sent together."""

    def __init__(self, producer: AIOKafkaProducer, partitions: dict[str, int]):
        self._producer = producer
        self._partitions = partitions
        self._batches: dict[tuple[str, int], Any] = {}
        self._futures: list[asyncio.Future[Any]] = []

    async def add(
        self,
        topic: str,
        partition_hint: int,
        key: bytes | None,
        value: bytes | None,
        timestamp_ms: int | None,
        headers: Headers,
    ) -> None:
        partition = partition_hint % self._partitions[topic]
        batch = self._batches.get((topic, partition))
        if batch is None:
            batch = self._batches[(topic, partition)] = self._producer.create_batch()
        if batch.append(key=key, value=value, timestamp=timestamp_ms, headers=headers) is None:
            await self._send(topic, partition, batch)  # full: send it, start a new one
            batch = self._batches[(topic, partition)] = self._producer.create_batch()
            if batch.append(key=key, value=value, timestamp=timestamp_ms, headers=headers) is None:
                raise ValueError(f"record too large for one producer batch ({topic})")

    async def _send(self, topic: str, partition: int, batch: Any) -> None:
        batch.close()
        self._futures.append(await self._producer.send_batch(batch, topic, partition=partition))

    async def flush(self) -> None:
        """Send every open batch and wait until the broker acknowledged all of them."""
        for (topic, partition), batch in self._batches.items():
            if batch.record_count():
                await self._send(topic, partition, batch)
        self._batches.clear()
        futures, self._futures = self._futures, []
        if futures:
            await asyncio.gather(*futures)


class HotPath:
    """Consumes the egress topics and routes every event to exactly one outcome plus an audit record."""

    def __init__(self, settings: Settings, firewall: Firewall, metrics: Metrics):
        self.settings = settings
        self.firewall = firewall
        self.metrics = metrics
        self.processed = 0
        self.assigned = False
        self._stopping = asyncio.Event()

    def swap(self, firewall: Firewall) -> None:
        """Replace rules and policy; takes effect at the next batch (never inside one)."""
        self.firewall = firewall

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        kafka = self.settings.kafka
        consumer = AIOKafkaConsumer(
            *kafka.input_topics,
            bootstrap_servers=kafka.bootstrap_servers,
            group_id=kafka.group_id,
            client_id=f"{kafka.client_id}-hotpath",
            enable_auto_commit=False,
            auto_offset_reset=kafka.auto_offset_reset,
            max_poll_records=self.settings.hotpath.max_batch_records,
            fetch_max_wait_ms=self.settings.hotpath.poll_timeout_ms,
            max_partition_fetch_bytes=4 << 20,
        )
        producer = AIOKafkaProducer(
            bootstrap_servers=kafka.bootstrap_servers,
            client_id=f"{kafka.client_id}-producer",
            acks="all" if kafka.acks == "all" else 1,
            linger_ms=self.settings.hotpath.linger_ms,
            max_batch_size=1 << 20,
            max_request_size=8 << 20,
        )
        await producer.start()
        await consumer.start()
        try:
            partitions = await self._output_partitions(producer)
            while not self._stopping.is_set():
                batches = await consumer.getmany(
                    timeout_ms=self.settings.hotpath.poll_timeout_ms,
                    max_records=self.settings.hotpath.max_batch_records,
                )
                if not self.assigned and consumer.assignment():
                    self.assigned = True
                    self.metrics.ready.set(1)
                    log.info("hot path ready: %s", sorted(str(tp) for tp in consumer.assignment()))
                if not batches:
                    continue
                await self._handle(batches, producer, partitions)
                await consumer.commit({tp: records[-1].offset + 1 for tp, records in batches.items()})
        finally:
            self.metrics.ready.set(0)
            await consumer.stop()
            await producer.stop()

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

    async def _handle(
        self,
        batches: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]],
        producer: AIOKafkaProducer,
        partitions: dict[str, int],
    ) -> None:
        started = time.perf_counter()
        records = [record for tp_records in batches.values() for record in tp_records]
        firewall = self.firewall  # one version for the whole batch, even if a reload swaps it
        payloads = [record.value or b"" for record in records]
        destinations = [self._destination(record) for record in records]
        outcomes = firewall.process(payloads, destinations)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        self.metrics.batch_events.observe(len(records))
        outputs = OutputBatches(producer, partitions)
        await self._route(records, outcomes, outputs, firewall)
        await outputs.flush()
        self.processed += len(records)
        self.metrics.added_latency.observe(time.perf_counter() - started)

    def _destination(self, record: ConsumerRecord[bytes, bytes]) -> str | None:
        header = self.settings.routing.destination_header
        for name, value in record.headers or ():
            if name == header:
                return value.decode("utf-8", "replace") if value else None
        return self.settings.routing.topic_destinations.get(record.topic)

    async def _route(
        self,
        records: Sequence[ConsumerRecord[bytes, bytes]],
        outcomes: Sequence[Outcome],
        outputs: OutputBatches,
        firewall: Firewall,
    ) -> None:
        topics = self.settings.topics
        sinks = self.settings.routing.sink_topics
        metrics = self.metrics
        for record, outcome in zip(records, outcomes, strict=True):
            action = outcome.action
            headers: Headers = list(record.headers or ())
            sink = sinks.get(outcome.destination or "")
            if outcome.output is not None and sink is None:
                action = Action.QUARANTINE  # allowed, but nowhere to send it: fail closed
            if outcome.output is not None and sink is not None:
                headers.append(("pii-decision", action.value.encode()))
                await outputs.add(
                    sink, record.partition, record.key, outcome.output, record.timestamp, headers
                )
            elif action is Action.QUARANTINE:
                headers.append(("pii-reasons", ",".join(outcome.decision.reasons).encode()))
                await outputs.add(
                    topics.quarantine,
                    record.partition,
                    record.key,
                    record.value,
                    record.timestamp,
                    headers,
                )
            audit = audit_record(
                outcome,
                firewall.versions,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
            )
            if action is not outcome.action:
                audit["decision"] = action.value
                audit["reasons"].append("no_sink_configured")
            await outputs.add(topics.audit, record.partition, None, orjson.dumps(audit), record.timestamp, [])
            metrics.events.labels(audit["decision"], outcome.destination or "unknown").inc()
            for reason in audit["reasons"]:
                metrics.reasons.labels(reason).inc()
            for finding in outcome.findings:
                metrics.findings.labels(finding.entity, str(finding.sensitive).lower()).inc()
