"""Regex engines behind the detector: Hyperscan (production) and Python ``re`` (a baseline).

Both take the same expressions and return the same thing: matches as character offsets into a leaf,
boundary characters already stripped, and cue-word hits per leaf.

Hyperscan runs through ``firewall.detection._native`` (``_native.c``): one call per batch, and each
match is trimmed, mapped to its leaf and pre-checked in C by the plan built here, so Python sees
only the matches that may be findings.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from firewall.config import ConfigError
from firewall.detection import _native
from firewall.detection.findings import Leaf
from firewall.detection.rulepack import Boundary, RecoverStart

SEPARATOR = b"\x00"
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
    Boundary.CLAUSE: ("\\x{4e00}-\\x{9fa5}0-9A-Za-z", "\\x{4e00}-\\x{9fa5}"),
}
# Characters a boundary lets touch a match although its class excludes them. A name that opens a
# clause (王芳住在…, 由李明负责, 请通知张伟尽快…) follows a word that opens a name (由, 请, 和…, and
# the last characters of 通知, 今天, 刚才) and is followed by the first character of what a
# subject does (verbs, adverbs, prepositions: 住在, 今年, 通过, 驾驶, 持, 使用…, and 的); not 为:
# 燕君为了 and 秦赵燕为何 open sentences of a history text.
_SUBJECT_BEFORE = "由请据和与给让叫找被把向跟同及了知天才"
_SUBJECT_AFTER = (
    "在住今来已和与及是通的向将说表持使给约出驾担反于到去从对把被让也都就还要会曾正现刚又再昨"
    "明前后没不因需想尽签申办购买预下支付提收发打拨致咨投退登注绑称告等共带跟同转借欠用负开乘入离回均"
)
_EDGE_EXCEPTIONS: dict[Boundary, tuple[str, str]] = {Boundary.CLAUSE: (_SUBJECT_BEFORE, _SUBJECT_AFTER)}
# Validators whose checksum C can test first: a value failing it certainly fails the validator
# (tests/unit/test_native.py holds each to its Python validator), so such a match never reaches
# Python.
_NATIVE_CHECKS = {
    "cn_bank_card": _native.CHECK_LUHN,
    "luhn": _native.CHECK_LUHN,
    "imei": _native.CHECK_IMEI,
    "cn_uscc": _native.CHECK_USCC,
    "cn_uscc_final_check": _native.CHECK_USCC,
    "cn_resident_id": _native.CHECK_RESIDENT_ID,
}


class ExpressionSpec(NamedTuple):
    rule: int
    rule_id: str  # "id (file)" in error messages
    expression: str
    boundary: Boundary
    caseless: bool
    recover_start: RecoverStart | None = None  # None: Hyperscan tracks where matches start
    validator: str | None = None


class RawMatch:
    """A match of a rule's expression in one leaf (character offsets), before any check. A class
    with its own ``__init__``, not a NamedTuple: compiled, its constructor is native (a named
    tuple's ``__new__`` runs as Python, and the scan makes a dozen per event)."""

    def __init__(self, rule: int, leaf: int, start: int, end: int) -> None:
        self.rule = rule
        self.leaf = leaf
        self.start = start
        self.end = end


CueHits = dict[int, list[tuple[int, int, int]]]  # leaf -> [(cue id, start, end)]


class Backend(Protocol):
    def scan(self, leaves: Sequence[Leaf]) -> tuple[list[RawMatch], CueHits]: ...

    def count(self, buffer: bytes) -> int: ...


def build_backend(
    name: str,
    specs: Sequence[ExpressionSpec],
    cue_words: Sequence[str],
    cache_dir: Path,
    text_keys: Sequence[str] = (),
) -> Backend:
    """``text_keys``: expressions (see :func:`text_key_expressions`) whose hits are reported as
    cue hits, with ids after the last cue word's."""
    if name == "hyperscan":
        return HyperscanBackend(specs, cue_words, cache_dir, text_keys)
    if name == "re":
        return PythonReBackend(specs, cue_words, text_keys)
    raise ConfigError(f"detection backend {name!r} unknown (hyperscan, re)")


def text_key_expressions(terms: Sequence[str]) -> list[str]:
    """A key written in text, not JSON (``name=张伟``, ``passport_no: G12345678``,
    ``<name>张伟</name>``): one of the normalised key ``terms`` in an ASCII identifier, then ``=``,
    ``:``, ``：`` or ``>``. Whether the whole key speaks for a rule is decided as for a JSON key,
    on the key read backwards from the separator (:func:`text_key_before`). The terms are split
    over several expressions: one alternation of ~200 terms, caseless and with start-of-match
    tracking, is more than Hyperscan compiles ("Pattern is too large").
    """
    return [
        f"(?:{'|'.join(_literal(term) for term in terms[at : at + _TERMS_PER_EXPRESSION])}){TEXT_KEY_TAIL}"
        for at in range(0, len(terms), _TERMS_PER_EXPRESSION)
    ]


_TERMS_PER_EXPRESSION = 64


# After a key term: the rest of an ASCII identifier, a closing quote if the key is quoted (JSON in
# text that could not be walked, "name": "张伟" in a log line), and a separator.
TEXT_KEY_TAIL = "[A-Za-z0-9_.\\-]*\"?(?:[ \\t]*[=:]|\uff1a|>)"


_KEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def text_key_before(text: str, end: int) -> tuple[int, str]:
    """(start, key) of the text key whose separator ends at ``end``."""
    stop = end - 1
    while stop > 0 and text[stop - 1] in " \t":
        stop -= 1
    if stop > 0 and text[stop - 1] == '"':
        stop -= 1
    start = stop
    while start > 0 and text[start - 1] in _KEY_CHARACTERS:
        start -= 1
    return start, text[start:stop]


# --------------------------------------------------------------------------- Hyperscan


class Plan(NamedTuple):
    """What ``_native`` does with a match of one expression before Python sees it."""

    trim_left: bool = False  # drop the boundary character the expression consumed on the left
    trim_right: bool = False
    check: int = 0  # a _native.CHECK_* that drops certain failures; 0: none
    stop: bool = False  # end the scan (the prefilter's "needs the full path")
    reach: int = 0  # bytes rescanned to recover the start; 0: the database tracks it


def rule_plan(spec: ExpressionSpec) -> Plan:
    """Trim the consumed boundary, pre-check the checksum, recover the start where needed."""
    if spec.boundary is Boundary.NONE:
        trim_left = trim_right = False
    else:
        trim_left, trim_right = True, _EDGES[spec.boundary][1] is not None
    # UTF-8 bytes of the longest match, plus the boundary characters on either side
    reach = 4 * spec.recover_start.within + 8 if spec.recover_start is not None else 0
    check = _NATIVE_CHECKS.get(spec.validator, 0) if spec.validator else 0
    return Plan(trim_left, trim_right, check, False, reach)


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
        _native.FLAG_UTF8
        | (_native.FLAG_SOM_LEFTMOST if track_start or spec.recover_start is None else 0)
        | (_native.FLAG_CASELESS if spec.caseless else 0)
    )


