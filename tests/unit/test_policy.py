"""Policy decisions as a table over findings, destinations and payload kinds; precedence; dry run;
fail-closed policies."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from firewall.config import ConfigError
from firewall.detection import Finding, PayloadKind
from firewall.policy import PRECEDENCE, Action, Policy, decide, load_policy


def _finding(entity: str, sensitive: bool, path: str = "$.x") -> Finding:
    return Finding(entity=entity, rule_id=entity.lower(), path=path, start=0, end=4,
                   confidence=0.9, sensitive=sensitive)


MOBILE = _finding("CN_MOBILE", False)  # general PI; internal-crm may receive it
IPV4 = _finding("IPV4", False)  # general PI; nobody may receive it in clear
RESIDENT_ID = _finding("CN_RESIDENT_ID", True)  # sensitive PI (PIPL Art. 28)

TABLE: list[tuple[str, list[Finding], str | None, PayloadKind, bool, Action, tuple[str, ...]]] = [
    ("nothing found", [], "partner-analytics", PayloadKind.JSON, False,
     Action.ALLOW, ("no_pi",)),
    ("general to third party", [MOBILE], "partner-analytics", PayloadKind.JSON, False,
     Action.REDACT, ("pi_not_allowed",)),
    ("sensitive to third party", [RESIDENT_ID], "partner-analytics", PayloadKind.JSON, False,
     Action.BLOCK, ("sensitive_pi_not_allowed",)),
    ("both to third party", [MOBILE, RESIDENT_ID], "partner-analytics", PayloadKind.JSON, False,
     Action.BLOCK, ("pi_not_allowed", "sensitive_pi_not_allowed")),
    ("general abroad", [MOBILE], "ads-overseas", PayloadKind.JSON, False,
     Action.REDACT, ("pi_not_allowed", "cross_border")),
    ("sensitive abroad", [RESIDENT_ID], "ads-overseas", PayloadKind.JSON, False,
     Action.BLOCK, ("sensitive_pi_not_allowed", "cross_border")),
    ("allowed entity internally", [MOBILE], "internal-crm", PayloadKind.JSON, False,
     Action.ALLOW, ("pi_allowed",)),
    ("other general internally", [MOBILE, IPV4], "internal-crm", PayloadKind.JSON, False,
     Action.REDACT, ("pi_not_allowed",)),
    ("sensitive internally", [RESIDENT_ID], "internal-crm", PayloadKind.JSON, False,
     Action.REDACT, ("sensitive_pi_not_allowed",)),
    ("nothing, internal", [], "internal-crm", PayloadKind.TEXT, False, Action.ALLOW, ("no_pi",)),
    ("unknown destination", [], "somewhere-else", PayloadKind.JSON, False,
     Action.QUARANTINE, ("unknown_destination",)),
    ("no destination", [MOBILE], None, PayloadKind.JSON, False,
     Action.QUARANTINE, ("unknown_destination",)),
    ("binary payload", [], "internal-crm", PayloadKind.BINARY, False,
     Action.QUARANTINE, ("unreadable_payload",)),
    ("oversize payload", [], "partner-analytics", PayloadKind.JSON, True,
     Action.QUARANTINE, ("oversize_payload",)),
    ("oversize beats unknown destination", [], "nowhere", PayloadKind.BINARY, True,
     Action.QUARANTINE, ("oversize_payload",)),
]


@pytest.mark.parametrize(
    ("findings", "destination", "kind", "oversize", "action", "reasons"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_decision_table(
    policy: Policy, findings: list[Finding], destination: str | None, kind: PayloadKind,
    oversize: bool, action: Action, reasons: tuple[str, ...],
) -> None:
    decision = decide(findings, destination, policy, kind, oversize)
    assert (decision.action, decision.reasons) == (action, reasons)
    assert decision.dry_run is False


def test_redact_lists_exactly_the_findings_to_rewrite(policy: Policy) -> None:
    decision = decide([MOBILE, IPV4], "internal-crm", policy)
    assert decision.action is Action.REDACT
    assert decision.redact == (IPV4,)  # the mobile number may stay in clear internally


def test_a_blocked_event_has_nothing_to_redact(policy: Policy) -> None:
    decision = decide([MOBILE, RESIDENT_ID], "partner-analytics", policy)
    assert decision.redact == ()


def test_the_bundled_policy_covers_the_destinations_the_settings_route_to(policy: Policy) -> None:
    assert set(policy.destinations) == {"partner-analytics", "ads-overseas", "internal-crm"}
    assert policy.scan_destination == "partner-analytics"


def _policy(**destination: Any) -> Policy:
    return Policy.model_validate({
        "version": "test",
        "destinations": {"dest": {"kind": "third_party", "region": "mainland", **destination}},
    })


@pytest.mark.parametrize(("on_sensitive", "on_general"),
                         list(itertools.product(PRECEDENCE, repeat=2)))
def test_the_strongest_action_wins(on_sensitive: Action, on_general: Action) -> None:
    policy = _policy(on_sensitive=on_sensitive.value, on_general=on_general.value)
    decision = decide([MOBILE, RESIDENT_ID], "dest", policy)
    expected = min(on_sensitive, on_general, key=PRECEDENCE.index)
    assert decision.action is expected


def test_precedence_is_block_quarantine_redact_allow() -> None:
    assert PRECEDENCE == (Action.BLOCK, Action.QUARANTINE, Action.REDACT, Action.ALLOW)


def test_dry_run_decides_but_says_forward() -> None:
    decision = decide([RESIDENT_ID], "dest", _policy(mode="dry_run"))
    assert decision.action is Action.BLOCK
    assert decision.dry_run is True


def test_dry_run_does_not_excuse_unreadable_payloads() -> None:
    decision = decide([], "dest", _policy(mode="dry_run"), PayloadKind.BINARY)
    assert (decision.action, decision.dry_run) == (Action.QUARANTINE, False)


def _write_policy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


_DESTS = "destinations:\n  d: {kind: internal, region: mainland}\n"


@pytest.mark.parametrize("field", ["unknown_destination", "unreadable_payload", "oversize_payload"])
@pytest.mark.parametrize("action", ["allow", "redact"])
def test_a_policy_that_would_let_unscanned_events_out_is_rejected(
    tmp_path: Path, field: str, action: str
) -> None:
    path = _write_policy(tmp_path, f"version: '1'\n{field}: {action}\n{_DESTS}")
    with pytest.raises(ConfigError, match=f"{field}: must be block or quarantine"):
        load_policy(path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("version: '1'\ndestinations:\n  d: {kind: alien, region: mainland}\n",
         "destinations.d.kind"),
        ("version: '1'\ndestinations:\n  d: {kind: internal, region: mars}\n",
         "destinations.d.region"),
        ("version: '1'\ndestinations:\n"
         "  d: {kind: internal, region: mainland, on_general: shred}\n",
         "destinations.d.on_general"),
        (f"version: '1'\nfallback: allow\n{_DESTS}", "fallback"),
        (f"version: '1'\n{_DESTS}redaction:\n  default: {{operator: mask, keep_last: 99}}\n",
         "redaction.default.keep_last"),
    ],
)
def test_a_bad_policy_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = _write_policy(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_policy(path)
    assert f"{path}: {key}:" in str(raised.value)


def test_an_unreadable_policy_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read policy"):
        load_policy(tmp_path / "absent.yaml")
