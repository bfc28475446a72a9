"""Decode a payload once and walk it into leaves: (JSONPath, key, text, parent, offset).

JSON written into a string (an event's ``ext`` field holding serialised JSON) is walked too, its
leaves kept at the string's path with their offsets into it.

Numbers are scanned as their decimal text, and an array of two or more numbers as one leaf (its
numbers joined by ", "): a coordinate pair ``[116.397, 39.908]`` or a face feature vector is one
value. Booleans and nulls carry no PI. A payload that is not JSON is one raw-text leaf at ``$``;
bytes that are not UTF-8 text are reported as binary so that policy can quarantine them (fail
closed: a scanner cannot vouch for bytes it cannot read).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson

from firewall.detection import _native
from firewall.detection.findings import Leaf

MAX_DEPTH = 64


class PayloadKind(StrEnum):
    JSON = "json"
    TEXT = "text"
    BINARY = "binary"


@dataclass(frozen=True, slots=True)
class ParsedPayload:
    kind: PayloadKind
    document: Any  # the decoded JSON value, the text, or None for binary
    leaves: list[Leaf]


def parse_payload(payload: bytes) -> ParsedPayload:
    """Decode ``payload`` and list its leaves."""
    try:
        document = orjson.loads(payload)
    except orjson.JSONDecodeError:
        document = _decode_fallback(payload)
        if document is _NOT_JSON:
            return _parse_text(payload)
    try:
        leaves, lossy = _walk(document)
    except _TooDeep:
        # Nesting beyond MAX_DEPTH is not a real event's shape; scanning (and redacting) the raw
        # JSON text keeps every value covered without recursing into it.
        return _parse_text(payload)
    if lossy:
        # orjson reads integers beyond 64 bits as floats, losing digits of long ids stored as
        # numbers; the standard library keeps them exact.
        document = _decode_fallback(payload)
        leaves = walk(document)
    return ParsedPayload(PayloadKind.JSON, document, unfold_embedded(leaves))


_NOT_JSON = object()


class _TooDeep(Exception):
    pass


def _decode_fallback(payload: bytes) -> Any:
    # orjson refuses integers beyond 64 bits (a 20-digit id stored as a number); the standard
    # library accepts them. Anything else it refuses is not JSON.
    try:
        return json.loads(payload.decode("utf-8"))  # UTF-8 only: json.loads(bytes) guesses UTF-16
    except (ValueError, RecursionError):
        return _NOT_JSON


def _parse_text(payload: bytes) -> ParsedPayload:
    # NUL bytes never occur in JSON or in text events; they do in UTF-16/32 and binary formats,
    # where a UTF-8 scan would see nothing: such a payload is unreadable, not clean.
    if b"\x00" in payload:
        return ParsedPayload(PayloadKind.BINARY, None, [])
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return ParsedPayload(PayloadKind.BINARY, None, [])
    return ParsedPayload(PayloadKind.TEXT, text, [Leaf("$", None, text)])


def texts_at_paths(parsed: ParsedPayload) -> dict[str, str]:
    """JSONPath -> the text a finding's offsets index there: a leaf's text, or for the values of
    JSON written into a string, the whole string (to read back what a finding covers)."""
    if parsed.kind is PayloadKind.TEXT:
        return {"$": parsed.document}
    if parsed.kind is PayloadKind.BINARY:
        return {}
    return {leaf.path: leaf.text for leaf in walk(parsed.document)}


def unfold_embedded(leaves: list[Leaf]) -> list[Leaf]:
    """Each string leaf that holds a JSON object written as text (``"ext": "{\\"name\\":
    \\"张伟\\"}"``, common in event payloads) replaced by that JSON's own leaves, at the outer
    leaf's path, each with its offset in the outer text: the inner keys then give context (a name
    under ``name``), and findings still point into the string that redaction rewrites. A value
    that is not such JSON, or holds an escape (offsets could not map back), stays one leaf."""
    unfolded: list[Leaf] | None = None
    for index, leaf in enumerate(leaves):
        # most leaves: one look at the first character
        inner = _embedded_leaves(leaf) if leaf.text[:1] in _MAY_OPEN_OBJECT else None
        if inner is not None and unfolded is None:
            unfolded = list(leaves[:index])
        if unfolded is not None:
            unfolded.extend(inner if inner is not None else (leaf,))
    return leaves if unfolded is None else unfolded


_MAY_OPEN_OBJECT = frozenset("{ \t\r\n")
_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_EMBEDDED_TOKEN = re.compile(rf'\s*(?:"([^"\\]*)"|({_NUMBER})|(true|false|null)|([{{}}\[\],:]))')
# an array of two or more numbers, one leaf as the walk makes it: here its text between the brackets
_EMBEDDED_NUMBER_ARRAY = re.compile(rf"\[\s*({_NUMBER}(?:\s*,\s*{_NUMBER})+)\s*\]")


def holds_json_object(text: str) -> bool:
    """Whether a string leaf is a JSON object written as text, without escapes: the strings
    whose values unfold_embedded walks (and redaction rewrites as JSON)."""
    # Objects only: an array written as text is more often one value (a feature vector) than a
    # list of records, and is scanned as the text it is.
    stripped = text.strip()
    if len(stripped) < 2 or stripped[0] != "{" or stripped[-1] != "}" or "\\" in text:
        return False
    try:
        orjson.loads(text)  # JSON at all: the tokenizer trusts its grammar
    except orjson.JSONDecodeError:
        return False
    return True


def _embedded_leaves(leaf: Leaf) -> list[Leaf] | None:
    """The leaves of the JSON written in a string leaf, or None (see unfold_embedded)."""
    text = leaf.text
    if not holds_json_object(text):
        return None
    # Containers open: (is an object, the key naming the container, the key of its parent). A
    # value inside one, scalar or container, is named and held as the walk does it: in an object
    # by its member key and the object's key, in an array by the array's key and parent.
    stack: list[tuple[bool, str | None, str | None]] = []
    member: str | None = None  # in an object, the key of the value to come
    expecting_key = False
    inner: list[Leaf] = []
    position = 0
    while (token := _EMBEDDED_TOKEN.match(text, position)) is not None and token.end() > position:
        position = token.end()
        string, number, punctuation = token[1], token[2], token[4]
        if punctuation == "[" and stack and (numbers := _EMBEDDED_NUMBER_ARRAY.match(text, token.start(4))):
            key, holder = _named(stack[-1], member)
            inner.append(Leaf(leaf.path, key, numbers[1], holder, leaf.offset + numbers.start(1)))
            position = numbers.end()
            expecting_key = False
        elif punctuation in ("{", "["):
            # the top level is named by the outer leaf's key and held by its parent
            key, holder = _named(stack[-1], member) if stack else (leaf.key, leaf.parent)
            stack.append((punctuation == "{", key, holder))
            expecting_key = punctuation == "{"
        elif punctuation in ("}", "]"):
            stack.pop()
            expecting_key = False
        elif punctuation == ",":
            expecting_key = bool(stack) and stack[-1][0]
        elif punctuation == ":":
            expecting_key = False
        elif string is not None and expecting_key:
            member = string
        elif string is not None or number is not None:
            key, holder = _named(stack[-1], member)
            start = token.start(1) if string is not None else token.start(2)
            value = string if string is not None else number
            inner.append(Leaf(leaf.path, key, value, holder, leaf.offset + start))
    return inner if position == len(text.rstrip()) and not stack else None


def _named(
    container: tuple[bool, str | None, str | None], member: str | None
) -> tuple[str | None, str | None]:
    """The key naming a value in ``container`` and the key of the object holding it."""
    is_object, own, parent = container
    return (member, own) if is_object else (own, parent)


def walk(document: Any) -> list[Leaf]:
    """All scalar leaves of a decoded JSON value, depth first, in document order.

    Raises ValueError for values nested deeper than MAX_DEPTH (parse_payload scans those as text).
    """
    try:
        return _walk(document)[0]
    except _TooDeep:
        raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels") from None


def _walk(document: Any) -> tuple[list[Leaf], bool]:
    """The leaves, and whether a float may have lost digits (orjson reads integers beyond 64 bits
    as floats). In C (_native.walk): one Leaf per scalar of every event on the full path."""
    walked = _native.walk(document, MAX_DEPTH, Leaf)
    if walked is None:
        raise _TooDeep
    return walked


NUMBER_ARRAY_SEPARATOR = ", "


def is_number_array(value: Any) -> bool:
    """Whether the walk reads ``value`` as one leaf: a list of two or more ints or floats (booleans
    are not numbers here), its items' reprs joined by NUMBER_ARRAY_SEPARATOR (_native.walk)."""
    return (
        type(value) is list
        and len(value) >= 2
        and all(type(item) is int or type(item) is float for item in value)
    )


