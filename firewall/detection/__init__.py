"""Detection: rule packs compiled into Hyperscan databases, JSON-aware scanning, findings."""

from firewall.detection.engine import Detector
from firewall.detection.findings import Finding, Leaf
from firewall.detection.payload import ParsedPayload, PayloadKind, parse_payload
from firewall.detection.rulepack import RulePack, load_rule_pack

__all__ = [
    "Detector",
    "Finding",
    "Leaf",
    "ParsedPayload",
    "PayloadKind",
    "RulePack",
    "load_rule_pack",
    "parse_payload",
]
