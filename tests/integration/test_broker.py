"""The real broker from scripts/kafka.sh takes writes and gives them back, in order."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections import defaultdict
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition
from kafka_helpers import create_topics

pytestmark = pytest.mark.integration

KAFKA_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "kafka.sh"
RECORD_COUNT = 1_000
PARTITIONS = 4


async def _produce(bootstrap: str, topic: str) -> dict[tuple[int, int], int]:
    """Send RECORD_COUNT records; returns the (partition, offset) the broker gave each sequence."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        pending = [
            await producer.send(
                topic,
                key=f"subject-{seq % 37}".encode(),
                value=orjson.dumps({"seq": seq}),
            )
            for seq in range(RECORD_COUNT)
        ]
        placed: dict[tuple[int, int], int] = {}
        for seq, future in enumerate(pending):
            metadata = await future
            placed[(metadata.partition, metadata.offset)] = seq
        return placed
    finally:
        await producer.stop()


async def _consume_all(bootstrap: str, topic: str) -> dict[int, list[tuple[int, int]]]:
    """Read the topic from the start; returns [(offset, seq), ...] per partition, in read order."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, p) for p in range(PARTITIONS)])
        read: dict[int, list[tuple[int, int]]] = defaultdict(list)
        total = 0
        while total < RECORD_COUNT:
            batches = await consumer.getmany(timeout_ms=10_000)
            assert batches, f"no records for 10 s after {total} of {RECORD_COUNT}"
            for partition, records in batches.items():
                for record in records:
                    read[partition.partition].append(
                        (record.offset, orjson.loads(record.value)["seq"])
                    )
                    total += 1
        return read
    finally:
        await consumer.stop()


async def test_every_record_comes_back_in_order_per_partition(kafka_bootstrap: str) -> None:
    topic = f"broker-roundtrip-{uuid.uuid4().hex[:8]}"
    await create_topics(kafka_bootstrap, [topic], partitions=PARTITIONS)

    placed = await _produce(kafka_bootstrap, topic)
    read = await _consume_all(kafka_bootstrap, topic)

    assert sum(len(records) for records in read.values()) == RECORD_COUNT
    assert len(read) == PARTITIONS, "keys should spread the records over every partition"
    for partition, records in read.items():
        offsets = [offset for offset, _ in records]
        sequences = [seq for _, seq in records]
        assert offsets == list(range(len(records)))
        assert sequences == sorted(sequences), f"partition {partition} reordered records"
        assert all(placed[(partition, offset)] == seq for offset, seq in records)


def test_kafka_sh_reports_the_broker_running(kafka_bootstrap: str) -> None:
    # The session fixture exports KAFKA_STATE_DIR for its own broker; a broker given through
    # KAFKA_BOOTSTRAP is looked up in kafka.sh's default state dir for its port.
    env = {**os.environ, "KAFKA_PORT": kafka_bootstrap.rsplit(":", 1)[1]}
    status = subprocess.run(
        [str(KAFKA_SCRIPT), "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert status.returncode == 0, status.stdout + status.stderr
    assert status.stdout.startswith("running:")
    assert f"bootstrap {kafka_bootstrap}" in status.stdout
