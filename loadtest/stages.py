"""Where detection spends its time, per stage, in process (docs/performance.md).

    python -m loadtest.stages [--events 4000] [--seed 5] [--pii-density 0.3]

Times ``Detector.scan_parsed`` over generated ~1 KB events in batches of 500 (as the hot path
does), with each stage wrapped by a CPU timer, and prints CPU µs per event averaged over all
events; then the raw scan rate of each Hyperscan database over the same events joined, and the
share of events the prefilter sends down the full path. CPU time, not wall time: the machine is
shared, and a busy neighbour then costs less accuracy.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from firewall.config import REPO_PATTERNS
from firewall.detection import Detector
from firewall.detection.engine import StageTimes
from loadtest.events import EventFactory

BATCH = 500


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--pii-density", type=float, default=0.3)
    args = parser.parse_args()
    factory = EventFactory(seed=args.seed, pii_density=args.pii_density)
    payloads = [factory.make(target_size=1024).payload for _ in range(args.events)]
    detector = Detector.from_path(REPO_PATTERNS)
    stage_costs, total = _stage_costs(detector, payloads)
    print(f"{len(payloads)} events, {sum(map(len, payloads)) / len(payloads):.0f} B each on average")
    print(f"  {'scan_parsed, end to end':<34} {total:7.1f} µs/event (CPU)")
    for stage, cost in sorted(stage_costs.items(), key=lambda item: -item[1]):
        print(f"    {stage:<32} {cost:7.1f}")
    scanned = sum(detector.has_candidates(payload) for payload in payloads) / len(payloads)
    print(f"  full path taken by {scanned:.1%} of events")
    joined = b"\x00".join(payloads)
    print("raw scan of the joined events, matches counted in C (MB/s):")
    for name, database in _databases(detector).items():
        print(f"  {name:<34} {_raw_rate(database, joined):7.0f}")


def _stage_costs(detector: Detector, payloads: list[bytes]) -> tuple[dict[str, float], float]:
    detector.scan_parsed(payloads[:BATCH])  # warm the key caches
    best = float("inf")
    best_costs: dict[str, float] = {}
    for _ in range(3):
        detector.stage_times = times = StageTimes()
        started = time.process_time()
        for index in range(0, len(payloads), BATCH):
            detector.scan_parsed(payloads[index : index + BATCH])
        elapsed = time.process_time() - started
        if elapsed < best:
            best, best_costs = elapsed, dict(times.seconds)
    detector.stage_times = None
    per_event = {stage: cost / len(payloads) * 1e6 for stage, cost in best_costs.items()}
    return per_event, best / len(payloads) * 1e6


def _databases(detector: Detector) -> dict[str, Callable[[bytes], int]]:
    """Each database's raw scan: every match counted in C, none handed to Python."""
    return {
        "main (rules that report alone + cues)": detector._main.count,
        "gated (one database per rule)": lambda b: sum(g.count(b) for g in detector._gated.values()),
        "prefilter (main rules, keys, stops)": detector._prefilter.count,
    }


def _raw_rate(count: Callable[[bytes], int], buffer: bytes) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        count(buffer)
        best = min(best, time.process_time() - started)
    return len(buffer) / best / 1e6


if __name__ == "__main__":
    main()