def recovery_database(specs: dict[int, ExpressionSpec], cache_dir: Path) -> _native.Database | None:
    """For expressions compiled without start tracking (emails found by their ``@domain``), a
    small database of the whole expressions, with tracking, under the same ids: ``_native``
    rescans the few bytes before each such match's end with it."""
    recovered = {expr_id: spec for expr_id, spec in specs.items() if spec.recover_start is not None}
    return compile_database(
        [_wrap(spec.expression, spec.boundary).encode() for spec in recovered.values()],
        [expression_flags(spec, track_start=True) for spec in recovered.values()],
        list(recovered),
        cache_dir,
        [spec.rule_id for spec in recovered.values()],
    )


class CueExpression(NamedTuple):
    expression: bytes
    flags: int
    plan: Plan


def cue_expression(word: str, track_start: bool = True) -> CueExpression:
    """A cue word as Hyperscan finds it, caseless; its guard characters are trimmed like
    boundaries. Without start tracking there is no start to trim (the caller takes the start as
    the end minus the word's length)."""
    left, right = _cue_edges(word)
    return CueExpression(
        _cue(word).encode(),
        _native.FLAG_UTF8 | _native.FLAG_CASELESS | (_native.FLAG_SOM_LEFTMOST if track_start else 0),
        Plan(trim_left=left and track_start, trim_right=right),
    )


