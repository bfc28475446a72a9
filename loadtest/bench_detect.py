"""Side-by-side detection benchmark: pii-firewall vs Python `re` vs Presidio [vs jionlp].

One run, one corpus: events are generated once, before any clock starts, and every detector
scans the same bytes. Each row is timed with `time.perf_counter` over the whole batch after a
warm-up outside the timing (rule compilation, model load, first-call caches); our engine's rows
are repeated (up to `--repeats`, within a time budget) and the median kept. Every row is scored
by `loadtest.accuracy.score`.

    python -m loadtest.bench_detect                      # 2000 events, seed 7, all rows
    python -m loadtest.bench_detect --events 20 --skip-presidio
    python -m loadtest.bench_detect --per-entity --json bench.json

The slow rows (our rules on Python `re`, Presidio) scan the first `--subset-events` events only
and are scored on that subset; our engine's F1 on the same subset is printed under the table.
Peers run one timed pass each. MB/s counts 10^6 bytes of payload. The raw-scan row is Hyperscan
over all payloads joined by newlines: no JSON decoding, no validation, no findings.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from loadtest.accuracy import Report, score
from loadtest.baselines import FindingRow, PayloadScanner
from loadtest.events import EventFactory, LabelledEvent

DEFAULT_PATTERNS = Path(__file__).resolve().parent.parent / "patterns"
WARMUP_EVENTS = 50
REPEAT_BUDGET_S = 20.0


@dataclass
class Row:
    """One line of the table."""

    name: str
    events: int
    payload_bytes: int
    seconds: float
    strict_f1: float | None = None
    lenient_f1: float | None = None
    startup_seconds: float | None = None
    per_entity_f1: dict[str, float] = field(default_factory=dict)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds

    @property
    def mb_per_second(self) -> float:
        return self.payload_bytes / self.seconds / 1e6


@dataclass
class Outcome:
    """Everything one run measured, as written by `--json`."""

    machine: str
    command: str
    seed: int
    rows: list[Row]
    subset_note: str | None = None
    # At the start of the run: on a shared machine a busy neighbour slows every row.
    load_average_1m: float | None = None


class EngineScanner:
    """Our `Detector` answering in the scan contract's finding shape."""

    def __init__(self, detector: Any) -> None:
        self.detector = detector

    def scan_payloads(self, payloads: Sequence[bytes]) -> list[list[FindingRow]]:
        return [
            [FindingRow(entity=f.entity, path=f.path, start=f.start, end=f.end) for f in findings]
            for findings in self.detector.scan_payloads(payloads)
        ]


def machine_line() -> str:
    """`2 cores, <CPU model>, Python 3.11.x` from /proc/cpuinfo and the interpreter."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def make_corpus(events: int, seed: int) -> list[LabelledEvent]:
    factory = EventFactory(seed, pii_density=0.3)
    return [factory.make(target_size=1024) for _ in range(events)]


def truth_rows(corpus: Sequence[LabelledEvent]) -> list[dict[str, Any]]:
    return [
        {
            "index": index,
            "kind": event.kind,
            "entities": [
                {"entity": t.entity, "path": t.path, "start": t.start, "end": t.end}
                for t in event.truth
            ],
        }
        for index, event in enumerate(corpus)
    ]


def prediction_rows(findings: Sequence[Sequence[FindingRow]]) -> list[dict[str, Any]]:
    return [
        {"index": index, "findings": [dict(row) for row in rows]}
        for index, rows in enumerate(findings)
    ]


def timed(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of up to `repeats` calls, and the last call's result.

    Repeating stops once REPEAT_BUDGET_S is spent, so a slow row costs one pass, not five.
    """
    durations: list[float] = []
    result: Any = None
    while len(durations) < repeats and sum(durations) < REPEAT_BUDGET_S:
        started = time.perf_counter()
        result = run()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), result


def _report_f1(report: Report) -> tuple[float, float, dict[str, float]]:
    per_entity = {entity: tally.f1 for entity, tally in sorted(report.strict.items())}
    return report.micro(strict=True).f1, report.micro(strict=False).f1, per_entity


def measure_scanner(
    name: str,
    build: Callable[[], PayloadScanner],
    corpus: Sequence[LabelledEvent],
    repeats: int,
) -> Row:
    """Build (timed as startup), warm up, time and score one detector over `corpus`."""
    started = time.perf_counter()
    scanner = build()
    startup = time.perf_counter() - started
    payloads = [event.payload for event in corpus]
    scanner.scan_payloads(payloads[:WARMUP_EVENTS])
    seconds, findings = timed(lambda: scanner.scan_payloads(payloads), repeats)
    strict, lenient, per_entity = _report_f1(score(truth_rows(corpus), prediction_rows(findings)))
    return Row(
        name=name,
        events=len(corpus),
        payload_bytes=sum(len(p) for p in payloads),
        seconds=seconds,
        strict_f1=strict,
        lenient_f1=lenient,
        startup_seconds=startup,
        per_entity_f1=per_entity,
    )


