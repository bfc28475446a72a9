"""The command line: the scan contract, redacted output, and the rule-pack tooling."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from firewall.cli import main

from .conftest import POLICY_FILE

LINES = [
    b'{"tel":"13812345678"}',
    b"",
    "not json 我的手机13912345678".encode(),
    b'{"status":"ok"}',
    b'{"id_card": "11010519491231002X", "n": 1}',
    b"\xff\xfe binary",
]


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny packs compiled by these tests stay out of the user's cache (the bundled pack is
    compiled into it anyway, and reusing it keeps these tests fast)."""
    monkeypatch.setenv("PII_FIREWALL_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.ndjson"
    path.write_bytes(b"\n".join(LINES) + b"\n")
    return path


def _run(capsys: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.decode("utf-8", "replace"), captured.err.decode()


def _rows(out: str) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in out.splitlines()]


def test_scan_prints_one_contract_row_per_input_line(
    capsysbinary: pytest.CaptureFixture[bytes], events_file: Path
) -> None:
    code, out, _ = _run(capsysbinary, "scan", str(events_file))
    assert code == 0
    assert out.endswith("\n")
    assert _rows(out) == [
        {"index": 0, "decision": "redact",
         "findings": [{"entity": "CN_MOBILE", "path": "$.tel", "start": 0, "end": 11}]},
        {"index": 1, "decision": "allow", "findings": []},
        {"index": 2, "decision": "redact",
         "findings": [{"entity": "CN_MOBILE", "path": "$", "start": 13, "end": 24}]},
        {"index": 3, "decision": "allow", "findings": []},
        {"index": 4, "decision": "block",
         "findings": [{"entity": "CN_RESIDENT_ID", "path": "$.id_card", "start": 0, "end": 18}]},
        {"index": 5, "decision": "quarantine", "findings": []},
    ]


def test_scan_rows_have_exactly_the_contract_keys_and_types(
    capsysbinary: pytest.CaptureFixture[bytes], events_file: Path
) -> None:
    _, out, _ = _run(capsysbinary, "scan", str(events_file))
    for row in _rows(out):
        assert list(row) == ["index", "decision", "findings"]
        assert isinstance(row["index"], int)
        assert row["decision"] in {"allow", "redact", "block", "quarantine"}
        for finding in row["findings"]:
            assert list(finding) == ["entity", "path", "start", "end"]
            assert [type(finding[k]) for k in finding] == [str, str, int, int]


def test_scan_reveal_adds_the_matched_text(
    capsysbinary: pytest.CaptureFixture[bytes], events_file: Path
) -> None:
    _, out, _ = _run(capsysbinary, "scan", "--reveal", str(events_file))
    findings = [f for row in _rows(out) for f in row["findings"]]
    assert [(list(f), f["text"]) for f in findings] == [
        (["entity", "path", "start", "end", "text"], "13812345678"),
        (["entity", "path", "start", "end", "text"], "13912345678"),
        (["entity", "path", "start", "end", "text"], "11010519491231002X"),
    ]


def test_scan_reveal_reads_values_of_json_written_into_a_string(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    inner = json.dumps({"receiver_name": "李娜", "tel": "13812345678"}, ensure_ascii=False)
    events = tmp_path / "embedded.ndjson"
    events.write_text(json.dumps({"ext": inner}) + "\n", encoding="utf-8")
    _, out, _ = _run(capsysbinary, "scan", "--reveal", str(events))
    findings = _rows(out)[0]["findings"]
    assert [(f["path"], f["text"]) for f in findings] == [("$.ext", "李娜"), ("$.ext", "13812345678")]
    assert all(inner[f["start"] : f["end"]] == f["text"] for f in findings)


def test_scan_decides_for_the_destination_given(
    capsysbinary: pytest.CaptureFixture[bytes], events_file: Path
) -> None:
    _, out, _ = _run(capsysbinary, "scan", "--destination", "internal-crm", str(events_file))
    assert [row["decision"] for row in _rows(out)] == [
        "allow", "allow", "allow", "allow", "redact", "quarantine"]


def test_scan_redact_prints_each_event_redacted(
    capsysbinary: pytest.CaptureFixture[bytes], events_file: Path
) -> None:
    _, out, _ = _run(capsysbinary, "scan", "--redact", str(events_file))
    assert out.split("\n")[:5] == [
        '{"tel":"138****5678"}',
        "",
        "not json 我的手机139****5678",
        '{"status":"ok"}',
        '{"id_card":"******************","n":1}',
    ]


def test_scan_reads_stdin_and_strips_crlf(
    capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"tel":"13812345678"}\r\n')))
    _, out, _ = _run(capsysbinary, "scan", "-")
    assert _rows(out) == [{"index": 0, "decision": "redact", "findings": [
        {"entity": "CN_MOBILE", "path": "$.tel", "start": 0, "end": 11}]}]


def test_rules_lint_passes_on_the_bundled_pack(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = _run(capsysbinary, "rules", "lint")
    assert code == 0
    assert out.splitlines()[-1].endswith(": OK")
    assert "FAIL" not in out


def _tiny_patterns(tmp_path: Path, examples: str) -> Path:
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    shutil.copy(POLICY_FILE, patterns / "policy.yaml")
    (patterns / "tiny.yaml").write_text(
        'pack: tiny\nversion: "1"\nrules:\n'
        "  - id: order_code\n    entity: ORDER_CODE\n    sensitive: false\n"
        "    category: contact\n    expressions: ['ORD\\d{6}']\n    boundary: alnum\n"
        f"    examples:\n{examples}",
        encoding="utf-8",
    )
    return patterns


@pytest.mark.usefixtures("private_cache")
def test_rules_lint_fails_when_an_example_fails(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    patterns = _tiny_patterns(
        tmp_path, "      match: ['ORD123456', 'ORD12']\n      no_match: ['ORD654321']\n")
    code, out, _ = _run(capsysbinary, "rules", "lint", "--patterns", str(patterns))
    assert code == 1
    assert "FAIL rule order_code: example 'ORD12' should match but does not" in out
    assert "FAIL rule order_code: example 'ORD654321' should not match but does" in out
    assert out.splitlines()[-1] == "1 rules, 1 entities, 3 examples: 2 failing"


@pytest.mark.usefixtures("private_cache")
def test_rules_lint_fails_when_a_whole_example_is_found_in_part(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    patterns = _tiny_patterns(tmp_path, "      whole: ['ORD123456', 'see ORD123456']\n")
    code, out, _ = _run(capsysbinary, "rules", "lint", "--patterns", str(patterns))
    assert code == 1
    assert (
        "FAIL rule order_code: example 'see ORD123456' should be found whole, "
        "found [('ORDER_CODE', 4, 13)]" in out
    )
    assert out.splitlines()[-1] == "1 rules, 1 entities, 2 examples: 1 failing"


@pytest.mark.usefixtures("private_cache")
def test_rules_lint_on_a_good_tiny_pack(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    patterns = _tiny_patterns(tmp_path, "      match: ['ORD123456']\n      no_match: ['ORD12']\n")
    code, out, _ = _run(capsysbinary, "rules", "lint", "--patterns", str(patterns))
    assert (code, out) == (0, "1 rules, 1 entities, 2 examples: OK\n")


@pytest.mark.usefixtures("private_cache")
def test_rules_lint_with_a_broken_pack_is_a_configuration_error(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    patterns = _tiny_patterns(tmp_path, "      match: ['ORD123456']\n")
    text = (patterns / "tiny.yaml").read_text(encoding="utf-8")
    (patterns / "tiny.yaml").write_text(text.replace("alnum", "sideways"), encoding="utf-8")
    code, _, err = _run(capsysbinary, "rules", "lint", "--patterns", str(patterns))
    assert code == 2
    assert "rule order_code: boundary" in err


def test_rules_test_shows_what_each_line_matches(
    capsysbinary: pytest.CaptureFixture[bytes], events_file: Path
) -> None:
    code, out, _ = _run(capsysbinary, "rules", "test", str(events_file))
    assert code == 0
    headers = [line for line in out.splitlines() if line.startswith("line ")]
    assert headers == ["line 1: 1 finding(s)", "line 2: 0 finding(s)", "line 3: 1 finding(s)",
                       "line 4: 0 finding(s)", "line 5: 1 finding(s)", "line 6: 0 finding(s)"]
    assert "CN_MOBILE" in out and "cn_mobile" in out and "$.tel [0:11]" in out


def test_rules_explain_describes_an_entity(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = _run(capsysbinary, "rules", "explain", "cn_mobile")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "cn_mobile  (CN_MOBILE, general PI, contact)"
    assert "  boundary: alnum   validator: cn_mobile   refine: -" in lines
    assert any(line.startswith("  cue words (within 12 chars): 手机") for line in lines)
    assert "  matches:     请联系13812345678谢谢" in lines
    assert "  not matched: 订单号13812345678" in lines


def test_rules_explain_shortens_lexicon_expansions(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    _, out, _ = _run(capsysbinary, "rules", "explain", "CN_PERSON_NAME")
    # five rules whose expressions the surname lexicon expands: three shown each, then a count
    assert out.count("more (lexicon)") == 5
    assert out.count("  expression: ") == 22
    # a rule whose refiner reads a lexicon, not expressions expanded from it
    assert "  the refiner reads lexicon surnames (" in out
    # a rule whose context is any text holding one of its companions says so
    assert "  context: any text holding CN_MOBILE, CN_LANDLINE, EMAIL, CN_RESIDENT_ID" in out
    assert out.count("  cue words only beside CN_MOBILE, CN_LANDLINE, EMAIL: 联系, 联络, 联系不上") == 2
    # a cue word with a space in it is quoted
    assert '" 130", " 131",' in out


def test_rules_explain_an_unknown_entity(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = _run(capsysbinary, "rules", "explain", "NOT_AN_ENTITY")
    assert code == 1
    assert "no rule detects 'NOT_AN_ENTITY'" in out
    assert "CN_MOBILE" in out


def test_topics_with_a_bad_settings_file_exits_2_naming_the_key(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    config = tmp_path / "settings.yaml"
    config.write_text("kafka:\n  bootstrap_servers: not-a-host-port\n", encoding="utf-8")
    code, out, err = _run(capsysbinary, "topics", "--config", str(config))
    assert code == 2
    assert out == ""
    assert "configuration error" in err
    assert "kafka.bootstrap_servers" in err


def test_topics_with_a_settings_file_that_is_a_list_exits_2(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    config = tmp_path / "settings.yaml"
    config.write_text("- kafka\n", encoding="utf-8")
    code, _, _ = _run(capsysbinary, "topics", "--config", str(config))
    assert code == 2


def test_scan_with_a_bad_policy_exits_2(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, events_file: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: '1'\nunknown_destination: allow\ndestinations: {}\n",
                      encoding="utf-8")
    code, out, err = _run(capsysbinary, "scan", "--policy", str(policy), str(events_file))
    assert (code, out) == (2, "")
    assert "unknown_destination" in err
