"""Peer detectors run side by side with pii-firewall in `loadtest.bench_detect`.

Every adapter answers in the scan contract's finding shape (`{"entity", "path", "start", "end"}`,
offsets in characters of the leaf text) so one scorer judges every row. The JSON walk below is
what a user of a text-only analyzer has to write: decode the event, visit each scalar, name it by
its JSONPath, and hand its text (numbers as their decimal text) to the analyzer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict

from firewall.detection.payload import NUMBER_ARRAY_SEPARATOR, is_number_array


class FindingRow(TypedDict):
    """One finding in the scan contract's shape."""

    entity: str
    path: str
    start: int
    end: int


class PayloadScanner(Protocol):
    """Anything the benchmark can time and score: one list of findings per payload."""

    def scan_payloads(self, payloads: Sequence[bytes]) -> list[list[FindingRow]]: ...


@dataclass(frozen=True, slots=True)
class TextLeaf:
    """One scalar of an event: where it is, the key that names it, and its text."""

    path: str
    key: str | None
    text: str


def child_path(parent: str, key: str | int) -> str:
    """JSONPath of a member: `$.a`, `$.a[0]`, `$['not an identifier']` (our engine's notation)."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if key.isidentifier():
        return f"{parent}.{key}"
    quoted = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{parent}['{quoted}']"


def _scalar_text(value: Any) -> str | None:
    # Nulls and booleans carry no PI; numbers are scanned as their decimal text so that a phone
    # number stored as a JSON number is still seen.
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    return str(value)


def _walk(value: Any, path: str, key: str | None) -> Iterator[TextLeaf]:
    if isinstance(value, dict):
        for member_key, member in value.items():
            yield from _walk(member, child_path(path, member_key), member_key)
    elif is_number_array(value):  # one leaf to our engine (a coordinate pair): to peers too
        yield TextLeaf(path, key, NUMBER_ARRAY_SEPARATOR.join(map(repr, value)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, child_path(path, index), key)
    else:
        text = _scalar_text(value)
        if text:
            yield TextLeaf(path, key, text)


def iter_leaves(payload: bytes) -> Iterator[TextLeaf]:
    """Yield the text leaves of one event; a payload that is not JSON is one leaf at `$`."""
    text = payload.decode("utf-8", errors="replace")
    try:
        document = json.loads(text)
    except ValueError:
        if text:
            yield TextLeaf("$", None, text)
        return
    yield from _walk(document, "$", None)


def drop_contained(rows: list[FindingRow]) -> list[FindingRow]:
    """Keep the longest of findings that overlap on one leaf, as a user tidying output would."""
    ordered = sorted(rows, key=lambda row: (row["path"], row["start"], row["start"] - row["end"]))
    kept: list[FindingRow] = []
    for row in ordered:
        last = kept[-1] if kept else None
        if last is not None and last["path"] == row["path"] and row["start"] < last["end"]:
            continue
        kept.append(row)
    return kept
