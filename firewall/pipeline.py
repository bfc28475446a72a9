"""One batch of outbound events through detection, decision and redaction — no I/O.

The Kafka hot path and the ``scan`` command both call :meth:`Firewall.process`; the streaming layer
only moves bytes in and out.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from firewall.detection import Detector, Finding, PayloadKind
from firewall.detection.engine import Scanned, pack_digest
from firewall.policy import Action, Decision, Policy, decide, load_policy
from firewall.redaction import redact_payload

log = logging.getLogger("pii_firewall.pipeline")


class Outcome(NamedTuple):
    """What happens to one event: the decision, its findings and, if forwarded, the bytes to send.

    A tuple, like ``Leaf``: one is made per event, and a frozen dataclass costs ~1.2 µs to build
    against ~0.3 µs.
    """

    decision: Decision
    findings: tuple[Finding, ...]
    output: bytes | None  # the payload to forward (ALLOW, REDACT or dry run); None otherwise
    destination: str | None

    @property
    def action(self) -> Action:
        return self.decision.action

    def entity_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}  # a plain dict: building a Counter costs ~2 µs per event
        for finding in self.findings:
            counts[finding.entity] = counts.get(finding.entity, 0) + 1
        return counts


class Firewall:
    """Detector + policy, built once per worker and swapped whole when rules or policy reload."""

    def __init__(self, detector: Detector, policy: Policy, max_payload_bytes: int = 1 << 20):
        self.detector = detector
        self.policy = policy
        self.max_payload_bytes = max_payload_bytes
        self.versions = {
            "rule_pack": f"{detector.pack.version}/{pack_digest(detector.pack)}",
            "policy": policy.version,
        }

    @classmethod
    def from_files(cls, patterns_dir: Path, policy_file: Path, max_payload_bytes: int) -> Firewall:
        return cls(Detector.from_path(patterns_dir), load_policy(policy_file), max_payload_bytes)

    def scan(self, payloads: Sequence[bytes]) -> list[Scanned]:
        """Findings per payload; oversize ones are not scanned (they are quarantined)."""
        return self.detector.scan_parsed(payloads, self.max_payload_bytes)

    def process(self, payloads: Sequence[bytes], destinations: Sequence[str | None]) -> list[Outcome]:
        """One outcome per payload. A payload that makes detection fail is quarantined alone."""
        try:
            return self._process(payloads, destinations)
        except Exception:
            if len(payloads) == 1:
                log.exception("scanning one event failed; it is quarantined")
                return [Outcome(Decision(Action.QUARANTINE, ("scan_error",)), (), None, destinations[0])]
            return [o for p, d in zip(payloads, destinations, strict=True) for o in self.process([p], [d])]

    def _process(self, payloads: Sequence[bytes], destinations: Sequence[str | None]) -> list[Outcome]:
        outcomes = []
        policy, max_payload_bytes = self.policy, self.max_payload_bytes
        for payload, destination, (kind, document, findings) in zip(
            payloads, destinations, self.scan(payloads), strict=True
        ):
            decision = decide(findings, destination, policy, kind, len(payload) > max_payload_bytes)
            outcomes.append(
                Outcome(
                    decision,
                    tuple(findings),
                    self._output(payload, kind, document, decision),
                    destination,
                )
            )
        return outcomes

    def _output(self, payload: bytes, kind: PayloadKind, document: Any, decision: Decision) -> bytes | None:
        if decision.dry_run or decision.action is Action.ALLOW:
            return payload
        if decision.action is not Action.REDACT:
            return None
        return redact_payload(kind, document, decision.redact, self.policy.redaction)


def audit_record(outcome: Outcome, versions: dict[str, str], **coordinates: Any) -> dict[str, Any]:
    """The audit trail's record for one event: coordinates, decision, reasons, counts — never PI."""
    decision, findings = outcome.decision, outcome.findings
    return {
        **coordinates,
        "decision": decision.action.value,
        "dry_run": decision.dry_run,
        "reasons": list(decision.reasons),
        "destination": outcome.destination,
        # Most events carry nothing: skip the counting loops for them.
        "entities": outcome.entity_counts() if findings else {},
        "sensitive": sum(1 for f in findings if f.sensitive) if findings else 0,
        **versions,
    }
