"""The demo: a generated outbound stream through a live firewall worker on the local broker.

Creates the topics, starts ``pii-firewall run``, produces realistic events (30% carrying PI, some
for a destination outside the mainland, some for no known destination, a few unreadable), waits until
every event has its audit record, and prints what happened. Run by ``scripts/demo.sh``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from firewall.config import load_settings
from firewall.transport.admin import configured_topics, ensure_topics
from loadtest.events import EventFactory
from loadtest.processes import stop_gracefully

REPO = Path(__file__).resolve().parent.parent
DESTINATIONS = [None] * 6 + ["ads-overseas"] * 2 + ["internal-crm", "unregistered-vendor"]


async def produce(bootstrap: str, topic: str, events: int, seed: int) -> int:
    factory = EventFactory(seed=seed, pii_density=0.3)
    rng = random.Random(seed)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, acks="all")
    await producer.start()
    sent = 0
    try:
        for index in range(events):
            destination = rng.choice(DESTINATIONS)
            headers = [("pii-dest", destination.encode())] if destination else []
            payload = factory.make(target_size=rng.choice([300, 800, 1200, 2500])).payload
            if index % 97 == 0:
                payload = b"\x89PNG\r\n\x1a\n\xff\xfe" + os.urandom(32)  # unreadable: quarantined
            await producer.send(topic, payload, key=f"evt-{index}".encode(), headers=headers)
            sent += 1
        await producer.flush()
    finally:
        await producer.stop()
    return sent


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()  # subscribing fetches the topic's metadata
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        return dict(await consumer.end_offsets(partitions))
    finally:
        await consumer.stop()


async def read_audit(
    bootstrap: str, start: dict[TopicPartition, int], expected: int, timeout_s: float
) -> list[dict]:
    """This run's audit records: those after the offsets the topic had before we produced."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    consumer.assign(list(start))
    for partition, offset in start.items():
        consumer.seek(partition, offset)
    records: list[dict] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(records) < expected and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for messages in batch.values():
                records.extend(orjson.loads(m.value) for m in messages)
    finally:
        await consumer.stop()
    return records


async def sample_outputs(bootstrap: str, topic: str, count: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    found: list[bytes] = []
    try:
        batch = await consumer.getmany(timeout_ms=3000, max_records=2000)
        for messages in batch.values():
            for m in messages:
                if m.value and b"*" in m.value:
                    found.append(m.value)
    finally:
        await consumer.stop()
    return found[:count]


def summary(records: list[dict]) -> str:
    decisions = Counter(r["decision"] for r in records)
    reasons = Counter(reason for r in records for reason in r["reasons"])
    entities: Counter[str] = Counter()
    for r in records:
        entities.update(r["entities"])
    lines = [f"{len(records)} events, each with exactly one audit record:"]
    for action in ("allow", "redact", "block", "quarantine"):
        lines.append(f"  {action:<11} {decisions.get(action, 0):>6}")
    lines.append("top reasons: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common(6)))
    lines.append("entities found: " + ", ".join(f"{k} {v}" for k, v in entities.most_common(12)))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP", "127.0.0.1:19092"))
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--metrics-port", type=int, default=6066)
    parser.add_argument("--once", action="store_true", help="stop the worker after the summary")
    args = parser.parse_args()
    # Right after topic creation the broker briefly answers NotLeaderForPartition; aiokafka retries
    # and logs each retry, which is noise in a demo.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)

    env = {
        **os.environ,
        "FIREWALL_KAFKA__BOOTSTRAP_SERVERS": args.bootstrap,
        "FIREWALL_KAFKA__GROUP_ID": f"pii-firewall-demo-{args.seed}",
        "FIREWALL_WEB__PORT": str(args.metrics_port),
    }
    os.environ.update(env)
    settings = load_settings()
    asyncio.run(ensure_topics(args.bootstrap, configured_topics(settings)))
    print(f"topics ready on {args.bootstrap}: {', '.join(configured_topics(settings))}")

    worker = subprocess.Popen(
        [str(REPO / ".venv/bin/pii-firewall"), "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
    )
    try:
        topic = settings.kafka.input_topics[0]
        audit_start = asyncio.run(end_offsets(args.bootstrap, settings.topics.audit))
        sent = asyncio.run(produce(args.bootstrap, topic, args.events, args.seed))
        print(f"produced {sent} outbound events to {topic}; firewall worker pid {worker.pid}")
        records = asyncio.run(read_audit(args.bootstrap, audit_start, sent, 120))
        print(summary(records))
        for payload in asyncio.run(
            sample_outputs(args.bootstrap, settings.routing.sink_topics["partner-analytics"], 2)
        ):
            print("redacted sample → partner-analytics:", payload[:300].decode("utf-8", "replace"))
        url = f"http://127.0.0.1:{args.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            events = [
                line
                for line in response.read().decode().splitlines()
                if line.startswith("pii_firewall_events_total")
            ]
        print(f"metrics: {url}\n  " + "\n  ".join(events[:8]))
        if len(records) != sent:
            print(f"ERROR: {sent - len(records)} events have no audit record", file=sys.stderr)
            return 1
        if not args.once:
            print("firewall running; Ctrl-C to stop")
            worker.wait()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        stop_gracefully([worker])


if __name__ == "__main__":
    sys.exit(main())
