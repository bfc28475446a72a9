"""Which batching layout is fastest for the main Hyperscan database (docs/performance.md).

    python -m loadtest.scan_layout [--events 3000]

Compares, over the same decoded leaves: one scan call per leaf, one per event (its leaves joined),
and one per batch (every leaf of every event joined with NUL separators, offsets mapped back) —
the layout the detector uses.
"""

from __future__ import annotations

import argparse
import time

from firewall.config import REPO_PATTERNS
from firewall.detection import Detector, parse_payload
from loadtest.events import EventFactory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    factory = EventFactory(seed=args.seed, pii_density=0.3)
    documents = [parse_payload(factory.make(target_size=1024).payload).leaves for _ in range(args.events)]
    backend = Detector.from_path(REPO_PATTERNS)._main
    leaves = [leaf for document in documents for leaf in document]
    layouts = {
        "one scan per leaf": lambda: [backend.scan([leaf]) for leaf in leaves],
        "one scan per event": lambda: [backend.scan(document) for document in documents],
        "one scan per batch (kept)": lambda: backend.scan(leaves),
    }
    print(f"{args.events} events, {len(leaves)} leaves ({len(leaves) / args.events:.0f} per event)")
    for name, run in layouts.items():
        best = min(_timed(run) for _ in range(3))
        print(f"  {name:<28} {best / args.events * 1e6:7.1f} us/event")


def _timed(run: object) -> float:
    started = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
