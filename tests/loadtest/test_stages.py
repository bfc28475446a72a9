"""The per-stage cost report runs and names every stage (no timing assertions)."""

from __future__ import annotations

import sys

import pytest

from loadtest import stages


def test_stage_report_names_every_stage_and_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["stages", "--events", "120"])
    stages.main()
    report = capsys.readouterr().out
    for stage in ("prefilter over raw bytes", "orjson decode + walk", "main database", "gated database",
                  "validators and context", "refiners and overlaps", "full path taken by"):
        assert stage in report
    assert report.count("MB/s") == 1 and "prefilter (main rules, keys, stops)" in report
