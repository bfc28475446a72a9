"""The scorer's arithmetic on hand-made truth and predictions, and the scan-contract runner."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from loadtest import accuracy
from loadtest.accuracy import canonical_path, run_scan, score
from loadtest.corpus import generate, read_truth, write


def span(entity: str, path: str, start: int, end: int, text: str = "") -> dict[str, Any]:
    return {"entity": entity, "path": path, "start": start, "end": end, "text": text}


TRUTH = [
    {"index": 0, "kind": "order", "entities": [
        span("CN_MOBILE", "$.user.mobile", 0, 11, "13812345678"),
        span("CN_PERSON_NAME", "$.user.name", 0, 2, "张伟")]},
    {"index": 1, "kind": "support_ticket", "entities": [
        span("CN_RESIDENT_ID", "$.content", 5, 23, "11010119900307457X"),
        span("CN_MOBILE", "$.content", 30, 41, "13912345678")]},
    {"index": 2, "kind": "order", "entities": []},
    {"index": 3, "kind": "log_line", "entities": [span("EMAIL", "$", 10, 20, "a@qq.com")]},
]
PREDICTIONS = [
    # exact mobile (path spelled differently), name missed
    {"index": 0, "findings": [span("CN_MOBILE", "$['user'].mobile", 0, 11)]},
    # id card one character short (boundary), mobile reported as a bank card (wrong entity)
    {"index": 1, "findings": [span("CN_RESIDENT_ID", "$.content", 5, 22),
                              span("CN_BANK_CARD", "$.content", 30, 41)]},
    # a trace id reported as a mobile, twice
    {"index": 2, "findings": [span("CN_MOBILE", "$.trace", 3, 14),
                              span("CN_MOBILE", "$.trace", 3, 14)]},
    # index 3 has no prediction row at all
]


def test_strict_counts_per_entity() -> None:
    report = score(TRUTH, PREDICTIONS)
    counts = {e: (t.tp, t.fp, t.fn) for e, t in report.strict.items()}
    assert counts == {"CN_MOBILE": (1, 2, 1), "CN_PERSON_NAME": (0, 0, 1),
                      "CN_RESIDENT_ID": (0, 1, 1), "CN_BANK_CARD": (0, 1, 0), "EMAIL": (0, 0, 1)}
    micro = report.micro(strict=True)
    assert (micro.tp, micro.fp, micro.fn) == (1, 4, 4)
    assert micro.precision == pytest.approx(1 / 5) and micro.recall == pytest.approx(1 / 5)
    assert report.missing_predictions == 1 and report.events == 4


def test_lenient_forgives_boundaries_but_not_wrong_entities_or_duplicates() -> None:
    report = score(TRUTH, PREDICTIONS)
    lenient = {e: (t.tp, t.fp, t.fn) for e, t in report.lenient.items()}
    assert lenient["CN_RESIDENT_ID"] == (1, 0, 0)
    assert lenient["CN_MOBILE"] == (1, 2, 1)
    assert lenient["CN_BANK_CARD"] == (0, 1, 0)
    assert report.micro(strict=False).tp == 2


def test_errors_say_why_a_span_did_not_match() -> None:
    report = score(TRUTH, PREDICTIONS)
    fn_causes = {(e, x.cause) for e, xs in report.false_negatives.items() for x in xs}
    fp_causes = {(e, x.cause) for e, xs in report.false_positives.items() for x in xs}
    assert ("CN_RESIDENT_ID", "boundary") in fn_causes
    assert ("CN_MOBILE", "wrong_entity:CN_BANK_CARD") in fn_causes
    assert ("CN_PERSON_NAME", "missed") in fn_causes
    assert ("CN_MOBILE", "spurious") in fp_causes
    assert ("CN_BANK_CARD", "wrong_entity:CN_MOBILE") in fp_causes
    assert "11010119900307457X" in report.errors_text()


def test_perfect_and_empty_detectors() -> None:
    perfect = score(TRUTH, [{"index": r["index"], "findings": r["entities"]} for r in TRUTH])
    assert perfect.micro().f1 == 1.0 and perfect.macro_f1() == 1.0
    silent = score(TRUTH, [{"index": r["index"], "findings": []} for r in TRUTH])
    assert silent.micro().recall == 0.0 and silent.micro().fp == 0 and silent.micro().f1 == 0.0


def test_by_kind_and_table_and_json_shape() -> None:
    report = score(TRUTH, PREDICTIONS)
    assert report.strict_by_kind["order"].tp == 1 and report.strict_by_kind["order"].fp == 2
    table = report.table()
    assert "micro (all)" in table and "CN_RESIDENT_ID" in table
    as_dict = json.loads(json.dumps(report.to_dict()))
    assert as_dict["strict_micro"]["tp"] == 1 and as_dict["lenient_micro"]["tp"] == 2


@pytest.mark.parametrize(("path", "steps"), [
    ("$", ()), ("$.a.b", ("a", "b")), ("$.contacts[0].tel", ("contacts", 0, "tel")),
    ("$['a b'][2]", ("a b", 2)), ('$["x"].身份证', ("x", "身份证")), ("$['it\\'s']", ("it's",)),
])
def test_canonical_path(path: str, steps: tuple[Any, ...]) -> None:
    assert canonical_path(path) == steps


ECHO_TRUTH = """
import json, pathlib, sys
events = pathlib.Path(sys.argv[1])
for line in (events.parent / "truth.ndjson").read_text().splitlines():
    row = json.loads(line)
    print(json.dumps({"index": row["index"], "decision": "allow", "findings": row["entities"]}))
"""


def test_runner_scores_a_scan_command_end_to_end(tmp_path: Path) -> None:
    write(tmp_path, generate(60, seed=3, source="ours", size=512), "ours")
    script = tmp_path / "echo_scan.py"
    script.write_text(ECHO_TRUTH)
    predictions = run_scan(tmp_path / "events.ndjson", [sys.executable, str(script)])
    report = score(read_truth(tmp_path / "truth.ndjson"), predictions)
    assert report.events == 60 and report.micro().tp > 0 and report.micro().f1 == 1.0


def test_runner_reports_a_failing_command(tmp_path: Path) -> None:
    (tmp_path / "events.ndjson").write_text("{}\n")
    with pytest.raises(RuntimeError, match="exited 3"):
        run_scan(tmp_path / "events.ndjson", [sys.executable, "-c", "import sys; sys.exit(3)"])


def test_cli_writes_the_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, generate(30, seed=8, source="ours", size=512), "ours")
    script = tmp_path / "echo_scan.py"
    script.write_text(ECHO_TRUTH)
    out = tmp_path / "report.json"
    accuracy.main(["--corpus", str(tmp_path), "--json", str(out), "--show-errors",
                   "--scan-cmd", f"{sys.executable} {script}"])
    assert "micro (all)" in capsys.readouterr().out
    assert json.loads(out.read_text())["strict_micro"]["f1"] == 1.0
