"""Load generator: realistic outbound events into Kafka, flat out or at a fixed rate.

Events come from :class:`loadtest.events.EventFactory` and are generated *before* the clock
starts, so generation never limits the send rate; a pool smaller than the run is cycled.
The producer is librdkafka (confluent-kafka), which batches on its own threads and costs the
Python side about a microsecond per event, leaving the CPU to whatever is being measured.

    python -m loadtest.loadgen --bootstrap 127.0.0.1:19492 --topic bench.in --events 100000
    python -m loadtest.loadgen --topic bench.in --events 50000 --rate 5000 --size-dist mixed

A progress line (events, rate, MB/s) goes to stderr; one JSON summary line goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, TextIO

from loadtest.events import EventFactory

DEFAULT_BOOTSTRAP = "127.0.0.1:19092"
MIN_EVENT_BYTES = 200
MAX_EVENT_BYTES = 64 * 1024
DEFAULT_POOL = 50_000
# "mixed": most outbound events are small, a few carry large blobs. Each band is
# (share, low, high) and sizes are log-uniform inside a band, so the mean is about 2.5 KB.
MIXED_SIZE_BANDS: tuple[tuple[float, int, int], ...] = (
    (0.70, MIN_EVENT_BYTES, 1024),
    (0.25, 1024, 8 * 1024),
    (0.05, 8 * 1024, MAX_EVENT_BYTES),
)


@dataclass(frozen=True, slots=True)
class SizePlan:
    """Target payload sizes: one fixed size, or ``None`` for the mixed distribution."""

    fixed_bytes: int | None = 1024

    def draw(self, rng: random.Random) -> int:
        if self.fixed_bytes is not None:
            return self.fixed_bytes
        pick = rng.random()
        for share, low, high in MIXED_SIZE_BANDS:
            if pick < share:
                return int(math.exp(rng.uniform(math.log(low), math.log(high))))
            pick -= share
        return MAX_EVENT_BYTES

    def describe(self) -> str:
        return "mixed" if self.fixed_bytes is None else f"{self.fixed_bytes} B"


@dataclass(frozen=True, slots=True)
class LoadResult:
    sent: int
    bytes: int
    seconds: float
    failed: int

    @property
    def eps(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.bytes / self.seconds / 1e6 if self.seconds > 0 else 0.0


def pregenerate(
    count: int,
    *,
    seed: int = 1,
    pii_density: float = 0.3,
    sizes: SizePlan | None = None,
) -> list[bytes]:
    """Make the payloads of ``count`` events in memory."""
    plan = sizes or SizePlan()
    factory = EventFactory(seed, pii_density=pii_density)
    rng = random.Random(seed)
    return [factory.make(target_size=plan.draw(rng)).payload for _ in range(count)]


def event_key(seed: int, index: int) -> bytes:
    """The record key: an event id unique within a run (``seed`` tells runs apart)."""
    return b"ev-%d-%09d" % (seed, index)


class Progress:
    """Rewrites one stderr line at most every ``interval`` seconds (a new line when not a tty)."""

    def __init__(self, label: str, total: int, stream: TextIO = sys.stderr, interval: float = 0.5):
        self._label = label
        self._total = total
        self._stream = stream
        self._interval = interval if stream.isatty() else max(interval, 2.0)
        self._tty = stream.isatty()
        self._started = time.monotonic()
        self._last = self._started

    def update(self, sent: int, sent_bytes: int, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self._last < self._interval:
            return
        self._last = now
        elapsed = max(now - self._started, 1e-9)
        line = (
            f"{self._label}: {sent:>10,}/{self._total:,} events  {sent / elapsed:>9,.0f} ev/s"
            f"  {sent_bytes / elapsed / 1e6:>7.1f} MB/s"
        )
        end = "\n" if final or not self._tty else ""
        self._stream.write(("\r" if self._tty else "") + line + end)
        self._stream.flush()


def producer_config(bootstrap: str, *, fixed_rate: bool) -> dict[str, Any]:
    """acks=1 like the contenders; a short linger at a fixed rate so batching adds little delay."""
    return {
        "bootstrap.servers": bootstrap,
        "acks": "1",
        "linger.ms": 2 if fixed_rate else 20,
        "batch.size": 1_000_000,
        "queue.buffering.max.messages": 500_000,
        "queue.buffering.max.kbytes": 1_048_576,
        "message.max.bytes": 2_000_000,
        "partitioner": "murmur2_random",  # the Java client's key hashing
        "delivery.report.only.error": True,  # count failures without a callback per event
    }


def produce(
    bootstrap: str,
    topic: str,
    pool: Sequence[bytes],
    *,
    seed: int = 1,
    events: int | None = None,
    rate: float | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Send ``events`` records (cycling ``pool``) flat out, or at ``rate`` events/s, then flush.

    Keys are :func:`event_key` of the event's index, so every sent record has a distinct key.
    """
    from confluent_kafka import KafkaError, Producer

    total = len(pool) if events is None else events
    if not pool and total:
        raise ValueError("empty event pool")
    failures = [0]

    def on_error(error: KafkaError | None, _message: object) -> None:
        if error is not None:
            failures[0] += 1

    producer = Producer({**producer_config(bootstrap, fixed_rate=rate is not None),
                         "on_delivery": on_error})
    sent = sent_bytes = 0
    started = time.monotonic()
    while sent < total:
        if rate is None:
            due = min(total, sent + 1000)
        else:
            due = min(total, int((time.monotonic() - started) * rate) + 1)
            if due <= sent:
                producer.poll(0)
                time.sleep(min(0.001, (sent + 1 - due) / rate + 1e-4))
                continue
        for index in range(sent, due):
            value = pool[index % len(pool)]
            key = event_key(seed, index)
            while True:
                try:
                    producer.produce(topic, value, key)
                    break
                except BufferError:  # librdkafka's queue is full: let it drain
                    producer.poll(0.01)
            sent_bytes += len(value)
        sent = due
        producer.poll(0)
        if progress is not None:
            progress.update(sent, sent_bytes)
    remaining = producer.flush(60)
    elapsed = time.monotonic() - started
    if progress is not None:
        progress.update(sent, sent_bytes, final=True)
    return LoadResult(sent=sent, bytes=sent_bytes, seconds=elapsed,
                      failed=failures[0] + remaining)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m loadtest.loadgen", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP))
    parser.add_argument("--topic", required=True)
    parser.add_argument("--events", type=int, required=True, help="how many events to send")
    parser.add_argument("--rate", type=float, help="events per second (default: flat out)")
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--size", type=int, default=1024,
                       help=f"target payload bytes, {MIN_EVENT_BYTES}..{MAX_EVENT_BYTES}")
    sizes.add_argument("--size-dist", choices=["mixed"],
                       help="mixed sizes 200 B - 64 KB (70%% <1 KB, 25%% 1-8 KB, 5%% 8-64 KB)")
    parser.add_argument("--pii-density", type=float, default=0.3,
                        help="share of events that carry personal information")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pool", type=int, default=DEFAULT_POOL,
                        help="distinct events generated up front; a longer run cycles them")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if not MIN_EVENT_BYTES <= args.size <= MAX_EVENT_BYTES:
        parser.error(f"--size must be within {MIN_EVENT_BYTES}..{MAX_EVENT_BYTES}")
    if args.rate is not None and args.rate <= 0:
        parser.error("--rate must be positive")
    if args.events < 0 or args.pool < 1 or not 0.0 <= args.pii_density <= 1.0:
        parser.error("--events >= 0, --pool >= 1 and 0 <= --pii-density <= 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    plan = SizePlan(None if args.size_dist == "mixed" else args.size)
    generation_started = time.perf_counter()
    pool = pregenerate(min(args.events, args.pool), seed=args.seed,
                       pii_density=args.pii_density, sizes=plan)
    generation_s = time.perf_counter() - generation_started
    per_event_us = generation_s / max(len(pool), 1) * 1e6
    print(f"loadgen: generated {len(pool):,} events ({plan.describe()}) in {generation_s:.1f} s,"
          f" {per_event_us:.0f} µs/event", file=sys.stderr)
    progress = None if args.no_progress else Progress("loadgen", args.events)
    result = produce(args.bootstrap, args.topic, pool, seed=args.seed, events=args.events,
                     rate=args.rate, progress=progress)
    summary = {**asdict(result), "eps": round(result.eps, 1), "mb_per_s": round(result.mb_per_s, 2),
               "generation_us_per_event": round(per_event_us, 1)}
    print(json.dumps(summary))
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
