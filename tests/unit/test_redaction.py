"""Redaction: operators, span rewriting that leaves everything else alone, JSON kept valid."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firewall.detection import Detector, Finding, PayloadKind, parse_payload
from firewall.policy import Operator, Policy
from firewall.policy.model import OperatorSpec, RedactionPolicy
from firewall.redaction import mask, redact_document, redact_payload, redact_text, serialise, tag
from loadtest.events import EventFactory

from .conftest import leaf_texts


@pytest.mark.parametrize(
    ("value", "keep_first", "keep_last", "masked"),
    [
        ("13812345678", 3, 4, "138****5678"),
        ("6212264233793351639", 0, 4, "***************1639"),
        ("11010519491231002X", 0, 0, "******************"),
        ("he.he@126.com", 1, 0, "h************"),
        ("张伟", 1, 0, "张*"),
        ("abc", 5, 5, "ab*"),  # asked to keep everything: a third is starred all the same
        ("abcdef", 3, 3, "abc**f"),
    ],
)
def test_mask_examples(value: str, keep_first: int, keep_last: int, masked: str) -> None:
    assert mask(value, keep_first=keep_first, keep_last=keep_last) == masked


@settings(max_examples=300, deadline=None)
@given(value=st.text(min_size=1, max_size=40), keep_first=st.integers(0, 32),
       keep_last=st.integers(0, 32))
def test_mask_keeps_only_the_ends_asked_for_and_stars_at_least_a_third(
    value: str, keep_first: int, keep_last: int
) -> None:
    masked = mask(value, keep_first=keep_first, keep_last=keep_last)
    length, least_starred = len(value), max(1, -(-len(value) // 3))
    shapes = {
        value[:head] + "*" * (length - head - tail) + value[length - tail :]
        for head in range(keep_first + 1)
        for tail in range(keep_last + 1)
        if length - head - tail >= least_starred
    }
    assert masked in shapes


def test_tag_names_the_entity() -> None:
    assert tag("11010519491231002X", entity="CN_RESIDENT_ID") == "<CN_RESIDENT_ID>"


def _finding(start: int, end: int, entity: str = "THING", path: str = "$") -> Finding:
    return Finding(entity=entity, rule_id="r", path=path, start=start, end=end, confidence=0.9,
                   sensitive=False)


def _policy(operator: Operator, keep_first: int = 0, keep_last: int = 0) -> RedactionPolicy:
    spec = OperatorSpec(operator=operator, keep_first=keep_first, keep_last=keep_last)
    return RedactionPolicy(default=spec)


@st.composite
def _text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(st.text(min_size=1, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    return text, spans


@settings(max_examples=300, deadline=None)
@given(case=_text_and_spans())
def test_no_character_of_a_masked_span_survives_and_the_rest_is_untouched(
    case: tuple[str, list[tuple[int, int]]],
) -> None:
    text, spans = case
    out = redact_text(text, [_finding(s, e) for s, e in spans], _policy(Operator.MASK))
    inside = {i for s, e in spans for i in range(s, e)}
    assert len(out) == len(text)
    for i, char in enumerate(out):
        assert char == ("*" if i in inside else text[i])


@settings(max_examples=300, deadline=None)
@given(case=_text_and_spans(), operator=st.sampled_from([Operator.DROP, Operator.TAG]))
def test_dropped_or_tagged_spans_vanish_and_the_rest_is_untouched(
    case: tuple[str, list[tuple[int, int]]], operator: Operator,
) -> None:
    text, spans = case
    out = redact_text(text, [_finding(s, e) for s, e in reversed(spans)], _policy(operator))
    replacement = "" if operator is Operator.DROP else "<THING>"
    expected, at = [], 0
    for start, end in spans:
        expected += [text[at:start], replacement]
        at = end
    assert out == "".join(expected) + text[at:]


def test_per_entity_operators_come_from_the_policy(policy: Policy) -> None:
    text = "手机13812345678 身份证11010519491231002X"
    findings = [_finding(2, 13, "CN_MOBILE"), _finding(17, 35, "CN_RESIDENT_ID"),
                _finding(0, 2, "WECHAT_ID")]
    out = redact_text(text, findings, policy.redaction)
    assert out == "<WECHAT_ID>138****5678 身份证******************"


def test_redacted_numbers_become_strings_and_other_leaves_stay(policy: Policy) -> None:
    document = {"tel": 13812345678, "n": 42, "ok": True, "none": None,
                "list": [{"tel": "13912345678"}, "x"]}
    findings = [_finding(0, 11, "CN_MOBILE", "$.tel"),
                _finding(0, 11, "CN_MOBILE", "$.list[0].tel")]
    out = redact_document(document, findings, policy.redaction)
    assert out == {"tel": "138****5678", "n": 42, "ok": True, "none": None,
                   "list": [{"tel": "139****5678"}, "x"]}
    assert document["tel"] == 13812345678  # the input is not modified


def test_keys_needing_quotes_are_redacted_by_their_path(policy: Policy) -> None:
    document = {"手机 号": "13812345678", "it's": "13912345678"}
    findings = [_finding(0, 11, "CN_MOBILE", "$['手机 号']"),
                _finding(0, 11, "CN_MOBILE", "$['it\\'s']")]
    assert redact_document(document, findings, policy.redaction) == {
        "手机 号": "138****5678", "it's": "139****5678"}


def test_keys_with_path_punctuation_lead_to_their_findings(policy: Policy) -> None:
    """A "." or "[" inside a quoted key must not hide the way down to a finding."""
    document = {"a.b": {"tel": "13812345678"}, "x[0]": [{"tel": "13912345678"}, "y"],
                "a": {"b": "13712345678"}}
    findings = [_finding(0, 11, "CN_MOBILE", "$['a.b'].tel"),
                _finding(0, 11, "CN_MOBILE", "$['x[0]'][0].tel")]
    assert redact_document(document, findings, policy.redaction) == {
        "a.b": {"tel": "138****5678"}, "x[0]": [{"tel": "139****5678"}, "y"],
        "a": {"b": "13712345678"}}


def test_only_the_way_to_a_finding_is_copied(policy: Policy) -> None:
    untouched = {"sku": "A-1", "tags": ["x", "y"]}
    user = {"tel": "13812345678", "prefs": {"lang": "zh"}}
    document = {"user": user, "item": untouched}
    out = redact_document(document, [_finding(0, 11, "CN_MOBILE", "$.user.tel")], policy.redaction)
    assert out == {"user": {"tel": "138****5678", "prefs": {"lang": "zh"}}, "item": untouched}
    assert out["item"] is untouched  # shared, not copied
    assert user["tel"] == "13812345678"  # the input is not modified


def test_serialise_keeps_integers_beyond_64_bits() -> None:
    big = 2**70 + 1
    assert json.loads(serialise({"id": big, "名": "x"})) == {"id": big, "名": "x"}


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _shape(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_shape(child) for child in value]
    return "leaf"


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_redacting_every_finding_of_generated_events(
    detector: Detector, policy: Policy, seed: int
) -> None:
    factory = EventFactory(seed, pii_density=0.9, pool_size=16)
    payloads = [factory.make().payload for _ in range(6)]
    for payload, findings in zip(payloads, detector.scan_payloads(payloads), strict=True):
        parsed = parse_payload(payload)
        if not findings or parsed.kind is not PayloadKind.JSON:
            continue  # log lines are text; the pipeline tests cover redacting those
        texts = leaf_texts(payload)
        originals = {texts[f.path][f.start : f.end] for f in findings}
        redacted = serialise(redact_document(parsed.document, findings, policy.redaction))
        assert _shape(json.loads(redacted)) == _shape(parsed.document)
        again = leaf_texts(redacted)
        refound = {again[f.path][f.start : f.end] for f in detector.scan_payloads([redacted])[0]}
        assert refound & originals == set()


def test_findings_in_deeply_nested_values_are_redacted(detector: Detector, policy: Policy) -> None:
    payload = b'{"a":' * 70 + b'{"tel": "13812345678"}' + b"}" * 70
    findings = detector.scan_payloads([payload])[0]
    assert [f.entity for f in findings] == ["CN_MOBILE"]
    redacted = serialise(redact_document(parse_payload(payload).document, findings,
                                         policy.redaction))
    assert b"13812345678" not in redacted


def test_serialise_survives_a_lone_surrogate() -> None:
    document = json.loads('{"tel": "138****5678", "x": "\\ud800"}')
    assert json.loads(serialise(document))["tel"] == "138****5678"


def test_json_written_into_a_string_is_redacted_in_place_and_stays_json(
    detector: Detector, policy: Policy
) -> None:
    inner = {"receiver": {"name": "李娜", "tel": "13812345678"}, "sku": "A-1"}
    payload = json.dumps({"ext": json.dumps(inner, ensure_ascii=False), "n": 1}, ensure_ascii=False).encode()
    scanned = detector.scan_parsed([payload])[0]
    assert {f.entity for f in scanned.findings} == {"CN_PERSON_NAME", "CN_MOBILE"}
    redacted = json.loads(redact_payload(scanned.kind, scanned.document, scanned.findings, policy.redaction))
    rewritten = json.loads(redacted["ext"])
    assert rewritten["sku"] == "A-1" and redacted["n"] == 1
    assert "李娜" not in redacted["ext"] and "13812345678" not in redacted["ext"]
    assert rewritten["receiver"]["tel"] == "138****5678"


def test_an_array_of_numbers_is_redacted_number_by_number_and_stays_an_array(
    detector: Detector, policy: Policy
) -> None:
    """The walk reads [lng, lat] as one leaf "116.397128, 39.916527"; redaction rewrites the
    numbers a finding covers and leaves the array an array of the same length."""
    payload = b'{"geometry": {"coordinates": [116.397128, 39.916527, 45]}, "phones": [13812345678, 7]}'
    scanned = detector.scan_parsed([payload])[0]
    assert {(f.entity, f.path) for f in scanned.findings} == {
        ("GEO_COORD", "$.geometry.coordinates"), ("CN_MOBILE", "$.phones")}
    redacted = json.loads(redact_payload(scanned.kind, scanned.document, scanned.findings, policy.redaction))
    assert redacted == {"geometry": {"coordinates": ["<GEO_COORD>", "<GEO_COORD>", 45]},
                        "phones": ["138****5678", 7]}


@settings(max_examples=200, deadline=None)
@given(
    numbers=st.lists(st.integers(-(10**12), 10**12) | st.floats(-1e6, 1e6, allow_nan=False),
                     min_size=2, max_size=8),
    data=st.data(),
)
def test_findings_over_an_array_of_numbers_rewrite_exactly_the_numbers_they_touch(
    numbers: list[int | float], data: st.DataObject
) -> None:
    [leaf] = parse_payload(json.dumps({"v": numbers}).encode()).leaves
    start = data.draw(st.integers(0, len(leaf.text) - 1))
    end = data.draw(st.integers(start + 1, len(leaf.text)))
    out = redact_document({"v": numbers}, [_finding(start, end, path="$.v")], _policy(Operator.MASK))["v"]
    # each number's text masked where the finding covers it (the ", " between them is no number's)
    expected: list[int | float | str] = []
    at = 0
    for number, text in zip(numbers, leaf.text.split(", "), strict=True):
        masked = "".join("*" if start <= at + i < end else c for i, c in enumerate(text))
        expected.append(number if masked == text else masked)
        at += len(text) + 2
    assert out == expected


def test_numbers_in_json_written_into_a_string_are_redacted_in_place_as_strings(
    detector: Detector, policy: Policy
) -> None:
    """Rewritten in place, a number found in JSON written as text becomes a string, as a number
    in the document does; the text stays JSON."""
    inner = '{"tel":13812345678,"loc":[116.397128, 39.916527],"n":[1,2],"note":"ok 13912345678"}'
    payload = json.dumps({"ext": inner}).encode()
    scanned = detector.scan_parsed([payload])[0]
    assert [f.entity for f in scanned.findings] == ["CN_MOBILE", "GEO_COORD", "CN_MOBILE"]
    redacted = json.loads(redact_payload(scanned.kind, scanned.document, scanned.findings, policy.redaction))
    assert json.loads(redacted["ext"]) == {
        "tel": "138****5678", "loc": ["<GEO_COORD>"], "n": [1, 2], "note": "ok 139****5678"}


_INNER_VALUES = st.recursive(
    st.sampled_from([13812345678, 6222021234567890128, 7, "13912345678", "张伟", "ok", 39.916527])
    | st.lists(st.sampled_from([116.397128, 39.916527, 13812345678, 3]), min_size=2, max_size=3),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["tel", "name", "loc", "n"]), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(inner=st.dictionaries(st.sampled_from(["tel", "name", "coordinates", "card", "x"]), _INNER_VALUES,
                             min_size=1, max_size=4),
       compact=st.booleans())
def test_json_written_into_a_string_stays_json_when_redacted(
    detector: Detector, policy: Policy, inner: dict[str, Any], compact: bool
) -> None:
    written = json.dumps(inner, ensure_ascii=False, separators=(",", ":") if compact else None)
    payload = json.dumps({"ext": written}, ensure_ascii=False).encode()
    scanned = detector.scan_parsed([payload])[0]
    redacted = json.loads(redact_payload(scanned.kind, scanned.document, scanned.findings, policy.redaction))
    json.loads(redacted["ext"])  # still JSON
    found = Counter(written[finding.start : finding.end] for finding in scanned.findings)
    for text, times in found.items():  # each found occurrence gone (the same text unfound may stay)
        assert redacted["ext"].count(text) <= written.count(text) - times


def test_percent_encoded_values_are_redacted_where_they_are_written(
    detector: Detector, policy: Policy
) -> None:
    payload = b'{"url": "https://t.com/p?tel=%2B8613812345678&name=%E5%BC%A0%E4%BC%9F&src=ad"}'
    scanned = detector.scan_parsed([payload])[0]
    redacted = json.loads(redact_payload(scanned.kind, scanned.document, scanned.findings, policy.redaction))
    assert redacted["url"] == "https://t.com/p?tel=%2B*********5678&name=%*****************&src=ad"
