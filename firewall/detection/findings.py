"""The values detection hands to policy, redaction and the scan contract."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Leaf:
    """One scalar of a payload: its JSONPath, the key that names it (context) and its text."""

    path: str
    key: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected entity. Offsets are character offsets into the leaf's text, end exclusive."""

    entity: str
    rule_id: str
    path: str
    start: int
    end: int
    confidence: float
    sensitive: bool