class HyperscanBackend:
    def __init__(
        self,
        specs: Sequence[ExpressionSpec],
        cue_words: Sequence[str],
        cache_dir: Path,
        text_keys: Sequence[str] = (),
    ):
        # ids: the expressions in order, then the cue words, then the text keys
        cues = [cue_expression(word) for word in cue_words]
        # start tracking only so that the hit maps to its leaf (the key is read backwards)
        found_by = _native.FLAG_UTF8 | _native.FLAG_CASELESS | _native.FLAG_SOM_LEFTMOST
        cues.extend(CueExpression(expression.encode(), found_by, Plan()) for expression in text_keys)
        expressions = [scan_expression(spec) for spec in specs] + [cue.expression for cue in cues]
        flags = [expression_flags(spec) for spec in specs] + [cue.flags for cue in cues]
        self._rule_of = [spec.rule for spec in specs]
        database = compile_database(
            expressions, flags, list(range(len(expressions))), cache_dir, [s.rule_id for s in specs]
        )
        self._scanner = (
            _native.Scanner(
                database,
                [rule_plan(spec) for spec in specs] + [cue.plan for cue in cues],
                recovery_database(dict(enumerate(specs)), cache_dir),
            )
            if database is not None
            else None
        )

    def scan(self, leaves: Sequence[Leaf]) -> tuple[list[RawMatch], CueHits]:
        matches: list[RawMatch] = []
        cues: CueHits = {}
        if self._scanner is None:
            return matches, cues
        rule_of = self._rule_of
        rules = len(rule_of)
        for expr_id, leaf, start, end in self._scanner.scan_texts([leaf.text for leaf in leaves]):
            if expr_id < rules:
                matches.append(RawMatch(rule_of[expr_id], leaf, start, end))
            else:
                cues.setdefault(leaf, []).append((expr_id - rules, start, end))
        return matches, cues

    def count(self, buffer: bytes) -> int:
        return self._scanner.count(buffer) if self._scanner is not None else 0


def _wrap(expression: str, boundary: Boundary) -> str:
    if boundary is Boundary.NONE:
        return expression
    left, right = _EDGES[boundary]
    allow_left, allow_right = _EDGE_EXCEPTIONS.get(boundary, ("", ""))
    wrapped = _guard(left, allow_left) + f"(?:{expression})"
    return wrapped + _guard(right, allow_right) if right else wrapped


def _guard(excluded: str, allowed: str) -> str:
    """One character consumed beside a match (and trimmed in ``_native``): not of ``excluded``,
    unless of ``allowed``."""
    return f"(?:[^{excluded}]|[{allowed}])" if allowed else f"[^{excluded}]"


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
) -> _native.Database | None:
    """Compile (or load from the cache) one block-mode database; None when there is nothing."""
    if not expressions:
        return None
    digest = hashlib.sha256(repr((_native.version(), expressions, flags, ids)).encode())
    cache_file = cache_dir / f"{digest.hexdigest()[:32]}.hsdb"
    if cache_file.is_file():
        try:
            return _native.deserialize(cache_file.read_bytes())
        except ValueError:
            cache_file.unlink(missing_ok=True)  # another Hyperscan build or a torn write
    try:
        database = _native.compile(expressions, flags, ids)
    except _native.CompileError as exc:
        message, index = exc.args
        if 0 <= index < len(expressions):
            owner = f"rule {rule_of[index]}" if rule_of and index < len(rule_of) else "a cue word"
            message = f"{owner}: expression {expressions[index].decode()!r} rejected by Hyperscan: {message}"
        raise ConfigError(message) from None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_suffix(".tmp")
        temporary.write_bytes(database.serialize())
        temporary.replace(cache_file)
    except OSError:
        pass  # a read-only filesystem only costs a compile at start
    return database


# --------------------------------------------------------------------------- Python re


_HEX_ESCAPE = re.compile(r"\\x\{([0-9a-fA-F]+)\}")


def to_python_regex(expression: str, boundary: Boundary) -> str:
    """The same expression in Python syntax, boundaries as lookarounds (``re`` has them)."""
    if boundary is Boundary.NONE:
        return _python_escapes(expression)
    left, right = _EDGES[boundary]
    allow_left, allow_right = _EDGE_EXCEPTIONS.get(boundary, ("", ""))
    body = _lookaround("(?<!", "(?<=", left, allow_left) + f"(?:{expression})"
    return _python_escapes(body + _lookaround("(?!", "(?=", right, allow_right) if right else body)


def _lookaround(negative: str, positive: str, excluded: str, allowed: str) -> str:
    """``_guard`` as a lookaround: the neighbouring character is not of ``excluded``, unless of
    ``allowed``."""
    guard = f"{negative}[{excluded}])"
    return f"(?:{guard}|{positive}[{allowed}]))" if allowed else guard


def _python_escapes(expression: str) -> str:
    return _HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), expression)


class PythonReBackend:
    """The baseline: identical rules and validators, matched with Python's ``re``."""

    def __init__(
        self, specs: Sequence[ExpressionSpec], cue_words: Sequence[str], text_keys: Sequence[str] = ()
    ):
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
        self._cues.extend(re.compile(expression, re.IGNORECASE) for expression in text_keys)

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
