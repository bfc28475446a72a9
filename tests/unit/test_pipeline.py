"""The batch pipeline: one outcome per event, bytes to forward, and audit records without PI."""

from __future__ import annotations

import json

import orjson
import pytest

from firewall.detection import Detector, PayloadKind, parse_payload
from firewall.pipeline import Firewall, audit_record
from firewall.policy import Action, Policy
from loadtest.events import EventFactory

from .conftest import leaf_texts

PARTNER = "partner-analytics"


@pytest.mark.parametrize(
    ("payload", "destination", "action", "output"),
    [
        (b'{"status": "ok", "count": 3}', PARTNER, Action.ALLOW, b'{"status": "ok", "count": 3}'),
        (b'{"tel": "13812345678", "note": "hi"}', PARTNER, Action.REDACT,
         b'{"tel":"138****5678","note":"hi"}'),
        (b'{"tel": 13812345678}', PARTNER, Action.REDACT, b'{"tel":"138****5678"}'),
        ("请联系13812345678谢谢".encode(), PARTNER, Action.REDACT,
         "请联系138****5678谢谢".encode()),
        (b'{"id_card": "11010519491231002X"}', PARTNER, Action.BLOCK, None),
        (b'{"tel": "13812345678"}', "internal-crm", Action.ALLOW, b'{"tel": "13812345678"}'),
        (b'{"tel": "13812345678"}', "nowhere", Action.QUARANTINE, None),
        (b'{"tel": "13812345678"}', None, Action.QUARANTINE, None),
        (b"\xff\xfe\x00\x01", PARTNER, Action.QUARANTINE, None),
    ],
)
def test_outcome_per_action(
    firewall: Firewall, payload: bytes, destination: str | None, action: Action,
    output: bytes | None,
) -> None:
    [outcome] = firewall.process([payload], [destination])
    assert outcome.action is action
    assert outcome.output == output
    assert outcome.destination == destination


def test_a_batch_gives_one_outcome_per_event_in_order(firewall: Firewall) -> None:
    payloads = [b'{"a": 1}', b'{"id_card": "11010519491231002X"}', b'{"tel": "13812345678"}']
    outcomes = firewall.process(payloads, [PARTNER] * 3)
    assert [o.action for o in outcomes] == [Action.ALLOW, Action.BLOCK, Action.REDACT]
    assert outcomes[1].entity_counts() == {"CN_RESIDENT_ID": 1}


def test_dry_run_forwards_the_payload_unchanged(detector: Detector, policy: Policy) -> None:
    destination = policy.destinations[PARTNER].model_copy(update={"mode": "dry_run"})
    dry = policy.model_copy(update={"destinations": {PARTNER: destination}})
    payload = b'{"id_card": "11010519491231002X"}'
    [outcome] = Firewall(detector, dry).process([payload], [PARTNER])
    assert (outcome.action, outcome.decision.dry_run, outcome.output) == (
        Action.BLOCK, True, payload)


def test_oversize_payload_is_quarantined_without_being_scanned(detector: Detector, policy: Policy) -> None:
    small_firewall = Firewall(detector, policy, max_payload_bytes=64)
    big = json.dumps({"tel": "13812345678", "pad": "x" * 100}).encode()
    small = b'{"tel": "13912345678"}'
    big_outcome, small_outcome = small_firewall.process([big, small], [PARTNER, PARTNER])
    assert (big_outcome.action, big_outcome.decision.reasons) == (
        Action.QUARANTINE, ("oversize_payload",))
    assert big_outcome.findings == ()
    assert big_outcome.output is None
    assert small_outcome.action is Action.REDACT  # the rest of the batch is still scanned
    never_decoded, decoded = detector.scan_parsed([big, small], max_bytes=64)
    assert (never_decoded.document, never_decoded.findings) == (None, [])
    assert decoded.document == {"tel": "13912345678"}


def test_versions_name_rule_pack_and_policy(firewall: Firewall, policy: Policy) -> None:
    assert firewall.versions["policy"] == policy.version
    version, digest = firewall.versions["rule_pack"].split("/")
    assert version == firewall.detector.pack.version
    assert len(digest) == 16


