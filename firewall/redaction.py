"""Redaction: rewrite exactly the spans that were found, keep the JSON valid and its shape intact.

Operators are pure functions of the matched text. Spans in one leaf are rewritten right to left so
that earlier offsets stay valid; a redacted number becomes a string (its digits are gone). An array
of numbers is one leaf to detection (payload.is_number_array): each of its numbers that a finding
covers is rewritten on its own, so the array stays an array of the same length.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from firewall.detection.findings import Finding
from firewall.detection.payload import (
    NUMBER_ARRAY_SEPARATOR,
    PayloadKind,
    holds_json_object,
    is_number_array,
    member,
)
from firewall.policy.model import Operator, OperatorSpec, RedactionPolicy


def mask(value: str, *, keep_first: int = 0, keep_last: int = 0) -> str:
    """``138****5678``: keep some characters at each end, star the rest.

    At least a third of the characters (and at least one) are always starred, whatever is asked.
    """
    length = len(value)
    visible = length - max(1, -(-length // 3))
    keep_first = min(keep_first, visible)
    keep_last = min(keep_last, visible - keep_first)
    return value[:keep_first] + "*" * (length - keep_first - keep_last) + value[length - keep_last :]


def tag(value: str, *, entity: str) -> str:
    return f"<{entity}>"


OPERATORS: dict[Operator, Callable[[str, OperatorSpec, str], str]] = {
    Operator.MASK: lambda v, spec, _e: mask(v, keep_first=spec.keep_first, keep_last=spec.keep_last),
    Operator.TAG: lambda v, _spec, e: tag(v, entity=e),
    Operator.DROP: lambda _v, _spec, _e: "",
}


def redact_text(text: str, findings: Sequence[Finding], policy: RedactionPolicy) -> str:
    """Replace every finding's span in one leaf's text (right to left; overlaps never occur).

    In a JSON object written as text (payload.holds_json_object), a value found outside its
    strings (a number, numbers of an array) is rewritten whole as a string, so that the text
    stays JSON.
    """
    embedded = bool(findings) and holds_json_object(text)
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        spec = policy.operator_for(finding.entity)
        start, end = finding.start, finding.end
        quoted = embedded and text.count('"', 0, start) % 2 == 0  # outside the inner strings
        if quoted:
            while start > 0 and text[start - 1] in _NUMBER_CHARACTERS:
                start -= 1
            while end < len(text) and text[end] in _NUMBER_CHARACTERS:
                end += 1
        rewritten = OPERATORS[spec.operator](text[start:end], spec, finding.entity)
        text = text[:start] + (f'"{rewritten}"' if quoted else rewritten) + text[end:]
    return text


_NUMBER_CHARACTERS = frozenset("-+.0123456789eE")


def redact_document(document: Any, findings: Sequence[Finding], policy: RedactionPolicy) -> Any:
    """A decoded JSON value with every finding's span rewritten; the input is left unchanged.

    Only the objects and arrays on the way to a finding are copied; every other subtree is shared
    with the input (a redacted event has a few findings among ~26 leaves, so the copy stays small).
    """
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    # A container is on the way to a finding when its path is a prefix of the finding's that ends
    # right before a step ("$.a" of "$.a.b" or "$.a[0]"). A "." or "[" inside a quoted key adds a
    # prefix that no container has, which costs nothing.
    wanted = {path[:i] for path in by_path for i, char in enumerate(path) if char in ".["}
    wanted.update(by_path)
    return _rewrite(document, "$", by_path, wanted, policy)


def _rewrite(
    value: Any, path: str, by_path: dict[str, list[Finding]], wanted: set[str], policy: RedactionPolicy
) -> Any:
    if isinstance(value, dict):
        return {
            k: _rewrite(v, child, by_path, wanted, policy) if (child := path + member(k)) in wanted else v
            for k, v in value.items()
        }
    if isinstance(value, list):
        if path in by_path and is_number_array(value):
            return _redact_number_array(value, by_path[path], policy)
        return [
            _rewrite(v, child, by_path, wanted, policy) if (child := f"{path}[{i}]") in wanted else v
            for i, v in enumerate(value)
        ]
    findings = by_path.get(path)
    if not findings or isinstance(value, bool) or value is None:
        return value
    return redact_text(value if isinstance(value, str) else repr(value), findings, policy)


def _redact_number_array(
    numbers: list[Any], findings: Sequence[Finding], policy: RedactionPolicy
) -> list[Any]:
    """Each number a finding covers rewritten as the part of that finding over its text (the leaf's
    text is the numbers' reprs joined by NUMBER_ARRAY_SEPARATOR); the others left as they are."""
    rewritten: list[Any] = []
    start = 0
    for number in numbers:
        text = repr(number)
        end = start + len(text)
        covering = [
            Finding(f.entity, f.rule_id, f.path, max(f.start, start) - start, min(f.end, end) - start,
                    f.confidence, f.sensitive)
            for f in findings
            if f.start < end and f.end > start
        ]
        rewritten.append(redact_text(text, covering, policy) if covering else number)
        start = end + len(NUMBER_ARRAY_SEPARATOR)
    return rewritten


def redact_payload(
    kind: PayloadKind, document: Any, findings: Sequence[Finding], policy: RedactionPolicy
) -> bytes:
    """The redacted bytes of a decoded payload: text rewritten in place, JSON re-serialised."""
    if kind is PayloadKind.TEXT:
        return redact_text(document, findings, policy).encode()
    return serialise(redact_document(document, findings, policy))


def serialise(document: Any) -> bytes:
    try:
        return orjson.dumps(document)
    except TypeError:  # integers beyond 64 bits or lone surrogates: orjson refuses them
        # ensure_ascii escapes lone surrogates too, which UTF-8 cannot encode
        return json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode()