def measure_raw_scan(corpus: Sequence[LabelledEvent], patterns: Path, repeats: int) -> Row:
    """Hyperscan over the concatenated payload bytes: the scan ceiling, no decoding or checks."""
    from firewall.detection import Detector

    detector = Detector.from_path(patterns, backend="hyperscan")
    buffer = b"\n".join(event.payload for event in corpus)
    detector.raw_scan_bytes(buffer[: 64 * 1024])
    seconds, _ = timed(lambda: detector.raw_scan_bytes(buffer), repeats)
    return Row("Hyperscan raw scan (ceiling)", len(corpus), len(buffer), seconds)


def _engine(patterns: Path, backend: str) -> Callable[[], PayloadScanner]:
    def build() -> PayloadScanner:
        from firewall.detection import Detector

        return EngineScanner(Detector.from_path(patterns, backend=backend))

    return build


def _presidio() -> PayloadScanner:
    from loadtest.baselines.presidio_zh import PresidioDetector

    return PresidioDetector()


def _jionlp() -> PayloadScanner:
    from loadtest.baselines.jionlp_zh import JionlpDetector

    return JionlpDetector()


def run(args: argparse.Namespace, command: str) -> Outcome:
    load_at_start = os.getloadavg()[0]
    corpus = make_corpus(args.events, args.seed)
    subset = corpus[: args.subset_events]
    hyperscan = ("pii-firewall (Hyperscan)", _engine(args.patterns, "hyperscan"))
    rows = [measure_scanner(*hyperscan, corpus, args.repeats)]
    # Python re over the same rules and Presidio are slow: they scan the subset.
    rows.append(
        measure_scanner(
            "pii-firewall rules on Python re", _engine(args.patterns, "re"), subset, args.repeats
        )
    )
    if not args.skip_presidio:
        rows.append(measure_scanner("Presidio 2.2 (zh, blank spaCy)", _presidio, subset, 1))
    if not args.skip_jionlp:
        from loadtest.baselines.jionlp_zh import is_available

        if is_available():
            rows.append(measure_scanner("jionlp 1.5 (regex extractors)", _jionlp, corpus, 1))
        else:
            print("jionlp is not installed: row skipped", file=sys.stderr)
    rows.append(measure_raw_scan(corpus, args.patterns, args.repeats))
    outcome = Outcome(machine_line(), command, args.seed, rows, load_average_1m=load_at_start)
    if len(subset) < len(corpus):
        ours = measure_scanner(*hyperscan, subset, 1)
        outcome.subset_note = (
            f"Rows with {len(subset)} events scanned the first {len(subset)} events of the corpus "
            f"and were scored on them; on that subset pii-firewall (Hyperscan) scores strict F1 "
            f"{ours.strict_f1:.3f}, lenient F1 {ours.lenient_f1:.3f}."
        )
    return outcome


def _fmt(value: float | None, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def markdown_table(outcome: Outcome) -> str:
    presidio = next((row for row in outcome.rows if row.name.startswith("Presidio")), None)
    lines = [
        "| Detector | Events | Events/s | MB/s | Strict micro F1 | Lenient micro F1 | × Presidio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in outcome.rows:
        ratio = None if presidio is None else row.events_per_second / presidio.events_per_second
        lines.append(
            f"| {row.name} | {row.events} | {row.events_per_second:,.0f} | "
            f"{row.mb_per_second:,.{1 if row.mb_per_second >= 1 else 3}f} | "
            f"{_fmt(row.strict_f1, '.3f')} | "
            f"{_fmt(row.lenient_f1, '.3f')} | {_fmt(ratio, ',.1f')} |"
        )
    notes = [
        f"Machine: {outcome.machine}; one process, one thread"
        + (
            f"; 1-min load average {outcome.load_average_1m:.1f} at start."
            if outcome.load_average_1m is not None
            else "."
        ),
        f"Command: `{outcome.command}`",
    ]
    if outcome.subset_note:
        notes.append(outcome.subset_note)
    return "\n".join(lines) + "\n\n" + "\n".join(notes)


def per_entity_table(rows: Sequence[Row]) -> str:
    scored = [row for row in rows if row.strict_f1 is not None]
    entities = sorted({entity for row in scored for entity in row.per_entity_f1})
    lines = [
        "| Entity | " + " | ".join(f"{row.name} ({row.events} events)" for row in scored) + " |",
        "|---|" + "---:|" * len(scored),
    ]
    for entity in entities:
        cells = [_fmt(row.per_entity_f1.get(entity), ".3f") for row in scored]
        lines.append(f"| {entity} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m loadtest.bench_detect",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--events", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument(
        "--subset-events",
        type=int,
        default=500,
        help="the slow rows (Python re, Presidio) scan the first N events only (default 500)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=5,
        help="timed passes for our engine's rows, median kept (default 5)",
    )
    parser.add_argument("--patterns", type=Path, default=DEFAULT_PATTERNS, help="rule pack dir")
    parser.add_argument("--skip-presidio", action="store_true", help="leave out the Presidio row")
    parser.add_argument("--skip-jionlp", action="store_true", help="leave out the jionlp row")
    parser.add_argument("--per-entity", action="store_true", help="also print per-entity F1")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    given = list(sys.argv[1:] if argv is None else argv)
    outcome = run(args, " ".join(["python -m loadtest.bench_detect", *given]))
    print(markdown_table(outcome))
    if args.per_entity:
        print("\nPer-entity strict F1 (– = the detector never reported it and it was not in truth)")
        print(per_entity_table(outcome.rows))
    if args.json:
        args.json.write_text(json.dumps(asdict(outcome), indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