def member(key: str) -> str:
    """The JSONPath step for a dict key: ``.key`` when it is an identifier, else ``['key']``."""
    if key.isidentifier():
        return "." + key
    return "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']"


# Full-width digits, Latin letters and + - . @ (１３８…, ＡＢ，ｑｑ＠) as ASCII, and the ideographic
# space (U+3000) as a space: the same entities, typed on a Chinese keyboard (＋８６　１３８…). One
# character for one, so offsets into the folded text are offsets into the original and redaction
# rewrites the original characters.
FULLWIDTH_ALNUM = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))  # code point ranges
# What makes a leaf worth folding: those, and ＠ alone, since zhangwei＠163.com is written so to
# dodge address harvesters and is an address all the same. (＋, －, ． alone are punctuation.)
FOLD_TRIGGERS = (*FULLWIDTH_ALNUM, (0xFF20, 0xFF20))
_FULLWIDTH = "\uff0b\uff0d\uff0e\uff20" + "".join(
    chr(c) for lo, hi in FULLWIDTH_ALNUM for c in range(lo, hi + 1)
)
_FOLD_FULLWIDTH = str.maketrans({c: chr(ord(c) - 0xFEE0) for c in _FULLWIDTH} | {"\u3000": " "})
_HAS_FOLD_TRIGGER = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in FOLD_TRIGGERS) + "]")


