"""Memory soak: the firewall under a steady fixed-rate load, its RSS sampled at intervals.

    python -m loadtest.soak [--minutes 10] [--rate 1000] [--interval 10] [--json FILE]

Broker handling is the line-rate harness's (reuse ``--bootstrap`` / KAFKA_BOOTSTRAP, else start
one on port 19492 and stop it afterwards). It prints each sample (RSS, events processed, lag) and
the least-squares slope of RSS over time after a warm-up; a leak shows as a steady positive
slope. It exits 1 when the growth the slope implies over the measured span exceeds
``--max-growth-mb``. On demand only: it is not part of CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from loadtest.linerate import (
    HARNESS_KAFKA_PORT,
    REPO_ROOT,
    Broker,
    Contender,
    OffsetReader,
    Topics,
    child_environment,
    create_topics,
    delete_topics,
)


@dataclass(frozen=True)
class Sample:
    seconds: float
    rss_mb: float
    processed: int
    lag: int


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def slope_mb_per_min(samples: Sequence[Sample]) -> float:
    """Least-squares slope of RSS against time."""
    if len(samples) < 2:
        return 0.0
    xs = [s.seconds / 60 for s in samples]
    ys = [s.rss_mb for s in samples]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def soak(options: argparse.Namespace, bootstrap: str, workdir: Path) -> list[Sample]:
    topics = Topics(f"soak.{int(time.time())}.{os.getpid()}")
    names = [topics.input(), *topics.of("firewall")]
    create_topics(bootstrap, names)
    offsets = OffsetReader(bootstrap)
    firewall = Contender("firewall", topics, bootstrap, workdir)
    loadgen: subprocess.Popen[bytes] | None = None
    samples: list[Sample] = []
    try:
        firewall.wait_ready(120)
        events = int(options.rate * options.minutes * 60)
        loadgen = subprocess.Popen(
            [sys.executable, "-m", "loadtest.loadgen", "--bootstrap", bootstrap,
             "--topic", topics.input(), "--events", str(events), "--rate", str(options.rate),
             "--pool", "20000", "--no-progress", "--pii-density", str(options.pii_density)],
            stdout=subprocess.DEVNULL, stderr=(workdir / "loadgen.log").open("wb"),
            cwd=REPO_ROOT, env=child_environment())
        started = time.monotonic()
        end = started + options.minutes * 60
        while (now := time.monotonic()) < end:
            firewall.check_alive()
            processed = offsets.total(topics.audit("firewall"))
            sample = Sample(now - started, rss_mb(firewall.processes[0].pid), processed,
                            offsets.total(topics.input()) - processed)
            samples.append(sample)
            print(f"soak: {sample.seconds:>6.0f} s  RSS {sample.rss_mb:>7.1f} MB  "
                  f"processed {sample.processed:>9,}  lag {sample.lag:>7,}", flush=True)
            time.sleep(max(0.0, min(options.interval, end - time.monotonic())))
        return samples
    finally:
        if loadgen is not None and loadgen.poll() is None:
            loadgen.terminate()
            loadgen.wait(20)
        firewall.stop()
        offsets.close()
        delete_topics(bootstrap, names, prefix=f"{topics.prefix}.")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m loadtest.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=1000.0, help="events per second")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--warmup-minutes", type=float, default=1.0,
                        help="samples left out of the slope (caches and pools filling up)")
    parser.add_argument("--max-growth-mb", type=float, default=20.0)
    parser.add_argument("--pii-density", type=float, default=0.3)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP"))
    parser.add_argument("--kafka-port", type=int, default=HARNESS_KAFKA_PORT)
    parser.add_argument("--json", type=Path, help="write the series and the slope to this file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    broker = Broker.reuse_or_start(options.bootstrap, options.kafka_port)
    try:
        with tempfile.TemporaryDirectory(prefix="soak-") as workdir:
            samples = soak(options, broker.bootstrap, Path(workdir))
    finally:
        broker.stop_if_started_here()
    steady = [s for s in samples if s.seconds >= options.warmup_minutes * 60] or samples
    slope = slope_mb_per_min(steady)
    span_min = (steady[-1].seconds - steady[0].seconds) / 60 if steady else 0.0
    growth = slope * span_min
    print(f"soak: RSS slope {slope:+.3f} MB/min over {span_min:.1f} min after warm-up "
          f"({growth:+.1f} MB), whole run {slope_mb_per_min(samples):+.3f} MB/min; "
          f"final lag {samples[-1].lag if samples else 0:,}")
    if options.json:
        options.json.write_text(json.dumps({
            "rate": options.rate, "minutes": options.minutes, "slope_mb_per_min": slope,
            "growth_mb": growth, "samples": [asdict(s) for s in samples]}, indent=2) + "\n")
    if growth > options.max_growth_mb:
        print(f"soak: RSS grew {growth:.1f} MB > {options.max_growth_mb} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