def test_audit_record_carries_coordinates_decision_and_counts(firewall: Firewall) -> None:
    payload = b'{"tel": "13812345678", "tel2": "13912345678", "id": "11010519491231002X"}'
    [outcome] = firewall.process([payload], [PARTNER])
    record = audit_record(outcome, firewall.versions, topic="egress.events", partition=3,
                          offset=17)
    assert record == {
        "topic": "egress.events", "partition": 3, "offset": 17,
        "decision": "block", "dry_run": False,
        "reasons": ["pi_not_allowed", "sensitive_pi_not_allowed"],
        "destination": PARTNER,
        "entities": {"CN_MOBILE": 2, "CN_RESIDENT_ID": 1}, "sensitive": 1,
        **firewall.versions,
    }


def test_audit_records_never_carry_the_pi_they_describe(firewall: Firewall) -> None:
    factory = EventFactory(99, pii_density=0.8, pool_size=64)
    payloads = [factory.make().payload for _ in range(120)]
    outcomes = firewall.process(payloads, [PARTNER] * len(payloads))
    checked = 0
    for offset, (payload, outcome) in enumerate(zip(payloads, outcomes, strict=True)):
        serialised = orjson.dumps(audit_record(outcome, firewall.versions, topic="egress.events",
                                               partition=0, offset=offset)).decode()
        texts = leaf_texts(payload)
        for finding in outcome.findings:
            assert texts[finding.path][finding.start : finding.end] not in serialised
            checked += 1
    assert checked > 100


def test_a_lone_surrogate_does_not_break_the_batch(firewall: Firewall) -> None:
    payloads = [b'{"tel": "13812345678", "x": "\\ud800"}', b'{"a": 1}']
    outcomes = firewall.process(payloads, [PARTNER, PARTNER])
    assert outcomes[1].action is Action.ALLOW


def test_deeply_nested_pi_is_not_forwarded(firewall: Firewall) -> None:
    payload = b'{"a":' * 70 + b'{"tel": "13812345678"}' + b"}" * 70
    [outcome] = firewall.process([payload], [PARTNER])
    assert outcome.output is None or b"13812345678" not in outcome.output


def test_utf16_json_with_pi_is_not_allowed(firewall: Firewall) -> None:
    payload = '{"tel": "13812345678"}'.encode("utf-16-le")
    [outcome] = firewall.process([payload], [PARTNER])
    assert outcome.action is not Action.ALLOW


def test_redacted_json_events_stay_json_and_text_events_stay_text(firewall: Firewall) -> None:
    factory = EventFactory(5, pii_density=1.0, pool_size=64)
    payloads = [factory.make().payload for _ in range(60)]
    outcomes = firewall.process(payloads, ["internal-crm"] * 60)
    kinds = set()
    for payload, outcome in zip(payloads, outcomes, strict=True):
        if outcome.action is not Action.REDACT:
            continue
        assert outcome.output is not None
        kind = parse_payload(payload).kind
        assert parse_payload(outcome.output).kind is kind
        kinds.add(kind)
    assert kinds == {PayloadKind.JSON, PayloadKind.TEXT}


def test_an_event_that_breaks_detection_is_quarantined_alone(
    firewall: Firewall, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scanner failure on one event must neither crash the batch nor let that event through."""
    real_scan = firewall.scan

    def scan(payloads: list[bytes]) -> list[tuple[object, object, list[object]]]:
        if b"poison" in b"".join(payloads):
            raise RuntimeError("boom")
        return real_scan(payloads)

    monkeypatch.setattr(firewall, "scan", scan)
    outcomes = firewall.process(
        [b'{"a": "ok"}', b'{"a": "poison"}', b'{"tel": "13812345678"}'], ["partner-analytics"] * 3
    )
    assert [o.action.value for o in outcomes] == ["allow", "quarantine", "redact"]
    assert outcomes[1].decision.reasons == ("scan_error",)