def fold_fullwidth(leaf: Leaf) -> Leaf:
    """The leaf with full-width digits, letters and + - . @ folded to ASCII (itself when it has
    no full-width digit, letter or @)."""
    text = leaf.text
    if text.isascii() or _HAS_FOLD_TRIGGER.search(text) is None:
        return leaf
    return leaf._replace(text=text.translate(_FOLD_FULLWIDTH))


# One or more percent-escapes in a row (%E5%BC%A0 is 张, %40 is @): URLs in events carry PI so, a
# tracking pixel's ?name=%E5%BC%A0%E4%BC%9F&email=zhang%40163.com. The prefilter sends every text
# holding one down the full path (an escape's decoded character changes what borders a value).
PERCENT_ESCAPES = r"(?:%[0-9A-Fa-f]{2})+"
# Escapes decoded in a leaf: percent-escapes, and \uXXXX escapes in text that is not JSON itself (a
# log line holding a JSON body that json.dumps wrote with its Han text escaped: the prefilter
# sends any payload with a backslash it cannot write without one down the full path).
_ESCAPES = re.compile(PERCENT_ESCAPES + r"|(?:\\u[0-9A-Fa-f]{4})+")


def escapes_decoded(leaf: Leaf) -> tuple[Leaf, list[int]] | None:
    """The leaf with its percent-escapes (UTF-8) and \\uXXXX escapes (UTF-16) decoded, runs that do
    not decode left as written; and for each character of the decoded text, and its end, the
    offset in the leaf's own text. None when there is nothing to decode."""
    text = leaf.text
    pieces: list[str] = []
    positions: list[int] = []
    written = 0  # the leaf's text up to here is in pieces
    for run in _ESCAPES.finditer(text):
        escaped = run.group()
        # %XX per UTF-8 byte, \\uXXXX per UTF-16 unit: three characters written per byte either way
        encoding, marker = ("utf-8", "%") if escaped[0] == "%" else ("utf-16-be", "\\u")
        try:
            decoded = bytes.fromhex(escaped.replace(marker, "")).decode(encoding)
        except UnicodeDecodeError:
            continue
        pieces.append(text[written : run.start()])
        positions.extend(range(written, run.start()))
        at = run.start()
        for character in decoded:  # each at its first escape
            positions.append(at)
            at += 3 * len(character.encode(encoding))
        pieces.append(decoded)
        written = run.end()
    if not pieces:
        return None
    pieces.append(text[written:])
    positions.extend(range(written, len(text) + 1))
    return leaf._replace(text="".join(pieces)), positions
