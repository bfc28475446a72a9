"""Bare Kafka passthroughs: the baselines the firewall's throughput is compared with.

Each copies every input record to a sink topic and does nothing else, the way the firewall's
hot path moves records: batched, key, headers and CreateTime preserved, the sink partition equal
to the input partition, offsets committed only after the batch's sends are acknowledged.

    python -m loadtest.passthrough --impl aiokafka --bootstrap B --group G --input T --sink S
    python -m loadtest.passthrough --impl confluent ...

It logs ``hot path ready`` on stderr once partitions are assigned, stops cleanly on SIGTERM and
prints one JSON line of counters on stdout when it exits.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

READY_LINE = "hot path ready"
PRODUCER_BATCH_BYTES = 1_000_000


@dataclass(slots=True)
class Counters:
    records: int = 0
    bytes: int = 0
    batches: int = 0
    seconds: float = 0.0


def _append(batch: Any, fields: tuple[int, bytes | None, bytes | None, Any]) -> Any:
    timestamp, key, value, headers = fields
    # aiokafka's record builder takes headers only as a list; consumed ones are tuples.
    return batch.append(timestamp=timestamp, key=key, value=value,
                        headers=list(headers) if headers else [])


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def run_aiokafka(args: argparse.Namespace, stop: asyncio.Event) -> Counters:
    """getmany → one create_batch/send_batch per partition → await acks → commit."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
    from aiokafka.abc import ConsumerRebalanceListener

    in_flight = asyncio.Lock()  # held from a batch's first send until its commit

    class CommitBeforeRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
        async def on_partitions_revoked(self, revoked: Any) -> None:
            async with in_flight:  # let the batch in hand commit while its partitions are ours
                pass

        async def on_partitions_assigned(self, assigned: Any) -> None:
            if assigned:
                _log(f"{READY_LINE}: {len(assigned)} partitions")

    consumer = AIOKafkaConsumer(
        bootstrap_servers=args.bootstrap, group_id=args.group, enable_auto_commit=False,
        auto_offset_reset="earliest", max_partition_fetch_bytes=4_194_304,
        fetch_max_bytes=16_777_216,
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=args.bootstrap, acks=1, linger_ms=args.linger_ms,
        max_batch_size=PRODUCER_BATCH_BYTES, max_request_size=4_194_304,
    )
    counters = Counters()
    await producer.start()
    await consumer.start()
    consumer.subscribe(args.input, listener=CommitBeforeRevoke())
    started = time.monotonic()
    try:
        while not stop.is_set():
            fetched = await consumer.getmany(timeout_ms=100, max_records=args.max_records)
            async with in_flight:
                # Records of partitions revoked since the fetch are the new owner's to copy.
                owned = consumer.assignment()
                fetched = {tp: records for tp, records in fetched.items() if tp in owned}
                if fetched:
                    await consumer.commit(await _copy_aiokafka(producer, fetched, args.sink,
                                                               counters))
                    counters.batches += 1
    finally:
        counters.seconds = time.monotonic() - started
        await consumer.stop()
        await producer.stop()
    return counters


async def _copy_aiokafka(producer: Any, fetched: dict[Any, list[Any]], sink: str,
                         counters: Counters) -> dict[Any, int]:
    """Send every record to the same partition of ``sink``; return offsets once all are acked."""
    deliveries = []
    for tp, records in fetched.items():
        batch = producer.create_batch()
        for record in records:
            fields = (record.timestamp, record.key, record.value, record.headers)
            if _append(batch, fields) is None:  # batch full: ship it, start another
                deliveries.append(await producer.send_batch(batch, sink, partition=tp.partition))
                batch = producer.create_batch()
                _append(batch, fields)
            counters.bytes += len(record.value or b"")
        deliveries.append(await producer.send_batch(batch, sink, partition=tp.partition))
        counters.records += len(records)
    await asyncio.gather(*deliveries)
    return {tp: records[-1].offset + 1 for tp, records in fetched.items()}


def run_confluent(args: argparse.Namespace, stop: list[bool]) -> Counters:
    """consume(num_messages) → produce with a delivery callback → flush → synchronous commit."""
    from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer
    from confluent_kafka import TopicPartition as Partition

    failures: list[KafkaError] = []

    def on_delivery(error: KafkaError | None, _message: Message) -> None:
        if error is not None:
            failures.append(error)

    def on_assign(_consumer: Consumer, partitions: list[Partition]) -> None:
        if partitions:
            _log(f"{READY_LINE}: {len(partitions)} partitions")

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap, "group.id": args.group,
        "enable.auto.commit": False, "auto.offset.reset": "earliest",
        "fetch.max.bytes": 16_777_216, "max.partition.fetch.bytes": 4_194_304,
    })
    producer = Producer({
        "bootstrap.servers": args.bootstrap, "acks": "1", "linger.ms": args.linger_ms,
        "batch.size": PRODUCER_BATCH_BYTES, "message.max.bytes": 4_194_304,
        "queue.buffering.max.messages": 1_000_000,
    })
    consumer.subscribe(args.input, on_assign=on_assign)
    counters = Counters()
    started = time.monotonic()
    try:
        while not stop[0]:
            # consume(n, timeout) waits for n records or the timeout; take what is there instead.
            messages = consumer.consume(num_messages=args.max_records, timeout=0)
            if not messages:
                first = consumer.poll(0.1)
                messages = [first] if first is not None else []
            if not messages:
                continue
            commit: dict[tuple[str, int], int] = {}
            for message in messages:
                if message.error() is not None:
                    raise KafkaException(message.error())
                partition, offset = message.partition(), message.offset()
                assert partition is not None and offset is not None  # set on consumed records
                value = message.value() or b""
                producer.produce(args.sink, value, message.key(), partition=partition,
                                 timestamp=message.timestamp()[1], headers=message.headers(),
                                 on_delivery=on_delivery)
                counters.bytes += len(value)
                commit[(message.topic() or "", partition)] = offset + 1
            if producer.flush(30) or failures:
                raise RuntimeError(f"{len(failures)} records not delivered: {failures[:1]}")
            counters.records += len(messages)
            consumer.commit(offsets=[Partition(topic, partition, offset)
                                     for (topic, partition), offset in commit.items()],
                            asynchronous=False)
            counters.batches += 1
    finally:
        counters.seconds = time.monotonic() - started
        consumer.close()
    return counters


async def _run_aiokafka_until_signalled(args: argparse.Namespace) -> Counters:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    return await run_aiokafka(args, stop)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m loadtest.passthrough", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", choices=["aiokafka", "confluent"], required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--input", required=True, type=lambda text: text.split(","),
                        help="input topics, comma separated")
    parser.add_argument("--sink", required=True)
    parser.add_argument("--max-records", type=int, default=2000)
    parser.add_argument("--linger-ms", type=int, default=2)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.impl == "aiokafka":
        counters = asyncio.run(_run_aiokafka_until_signalled(args))
    else:
        stop = [False]

        def request_stop(_signum: int, _frame: object) -> None:
            stop[0] = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        counters = run_confluent(args, stop)
    print(json.dumps({"impl": args.impl, **asdict(counters)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
