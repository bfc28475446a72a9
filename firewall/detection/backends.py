"""Regex engines behind the detector: Hyperscan (production) and Python ``re`` (a baseline).

Both take the same expressions and return the same thing: matches as character offsets into a leaf,
boundary characters already stripped, and cue-word hits per leaf.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import hyperscan

from firewall.config import ConfigError
from firewall.detection.findings import Leaf
from firewall.detection.rulepack import Boundary, RecoverStart

SEPARATOR = b"\x00"
_CUE_BASE = 1 << 20
# Characters that may not touch a match, left and right, per boundary kind (Hyperscan has no
# lookaround, so the expression consumes one delimiter on each side and the span is trimmed).
_EDGES: dict[Boundary, tuple[str, str | None]] = {
    Boundary.DIGIT: ("0-9", "0-9"),
    Boundary.ALNUM: ("0-9A-Za-z", "0-9A-Za-z"),
    # Letters may touch a dotted number ("登录IP112.23.4.5"): version strings are vetoed by cue words.
    Boundary.DOTTED: ("0-9.", "0-9."),
    Boundary.BLOB: ("0-9A-Za-z+/=", None),
    Boundary.HEX_COLON: ("0-9A-Za-z:\\-", "0-9A-Za-z:\\-"),
    Boundary.WORD: ("0-9A-Za-z_\\-", "0-9A-Za-z_\\-"),
    Boundary.EMAIL: ("0-9A-Za-z._%+\\-", "0-9A-Za-z\\-"),
}


class ExpressionSpec(NamedTuple):
    rule: int
    rule_id: str  # "id (file)" in error messages
    expression: str
    boundary: Boundary
    caseless: bool
    recover_start: RecoverStart | None = None  # None: Hyperscan tracks where matches start


class RawMatch(NamedTuple):
    rule: int
    leaf: int
    start: int
    end: int


CueHits = dict[int, list[tuple[int, int, int]]]  # leaf -> [(cue id, start, end)]


class Backend(Protocol):
    def scan(self, leaves: Sequence[Leaf]) -> tuple[list[RawMatch], CueHits]: ...

    def count(self, buffer: bytes) -> int: ...


def build_backend(
    name: str, specs: Sequence[ExpressionSpec], cue_words: Sequence[str], cache_dir: Path
) -> Backend:
    if name == "hyperscan":
        return HyperscanBackend(specs, cue_words, cache_dir)
    if name == "re":
        return PythonReBackend(specs, cue_words)
    raise ConfigError(f"detection backend {name!r} unknown (hyperscan, re)")


# --------------------------------------------------------------------------- Hyperscan


def _collect(expr_id: int, start: int, end: int, flags: int, hits: Any) -> None:
    hits.append((expr_id, start, end))


def scan_expression(spec: ExpressionSpec) -> bytes:
    """What the scanning database compiles for an expression: the bounded expression, or for a
    rule that recovers starts and names a suffix, the suffix with the right boundary only."""
    if spec.recover_start is not None and spec.recover_start.suffix is not None:
        right = _EDGES[spec.boundary][1] if spec.boundary is not Boundary.NONE else None
        return (f"(?:{spec.recover_start.suffix})" + (f"[^{right}]" if right else "")).encode()
    return _wrap(spec.expression, spec.boundary).encode()


def expression_flags(spec: ExpressionSpec, track_start: bool = False) -> int:
    """UTF-8 always; start-of-match tracking unless the rule recovers starts itself."""
    return (
        hyperscan.HS_FLAG_UTF8
        | (hyperscan.HS_FLAG_SOM_LEFTMOST if track_start or spec.recover_start is None else 0)
        | (hyperscan.HS_FLAG_CASELESS if spec.caseless else 0)
    )


class StartRecovery:
    """Where matches of expressions compiled without start-of-match tracking began.

    A second, small database holds just those expressions, with tracking; it rescans the few bytes
    before a reported end. Meant for rare matches (emails): the rescan costs a call per match.
    """

    def __init__(self, specs: dict[int, ExpressionSpec], cache_dir: Path):
        self._reach = {
            # UTF-8 bytes, plus the boundary characters on either side
            expr_id: 4 * spec.recover_start.within + 8
            for expr_id, spec in specs.items()
            if spec.recover_start is not None
        }
        self._db = compile_database(
            [_wrap(spec.expression, spec.boundary).encode() for spec in specs.values()],
            [expression_flags(spec, track_start=True) for spec in specs.values()],
            list(specs),
            cache_dir,
            [spec.rule_id for spec in specs.values()],
        )
        self._scratch = hyperscan.Scratch(self._db) if self._db is not None else None

    def __contains__(self, expr_id: int) -> bool:
        return expr_id in self._reach

    def start(self, buffer: bytes, expr_id: int, end: int, floor: int) -> int | None:
        """Leftmost start of a match of ``expr_id`` ending at ``end``, not before ``floor``."""
        assert self._db is not None
        low = max(floor, end - self._reach[expr_id])
        window = buffer[low:end]
        starts: list[int] = []

        def on_match(found: int, start: int, stop: int, flags: int, context: object) -> None:
            if found == expr_id and stop == len(window):
                starts.append(start)

        self._db.scan(window, match_event_handler=on_match, scratch=self._scratch)
        return low + min(starts) if starts else None


class HyperscanBackend:
    def __init__(self, specs: Sequence[ExpressionSpec], cue_words: Sequence[str], cache_dir: Path):
        expressions: list[bytes] = []
        flags: list[int] = []
        ids: list[int] = []
        base = hyperscan.HS_FLAG_SOM_LEFTMOST | hyperscan.HS_FLAG_UTF8
        for index, spec in enumerate(specs):
            expressions.append(scan_expression(spec))
            flags.append(expression_flags(spec))
            ids.append(index)
        for index, word in enumerate(cue_words):
            expressions.append(_cue(word).encode())
            flags.append(base | hyperscan.HS_FLAG_CASELESS)
            ids.append(_CUE_BASE + index)
        self._rule_of = [spec.rule for spec in specs]
        # Which delimiter characters each expression consumed, indexed by rule expression, then cue.
        self._trims = [_consumed_edges(spec.boundary) for spec in specs]
        self._cue_trims = [_cue_edges(word) for word in cue_words]
        self._db = compile_database(expressions, flags, ids, cache_dir, [s.rule_id for s in specs])
        self._scratch = hyperscan.Scratch(self._db) if self._db is not None else None
        self._recovery = StartRecovery(
            {index: spec for index, spec in enumerate(specs) if spec.recover_start}, cache_dir
        )

    def scan(self, leaves: Sequence[Leaf]) -> tuple[list[RawMatch], CueHits]:
        if self._db is None:
            return [], {}
        encoded = [leaf.text.encode("utf-8", "replace") for leaf in leaves]
        starts: list[int] = []
        position = 1
        for chunk in encoded:
            starts.append(position)
            position += len(chunk) + 1
        buffer = SEPARATOR + SEPARATOR.join(encoded) + SEPARATOR
        hits: list[tuple[int, int, int]] = []
        self._db.scan(buffer, match_event_handler=_collect, context=hits, scratch=self._scratch)
        matches: list[RawMatch] = []
        cues: CueHits = {}
        for expr_id, start, end in hits:
            is_cue = expr_id >= _CUE_BASE
            if not is_cue and expr_id in self._recovery:
                leaf_floor = starts[bisect_right(starts, end - 1) - 1] - 1  # the separator before
                recovered = self._recovery.start(buffer, expr_id, end, leaf_floor)
                if recovered is None:
                    continue
                start = recovered
            edges = self._cue_trims[expr_id - _CUE_BASE] if is_cue else self._trims[expr_id]
            start, end = _trim(buffer, start, end, edges)
            leaf = bisect_right(starts, start) - 1
            leaf_start = starts[leaf]
            chunk = encoded[leaf]
            if end > leaf_start + len(chunk) or start < leaf_start:
                continue  # spans a separator: not inside one leaf
            if len(chunk) == len(leaves[leaf].text):  # one byte per character: offsets coincide
                s, e = start - leaf_start, end - leaf_start
            else:
                s = len(chunk[: start - leaf_start].decode("utf-8", "replace"))
                e = s + len(chunk[start - leaf_start : end - leaf_start].decode("utf-8", "replace"))
            if is_cue:
                cues.setdefault(leaf, []).append((expr_id - _CUE_BASE, s, e))
            else:
                matches.append(RawMatch(self._rule_of[expr_id], leaf, s, e))
        return matches, cues

    def count(self, buffer: bytes) -> int:
        if self._db is None:
            return 0
        hits: list[tuple[int, int, int]] = []
        self._db.scan(buffer, match_event_handler=_collect, context=hits, scratch=self._scratch)
        return len(hits)


def trim_span(buffer: bytes, start: int, end: int, boundary: Boundary) -> tuple[int, int]:
    """Drop the delimiter characters a bounded expression consumed (UTF-8 aware)."""
    return _trim(buffer, start, end, _consumed_edges(boundary))


def _consumed_edges(boundary: Boundary) -> tuple[bool, bool]:
    if boundary is Boundary.NONE:
        return False, False
    return True, _EDGES[boundary][1] is not None


def _trim(buffer: bytes, start: int, end: int, edges: tuple[bool, bool]) -> tuple[int, int]:
    if edges[0]:
        start += _char_len(buffer[start])
    if edges[1]:
        end -= 1
        while buffer[end] & 0xC0 == 0x80:  # back to the first byte of the delimiter character
            end -= 1
    return start, end


def _char_len(first_byte: int) -> int:
    if first_byte < 0x80:
        return 1
    if first_byte >= 0xF0:
        return 4
    return 3 if first_byte >= 0xE0 else 2


def _wrap(expression: str, boundary: Boundary) -> str:
    if boundary is Boundary.NONE:
        return expression
    left, right = _EDGES[boundary]
    return f"[^{left}](?:{expression})" + (f"[^{right}]" if right else "")


def _literal(word: str) -> str:
    return "".join(c if c.isalnum() or ord(c) > 127 else "\\" + c for c in word)


# What may not touch an ASCII cue word: a letter before it; a letter, an underscore or a slash
# after it, which make it part of a name or a product token (WECHAT_PAY, WeChat/8.0.47 in a
# user agent) rather than a word that introduces a value.
_CUE_LEFT_GUARD = "A-Za-z"
_CUE_RIGHT_GUARD = "A-Za-z_/"


def _cue_edges(word: str) -> tuple[bool, bool]:
    """Whether a cue word's first / last character is an ASCII letter, and so guarded (``wx`` is a
    cue in ``加wx：``, not inside a base64 blob)."""
    return (word[:1].isascii() and word[:1].isalpha(), word[-1:].isascii() and word[-1:].isalpha())


def _cue(word: str) -> str:
    """A cue word for Hyperscan: a guarding character is consumed and trimmed, like boundaries."""
    left, right = _cue_edges(word)
    return (
        (f"[^{_CUE_LEFT_GUARD}]" if left else "")
        + _literal(word)
        + (f"[^{_CUE_RIGHT_GUARD}]" if right else "")
    )


def _python_cue(word: str) -> str:
    left, right = _cue_edges(word)
    return (
        (f"(?<![{_CUE_LEFT_GUARD}])" if left else "")
        + re.escape(word)
        + (f"(?![{_CUE_RIGHT_GUARD}])" if right else "")
    )


def compile_database(
    expressions: list[bytes],
    flags: list[int],
    ids: list[int],
    cache_dir: Path,
    rule_of: Sequence[str] | None = None,
) -> hyperscan.Database | None:
    """Compile (or load from the cache) one block-mode database; None when there is nothing."""
    if not expressions:
        return None
    digest = hashlib.sha256(repr((getattr(hyperscan, "__version__", ""), expressions, flags, ids)).encode())
    cache_file = cache_dir / f"{digest.hexdigest()[:32]}.hsdb"
    if cache_file.is_file():
        try:
            return hyperscan.loadb(cache_file.read_bytes(), hyperscan.HS_MODE_BLOCK)
        except hyperscan.error:
            cache_file.unlink(missing_ok=True)  # another Hyperscan build or a torn write
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=flags)
    except hyperscan.error as exc:
        raise ConfigError(_locate_compile_error(expressions, flags, exc, rule_of)) from None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_suffix(".tmp")
        temporary.write_bytes(hyperscan.dumpb(database))
        temporary.replace(cache_file)
    except OSError:
        pass  # a read-only filesystem only costs a compile at start
    return database


def _locate_compile_error(
    expressions: list[bytes], flags: list[int], exc: Exception, rule_of: Sequence[str] | None
) -> str:
    for index, (expression, flag) in enumerate(zip(expressions, flags, strict=True)):
        try:
            hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(expressions=[expression], flags=[flag])
        except hyperscan.error as single:
            owner = f"rule {rule_of[index]}" if rule_of and index < len(rule_of) else "a cue word"
            return f"{owner}: expression {expression.decode()!r} rejected by Hyperscan: {single}"
    return f"Hyperscan rejected the rule pack: {exc}"


# --------------------------------------------------------------------------- Python re


_HEX_ESCAPE = re.compile(r"\\x\{([0-9a-fA-F]+)\}")


def to_python_regex(expression: str, boundary: Boundary) -> str:
    """The same expression in Python syntax, boundaries as lookarounds (``re`` has them)."""
    body = _HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), expression)
    if boundary is Boundary.NONE:
        return body
    left, right = _EDGES[boundary]
    return f"(?<![{left}])(?:{body})" + (f"(?![{right}])" if right else "")


class PythonReBackend:
    """The baseline: identical rules and validators, matched with Python's ``re``."""

    def __init__(self, specs: Sequence[ExpressionSpec], cue_words: Sequence[str]):
        self._patterns = [
            (
                spec.rule,
                re.compile(
                    to_python_regex(spec.expression, spec.boundary),
                    re.IGNORECASE if spec.caseless else 0,
                ),
            )
            for spec in specs
        ]
        self._cues = [re.compile(_python_cue(word), re.IGNORECASE) for word in cue_words]

    def scan(self, leaves: Sequence[Leaf]) -> tuple[list[RawMatch], CueHits]:
        matches: list[RawMatch] = []
        cues: CueHits = {}
        for leaf_index, leaf in enumerate(leaves):
            text = leaf.text
            for rule, pattern in self._patterns:
                for m in pattern.finditer(text):
                    matches.append(RawMatch(rule, leaf_index, m.start(), m.end()))
            for cue_id, cue in enumerate(self._cues):
                for m in cue.finditer(text):
                    cues.setdefault(leaf_index, []).append((cue_id, m.start(), m.end()))
        return matches, cues

    def count(self, buffer: bytes) -> int:
        text = buffer.decode("utf-8", "replace")
        return sum(1 for _, pattern in self._patterns for _ in pattern.finditer(text))
