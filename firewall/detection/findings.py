"""The values detection hands to policy, redaction and the scan contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Leaf(NamedTuple):
    """One scalar of a payload: its JSONPath, the key that names it (context) and its text.

    ``parent`` is the key of the object holding it: ``name`` means something else under ``merchant``
    than under ``receiver``. ``offset``: where ``text`` starts in the string at ``path`` (not 0 only
    for the values of JSON written into a string, ``"ext": "{\\"name\\": \\"张伟\\"}"``). A tuple:
    the walk makes one per scalar of every event.
    """

    path: str
    key: str | None
    text: str
    parent: str | None = None
    offset: int = 0


@dataclass(slots=True, init=False)
class Finding:
    """One detected entity. Offsets are character offsets into the leaf's text, end exclusive.

    Treat it as a value. This module is compiled (setup.py): a frozen dataclass would be built
    through ``object.__setattr__``, and a generated ``__init__`` runs as Python; the one below is
    native, about twenty times cheaper, and the detector makes one per finding.
    """

    entity: str
    rule_id: str
    path: str
    start: int
    end: int
    confidence: float
    sensitive: bool

    def __init__(
        self, entity: str, rule_id: str, path: str, start: int, end: int, confidence: float, sensitive: bool
    ) -> None:
        self.entity = entity
        self.rule_id = rule_id
        self.path = path
        self.start = start
        self.end = end
        self.confidence = confidence
        self.sensitive = sensitive
