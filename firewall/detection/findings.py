"""The values detection hands to policy, redaction and the scan contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Leaf(NamedTuple):
    """One scalar of a payload: its JSONPath, the key that names it (context) and its text.

    ``parent`` is the key of the object holding it: ``name`` means something else under ``merchant``
    than under ``receiver``. A tuple: the walk makes one per scalar of every event.
    """

    path: str
    key: str | None
    text: str
    parent: str | None = None


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
