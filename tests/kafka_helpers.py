"""Helpers for tests that talk to the real Kafka broker started by scripts/kafka.sh."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterable
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

# Ports the test broker may use. They stay below 32768: a port in the ephemeral range can be
# taken by a client's own outgoing connection (see scripts/kafka.sh).
TEST_PORT_RANGE = range(20000, 32000)


def port_pair_is_free(port: int) -> bool:
    """True when both `port` (broker) and `port + 1` (controller) can be bound on loopback."""
    for candidate in (port, port + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                return False
    return True


async def create_topics(
    bootstrap: str,
    names: Iterable[str],
    partitions: int = 4,
    timeout_s: float = 30.0,
) -> None:
    """Create `names` with `partitions` partitions each (replication 1); existing ones are fine.

    Returns once the broker's metadata lists every topic with a leader for each partition, so a
    producer or consumer started right after does not race the topic's creation.
    """
    wanted = list(names)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15_000)
    await admin.start()
    try:
        response: Any = await admin.create_topics(
            [NewTopic(name, num_partitions=partitions, replication_factor=1) for name in wanted]
        )
        for topic, error_code, *message in response.topic_errors:
            error = for_code(error_code)
            if error_code != 0 and error is not TopicAlreadyExistsError:
                raise error(f"cannot create topic {topic!r}: {message}")
        await _wait_for_leaders(admin, wanted, timeout_s)
    finally:
        await admin.close()


async def _wait_for_leaders(admin: AIOKafkaAdminClient, names: list[str], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    pending = set(names)
    while True:
        described: list[dict[str, Any]] = await admin.describe_topics(sorted(pending))
        for topic in described:
            partitions = topic["partitions"]
            has_leaders = partitions and all(p["leader"] >= 0 for p in partitions)
            if topic["error_code"] == 0 and has_leaders:
                pending.discard(topic["topic"])
        if not pending:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"topics without leaders after {timeout_s}s: {sorted(pending)}")
        await asyncio.sleep(0.2)
