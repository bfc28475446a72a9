"""Score a detector against a labelled corpus through the scan contract.

    python -m loadtest.accuracy [--events N] [--seed S] [--source ours|faker|mixed]
                                [--corpus DIR] [--json FILE] [--show-errors] [--scan-cmd CMD]

`score(truth_rows, prediction_rows)` is the reusable part: truth rows are `truth.ndjson` rows
(`{"index", "entities": [TruthSpan dicts]}`), prediction rows are `scan` output rows
(`{"index", "findings": [{"entity", "path", "start", "end", "text"?}]}`). Strict matching needs the
same entity, the same leaf and the exact span; lenient needs the same entity and leaf and
overlapping spans. Matching is one-to-one. JSONPaths are compared parsed, so `$.a['b']`, `$['a'].b`
and `$.a.b` are the same leaf.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

PathKey = tuple[str | int, ...]
_REPO = Path(__file__).resolve().parents[1]
DEFAULT_SCAN = (str(_REPO / ".venv" / "bin" / "pii-firewall"), "scan")


@dataclass(slots=True)
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, float | int]:
        return {"support": self.support, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass(frozen=True, slots=True)
class ErrorExample:
    """A strict miss. cause: boundary (same entity overlaps), wrong_entity:<X>, spurious, missed."""

    index: int
    path: str
    start: int
    end: int
    text: str
    cause: str


def _examples() -> dict[str, list[ErrorExample]]:
    return defaultdict(list)


@dataclass(slots=True)
class Report:
    events: int = 0
    missing_predictions: int = 0
    strict: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    lenient: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    strict_by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    false_positives: dict[str, list[ErrorExample]] = field(default_factory=_examples)
    false_negatives: dict[str, list[ErrorExample]] = field(default_factory=_examples)

    def micro(self, strict: bool = True) -> Tally:
        total = Tally()
        for tally in (self.strict if strict else self.lenient).values():
            total.add(tally)
        return total

    def macro_f1(self, strict: bool = True) -> float:
        tallies = [t for t in (self.strict if strict else self.lenient).values() if t.support]
        return sum(t.f1 for t in tallies) / len(tallies) if tallies else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": self.events, "missing_predictions": self.missing_predictions,
            "strict_micro": self.micro(True).to_dict(),
            "lenient_micro": self.micro(False).to_dict(),
            "strict_macro_f1": round(self.macro_f1(True), 4),
            "strict": {e: t.to_dict() for e, t in sorted(self.strict.items())},
            "lenient": {e: t.to_dict() for e, t in sorted(self.lenient.items())},
            "strict_by_kind": {k: t.to_dict() for k, t in sorted(self.strict_by_kind.items())},
            "false_positives": {e: [asdict(x) for x in v] for e, v in self.false_positives.items()},
            "false_negatives": {e: [asdict(x) for x in v] for e, v in self.false_negatives.items()},
        }

    def table(self) -> str:
        head = (f"{'entity':20}{'support':>8}{'TP':>7}{'FP':>7}{'FN':>7}{'prec':>8}{'rec':>8}"
                f"{'F1':>8}  | lenient{'prec':>7}{'rec':>7}{'F1':>7}")
        lines = [head, "-" * len(head)]
        for entity in sorted(set(self.strict) | set(self.lenient)):
            lines.append(_row(entity, self.strict[entity], self.lenient[entity]))
        lines.append("-" * len(head))
        lines.append(_row("micro (all)", self.micro(True), self.micro(False)))
        lines.append(f"strict macro F1 {self.macro_f1(True):.4f} over {self.events} events"
                     + (f"; {self.missing_predictions} events had no prediction row"
                        if self.missing_predictions else ""))
        if self.strict_by_kind:
            lines.append("strict micro by event kind: " + ", ".join(
                f"{k} {t.f1:.3f} (n={t.support})" for k, t in sorted(self.strict_by_kind.items())))
        return "\n".join(lines)

    def errors_text(self, limit: int = 10) -> str:
        lines = []
        for title, table in (("FALSE POSITIVES", self.false_positives),
                             ("FALSE NEGATIVES", self.false_negatives)):
            for entity in sorted(table):
                lines.append(f"== {title} {entity}")
                lines.extend(f"  #{x.index} {x.path} [{x.start}:{x.end}] {x.cause}: {x.text[:80]!r}"
                             for x in table[entity][:limit])
        return "\n".join(lines)


def _row(name: str, strict: Tally, lenient: Tally) -> str:
    return (f"{name:20}{strict.support:>8}{strict.tp:>7}{strict.fp:>7}{strict.fn:>7}"
            f"{strict.precision:>8.3f}{strict.recall:>8.3f}{strict.f1:>8.3f}  |        "
            f"{lenient.precision:>7.3f}{lenient.recall:>7.3f}{lenient.f1:>7.3f}")


def canonical_path(path: str) -> PathKey:
    """Parse `$.a[0]['b c']["d"]` into ('a', 0, 'b c', 'd'); unparsable paths stay whole."""
    if not path.startswith("$"):
        return (path,)
    parts: list[str | int] = []
    i, n = 1, len(path)
    while i < n:
        if path[i] == ".":
            j = i + 1
            while j < n and path[j] not in ".[":
                j += 1
            parts.append(path[i + 1:j])
            i = j
        elif path.startswith(("['", '["'), i):
            quote, j, name = path[i + 1], i + 2, []
            while j < n and path[j] != quote:
                if path[j] == "\\" and j + 1 < n:
                    j += 1
                name.append(path[j])
                j += 1
            if not path.startswith("]", j + 1):
                return (path,)
            parts.append("".join(name))
            i = j + 2
        elif path[i] == "[" and (close := path.find("]", i)) > i and path[i + 1:close].isdigit():
            parts.append(int(path[i + 1:close]))
            i = close + 1
        else:
            return (path,)
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class _Span:
    entity: str
    path: PathKey
    raw_path: str
    start: int
    end: int
    text: str


def _spans(rows: Iterable[Mapping[str, Any]], field_name: str) -> dict[int, list[_Span]]:
    by_index: dict[int, list[_Span]] = {}
    for row in rows:
        by_index[int(row["index"])] = [
            _Span(str(s["entity"]), canonical_path(str(s["path"])), str(s["path"]), int(s["start"]),
                  int(s["end"]), str(s.get("text", ""))) for s in row.get(field_name) or ()]
    return by_index


def _overlap(a: _Span, b: _Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _match(truth: list[_Span], predicted: list[_Span], strict: bool) -> set[tuple[int, int]]:
    """One-to-one pairs (truth i, prediction j) of the same entity and leaf."""
    pairs: set[tuple[int, int]] = set()
    used: set[int] = set()
    for j, p in sorted(enumerate(predicted), key=lambda jp: (jp[1].start, jp[1].end)):
        best, best_overlap = -1, 0
        for i, t in enumerate(truth):
            if i in used or t.entity != p.entity or t.path != p.path:
                continue
            if strict:
                if (t.start, t.end) == (p.start, p.end):
                    best = i
                    break
            elif (o := _overlap(t, p)) > best_overlap:
                best, best_overlap = i, o
        if best >= 0:
            used.add(best)
            pairs.add((best, j))
    return pairs


def _cause(span: _Span, others: list[_Span], missed: str) -> str:
    near = [o for o in others if o.path == span.path and _overlap(o, span) > 0]
    if any(o.entity == span.entity for o in near):
        return "boundary"
    return f"wrong_entity:{near[0].entity}" if near else missed


def score(truth_rows: Iterable[Mapping[str, Any]], prediction_rows: Iterable[Mapping[str, Any]],
          max_examples: int = 10) -> Report:
    """Per-entity strict and lenient TP/FP/FN over events aligned by `index`."""
    truth_rows = list(truth_rows)
    kinds = {int(r["index"]): str(r.get("kind", "")) for r in truth_rows}
    truth = _spans(truth_rows, "entities")
    predictions = _spans(prediction_rows, "findings")
    report = Report(events=len(truth))
    report.missing_predictions = sum(1 for i in truth if i not in predictions)
    for index in sorted(set(truth) | set(predictions)):
        t_spans, p_spans = truth.get(index, []), predictions.get(index, [])
        for strict, table in ((True, report.strict), (False, report.lenient)):
            pairs = _match(t_spans, p_spans, strict)
            hit_t, hit_p = {i for i, _ in pairs}, {j for _, j in pairs}
            for i, t in enumerate(t_spans):
                table[t.entity].tp += i in hit_t
                table[t.entity].fn += i not in hit_t
            for j, p in enumerate(p_spans):
                table[p.entity].fp += j not in hit_p
            if strict:
                _record(report, index, kinds.get(index, ""), t_spans, p_spans, hit_t, hit_p,
                        max_examples)
    return report


def _record(report: Report, index: int, kind: str, t_spans: list[_Span], p_spans: list[_Span],
            hit_t: set[int], hit_p: set[int], limit: int) -> None:
    if kind:
        report.strict_by_kind[kind].add(Tally(len(hit_t), len(p_spans) - len(hit_p),
                                              len(t_spans) - len(hit_t)))
    for i, t in enumerate(t_spans):
        if i not in hit_t and len(report.false_negatives[t.entity]) < limit:
            report.false_negatives[t.entity].append(ErrorExample(
                index, t.raw_path, t.start, t.end, t.text, _cause(t, p_spans, "missed")))
    for j, p in enumerate(p_spans):
        if j not in hit_p and len(report.false_positives[p.entity]) < limit:
            report.false_positives[p.entity].append(ErrorExample(
                index, p.raw_path, p.start, p.end, p.text, _cause(p, t_spans, "spurious")))


def run_scan(events_path: Path, command: Sequence[str] = DEFAULT_SCAN) -> list[dict[str, Any]]:
    """Run a scan-contract command over an NDJSON file and parse its one-row-per-line output."""
    done = subprocess.run([*command, str(events_path), "--reveal"], capture_output=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} exited {done.returncode}: "
                           f"{done.stderr.decode(errors='replace')[-2000:]}")
    return [orjson.loads(line) for line in done.stdout.splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="per-entity precision / recall of the scanner")
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", choices=("ours", "faker", "mixed"), default="ours")
    parser.add_argument("--corpus", type=Path, help="read DIR/events.ndjson + truth.ndjson")
    parser.add_argument("--json", type=Path, help="write the full report here")
    parser.add_argument("--show-errors", action="store_true", help="top 10 FP / FN per entity")
    parser.add_argument("--scan-cmd", default=shlex.join(DEFAULT_SCAN),
                        help="command obeying the scan contract (FILE and --reveal are appended)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pii-corpus-") as scratch:
        corpus = args.corpus
        if corpus is None:
            from loadtest import corpus as corpus_module
            corpus = Path(scratch)
            corpus_module.write(corpus, corpus_module.generate(args.events, args.seed, args.source),
                                args.source)
        truth = [orjson.loads(line) for line in (corpus / "truth.ndjson").read_bytes().splitlines()
                 if line.strip()]
        predictions = run_scan(corpus / "events.ndjson", shlex.split(args.scan_cmd))
    report = score(truth, predictions)
    print(report.table())
    if args.show_errors:
        print(report.errors_text())
    if args.json:
        args.json.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
