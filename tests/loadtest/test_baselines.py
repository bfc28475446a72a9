"""The peer adapters answer in our scan contract, and the side-by-side benchmark runs end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firewall.detection.payload import parse_payload
from loadtest.baselines import iter_leaves

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_SCALARS = st.none() | st.booleans() | st.integers() | _TEXT
_KEYS = st.sampled_from(["name", "手机", "user id", "it's", "a\\b", "_x1", "1st", ""])
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=3),
    max_leaves=12,
)


@settings(deadline=None)  # a shared 2-core machine: timings vary
@given(_DOCUMENTS)
def test_peers_see_the_leaves_our_engine_sees_at_the_same_paths(document: Any) -> None:
    # A path spelled differently from our engine's would score a peer's correct answer as wrong.
    payload = json.dumps(document, ensure_ascii=False).encode()
    ours = [(leaf.path, leaf.text) for leaf in parse_payload(payload).leaves]
    peers = [(leaf.path, leaf.text) for leaf in iter_leaves(payload)]
    assert [pair for pair in peers if pair[1]] == [pair for pair in ours if pair[1]]


def test_raw_text_is_one_leaf_at_the_root() -> None:
    leaves = list(iter_leaves("客服电话 13812345678".encode()))
    assert [(leaf.path, leaf.text) for leaf in leaves] == [("$", "客服电话 13812345678")]


@pytest.fixture(scope="module")
def presidio(tmp_path_factory: pytest.TempPathFactory) -> Any:
    presidio_zh = pytest.importorskip("loadtest.baselines.presidio_zh")
    analyzer = presidio_zh.build_presidio_analyzer(cache_dir=tmp_path_factory.mktemp("spacy"))
    return presidio_zh.PresidioDetector(analyzer)


def test_presidio_finds_an_email_and_a_cn_mobile_at_their_paths_and_offsets(
    presidio: Any,
) -> None:
    event = {
        "order": "A1001",
        "buyer": {"联系方式": "手机 13812345678", "email": "zhang.wei@example.com"},
    }
    [findings] = presidio.scan_payloads([json.dumps(event, ensure_ascii=False).encode()])
    assert {(f["entity"], f["path"], f["start"], f["end"]) for f in findings} == {
        ("CN_MOBILE", "$.buyer.联系方式", 3, 14),
        ("EMAIL", "$.buyer.email", 0, 21),
    }


def test_presidio_phone_results_are_split_into_mobile_and_landline(presidio: Any) -> None:
    [findings] = presidio.scan_payloads(["座机 010-62345678".encode()])
    assert [(f["entity"], f["start"], f["end"]) for f in findings] == [("CN_LANDLINE", 3, 15)]


def test_jionlp_types_phones_and_keeps_the_longest_overlapping_answer() -> None:
    jionlp_zh = pytest.importorskip("loadtest.baselines.jionlp_zh")
    if not jionlp_zh.is_available():
        pytest.skip("jionlp is not installed")
    event = {"tel": "+86 138-1234-5678", "mail": "a.b@example.com"}
    [findings] = jionlp_zh.JionlpDetector().scan_payloads([json.dumps(event).encode()])
    assert {(f["entity"], f["path"], f["start"], f["end"]) for f in findings} == {
        ("CN_MOBILE", "$.tel", 0, 17),
        ("EMAIL", "$.mail", 0, 15),
    }


def test_bench_runs_end_to_end_and_prints_a_markdown_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = pytest.importorskip("loadtest.bench_detect")
    out_file = tmp_path / "bench.json"
    argv = ["--events", "20", "--repeats", "1", "--skip-presidio", "--json", str(out_file)]
    assert bench.main(argv) == 0
    printed = capsys.readouterr().out
    assert "| Detector | Events | Events/s | MB/s |" in printed
    assert "| pii-firewall (Hyperscan) | 20 |" in printed
    assert "| pii-firewall rules on Python re | 20 |" in printed
    assert "Hyperscan raw scan (ceiling)" in printed
    assert "Command: `python -m loadtest.bench_detect --events 20" in printed
    recorded = json.loads(out_file.read_text())
    assert all(row["events"] == 20 for row in recorded["rows"])
