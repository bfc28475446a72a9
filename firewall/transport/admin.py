"""Create the topics a worker reads and writes (Faust ignores a source topic that does not exist)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from firewall.config import Settings


def configured_topics(settings: Settings) -> list[str]:
    return sorted(
        {
            *settings.kafka.input_topics,
            settings.topics.audit,
            settings.topics.quarantine,
            *settings.routing.sink_topics.values(),
        }
    )


async def ensure_topics(
    bootstrap: str, names: Iterable[str], partitions: int = 4, timeout_s: float = 30.0
) -> None:
    """Create missing topics and wait until the broker lists every one of them."""
    wanted = set(names)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(n, num_partitions=partitions, replication_factor=1) for n in sorted(wanted - existing)
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # created concurrently: fine
                await admin.create_topics(missing)
        deadline = asyncio.get_running_loop().time() + timeout_s
        while not wanted <= set(await admin.list_topics()):
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"topics not visible after {timeout_s}s: {sorted(wanted)}")
            await asyncio.sleep(0.2)
    finally:
        await admin.close()
