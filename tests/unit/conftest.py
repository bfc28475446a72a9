"""Shared fixtures for the unit suite: the bundled rule pack compiled once, and a firewall on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from firewall.detection import Detector, Leaf, parse_payload, texts_at_paths
from firewall.pipeline import Firewall
from firewall.policy import Policy, load_policy

REPO = Path(__file__).resolve().parents[2]
PATTERNS = REPO / "patterns"
POLICY_FILE = PATTERNS / "policy.yaml"


@pytest.fixture(scope="session")
def detector() -> Detector:
    """The bundled pack on Hyperscan; compiling it is the slow part, so once per session."""
    return Detector.from_path(PATTERNS)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy(POLICY_FILE)


@pytest.fixture(scope="session")
def firewall(detector: Detector, policy: Policy) -> Firewall:
    return Firewall(detector, policy)


def leaf_texts(payload: bytes) -> dict[str, str]:
    """JSONPath -> the text at it, to read back what a finding covers."""
    return texts_at_paths(parse_payload(payload))


def found_texts(detector: Detector, payload: bytes) -> list[tuple[str, str]]:
    """(entity, matched text) of every finding in one payload, in order."""
    texts = leaf_texts(payload)
    findings = detector.scan_payloads([payload])[0]
    return [(f.entity, texts[f.path][f.start : f.end]) for f in findings]


def as_leaves(*texts: str) -> list[Leaf]:
    return [Leaf("$", None, text) for text in texts]
