"""Run a real `pii-firewall run` worker against the test broker, on topics of its own."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from loadtest.processes import stop_gracefully

REPO = Path(__file__).resolve().parents[2]
DESTINATIONS = ("partner-analytics", "ads-overseas", "internal-crm")


@dataclass
class WorkerTopics:
    """A private set of topics and a consumer group, so tests never see each other's records."""

    prefix: str = field(default_factory=lambda: f"it-{uuid.uuid4().hex[:8]}")

    @property
    def input(self) -> str:
        return f"{self.prefix}.in"

    @property
    def audit(self) -> str:
        return f"{self.prefix}.audit"

    @property
    def quarantine(self) -> str:
        return f"{self.prefix}.quarantine"

    def sink(self, destination: str) -> str:
        return f"{self.prefix}.out.{destination}"

    def all(self) -> list[str]:
        return [self.input, self.audit, self.quarantine, *(self.sink(d) for d in DESTINATIONS)]

    def env(self, bootstrap: str) -> dict[str, str]:
        sinks = {d: self.sink(d) for d in DESTINATIONS}
        return {
            **os.environ,
            "FIREWALL_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
            "FIREWALL_KAFKA__GROUP_ID": f"{self.prefix}-group",
            "FIREWALL_KAFKA__INPUT_TOPICS": orjson.dumps([self.input]).decode(),
            "FIREWALL_TOPICS__AUDIT": self.audit,
            "FIREWALL_TOPICS__QUARANTINE": self.quarantine,
            "FIREWALL_ROUTING__TOPIC_DESTINATIONS": orjson.dumps(
                {self.input: "partner-analytics"}
            ).decode(),
            "FIREWALL_ROUTING__SINK_TOPICS": orjson.dumps(sinks).decode(),
            "FIREWALL_WEB__ENABLED": "false",
            "FIREWALL_HOTPATH__MAX_BATCH_RECORDS": "100",
            # Every delivered batch committed at once: a kill replays only the batches in flight.
            "FIREWALL_HOTPATH__COMMIT_INTERVAL_MS": "0",
        }


@contextmanager
def running_worker(topics: WorkerTopics, bootstrap: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "firewall.cli", "run"],
        env=topics.env(bootstrap),
        cwd=REPO,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        stop_gracefully([process], timeout_s=30)


async def produce(
    bootstrap: str, topic: str, records: list[tuple[bytes, list[tuple[str, bytes]]]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        for index, (value, headers) in enumerate(records):
            await producer.send(topic, value, key=f"k{index}".encode(), headers=headers)
        await producer.flush()
    finally:
        await producer.stop()


async def read_all(
    bootstrap: str, topic: str, *, at_least: int = 0, timeout_s: float = 60.0
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of a topic; waits until there are `at_least` of them (or the timeout)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    deadline = time.monotonic() + timeout_s
    try:
        quiet_polls = 0
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            fresh = [r for messages in batch.values() for r in messages]
            records.extend(fresh)
            quiet_polls = 0 if fresh else quiet_polls + 1
            if len(records) >= at_least and quiet_polls >= 2:
                break
    finally:
        await consumer.stop()
    return records


async def committed_offsets(bootstrap: str, topics: WorkerTopics) -> dict[int, int]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=f"{topics.prefix}-group", enable_auto_commit=False
    )
    await consumer.start()
    try:
        result = {}
        for partition in range(4):
            offset = await consumer.committed(TopicPartition(topics.input, partition))
            result[partition] = offset or 0
        return result
    finally:
        await consumer.stop()


def run(coroutine: object) -> object:
    return asyncio.get_event_loop().run_until_complete(coroutine)  # type: ignore[arg-type]
