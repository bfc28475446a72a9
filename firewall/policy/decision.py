"""The decision: a pure function of what was found, where it goes, and the policy.

No I/O, no clock, no globals: every input is an argument, so the whole rule matrix is testable as a
table. Later inputs (consent state, cross-border volumes) join as arguments of the same function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from firewall.detection.findings import Finding
from firewall.detection.payload import PayloadKind
from firewall.policy.model import PRECEDENCE, Action, Policy


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    reasons: tuple[str, ...]  # bounded snake_case codes, shared by audit, logs and metrics
    dry_run: bool = False  # decided ``action`` but forwards unchanged
    redact: tuple[Finding, ...] = ()  # the findings to rewrite when action is REDACT


# Most events carry no PI: one shared (immutable) decision instead of a new object per event.
_NO_PI = Decision(Action.ALLOW, ("no_pi",))


def decide(
    findings: Sequence[Finding],
    destination: str | None,
    policy: Policy,
    payload_kind: PayloadKind = PayloadKind.JSON,
    oversize: bool = False,
) -> Decision:
    if oversize:
        return Decision(policy.oversize_payload, ("oversize_payload",))
    if payload_kind is PayloadKind.BINARY:
        return Decision(policy.unreadable_payload, ("unreadable_payload",))
    target = policy.destinations.get(destination or "")
    if target is None:
        return Decision(policy.unknown_destination, ("unknown_destination",))
    if not findings:
        return _NO_PI
    actions: set[Action] = set()
    reasons: list[str] = []
    to_redact: list[Finding] = []
    for finding in findings:
        if finding.entity in target.allowed_entities:
            continue
        action = target.on_sensitive if finding.sensitive else target.on_general
        actions.add(action)
        reason = "sensitive_pi_not_allowed" if finding.sensitive else "pi_not_allowed"
        if reason not in reasons:
            reasons.append(reason)
        if action is Action.REDACT:
            to_redact.append(finding)
    if not actions:
        return Decision(Action.ALLOW, ("pi_allowed",))
    action = next(a for a in PRECEDENCE if a in actions)
    if target.region == "outside":
        reasons.append("cross_border")
    return Decision(
        action,
        tuple(reasons),
        dry_run=target.mode == "dry_run",
        redact=tuple(to_redact) if action is Action.REDACT else (),
    )
