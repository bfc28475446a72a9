"""The prefilter: one Hyperscan pass over a payload's raw bytes that clears events with no PI.

Most outbound events carry no PI, but nearly all carry something PI-shaped: 18-digit order numbers
look like cards and credit codes, ``shop_name`` contains ``name``, support texts say 客户. A pure
regex prefilter would send them all down the full path (JSON decode, walk, scan). This one
validates as it goes: a candidate counts only if its rule's validator accepts the raw slice. Keys
that speak for a context-only rule (given their enclosing object) and trigger cue words only gate
rules, so the one leaf each concerns is read from the raw text and handed to the detector itself
once the pass is through. It never clears an event the full scan would flag: in JSON without
escapes the raw text of a string is its decoded text (escaped JSON is written again without them
first), and whatever cannot be read exactly (text, array items, floats) takes the full path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple, cast

import orjson

from firewall.detection import _native
from firewall.detection.backends import (
    SEPARATOR,
    TEXT_KEY_TAIL,
    ExpressionSpec,
    Plan,
    _literal,
    compile_database,
    cue_expression,
    expression_flags,
    recovery_database,
    rule_plan,
    scan_expression,
    text_key_before,
)
from firewall.detection.findings import Leaf
from firewall.detection.payload import PERCENT_ESCAPES
from firewall.detection.words import word_before


class PrefilterRule(NamedTuple):
    spec: ExpressionSpec
    validate: Callable[[str], bool] | None
    deny_words: tuple[str, ...] = ()  # the rule's veto words: checked as the full path does
    window: int = 0


class Prefilter:
    def __init__(
        self,
        rules: Sequence[PrefilterRule],
        cue_words: Sequence[str],
        folded_ranges: Sequence[tuple[int, int]],
        key_terms: Sequence[str],
        key_is_gated: Callable[[str, str | None], bool],
        parent_may_veto: Callable[[str], bool],
        cache_dir: Path,
    ):
        # Always a full scan: a number with an exponent (1.3812345678e10 is scanned as the digits
        # it decodes to); an array of numbers written with other whitespace than "," or ", "
        # between them (pretty-printed: the walk joins an array of numbers with ", ", and the
        # rules that span numbers take an optional space after the comma, so those two forms
        # match as the joined text does); a percent-escape (the full path decodes them); and the
        # characters the full path folds to ASCII before scanning (full-width digits, as code
        # point ranges). A backslash is checked before the scan.
        expressions: list[bytes] = [
            rb"[:,\[]\s*-?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]",
            rb"\[\s*-?[0-9][0-9.]*(?:\s+,|,[\t\r\n]|, \s)\s*-?[0-9]",
            PERCENT_ESCAPES.encode(),
            ("[" + "".join(f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in folded_ranges) + "]").encode(),
        ]
        kinds: list[tuple[str, object]] = [("stop", None)] * 4
        flags = [_native.FLAG_UTF8 | _native.FLAG_SINGLEMATCH] * 4
        # What C does with each match before this class sees it: stops end the scan, rule
        # matches are trimmed, their starts recovered and certain checksum failures dropped.
        plans = [Plan(stop=True)] * 4
        recovered: dict[int, ExpressionSpec] = {}
        for rule in rules:
            spec = rule.spec
            if spec.recover_start:
                recovered[len(expressions)] = spec
            expressions.append(scan_expression(spec))
            flags.append(expression_flags(spec))
            kinds.append(("rule", rule))
            plans.append(rule_plan(spec) if rule.validate is not None else Plan(stop=True))
        for word in cue_words:
            cue = cue_expression(word, track_start=False)
            expressions.append(cue.expression)
            flags.append(cue.flags)
            kinds.append(("cue", len(word.encode())))
            plans.append(cue.plan)
        for term in key_terms:
            # The term, then the rest of a JSON key and its colon: with no backslash in the
            # buffer (escaped JSON is rewritten first), a string followed by a colon is a key.
            # Its opening quote is found afterwards: matching it too made the key part twice as
            # slow, and start-of-match tracking six times. An ASCII term may also end a key
            # written in text (name=张伟, <name>): the same literal, so the scan costs no more
            # than with JSON keys alone (a separate expression cost ~20% of the raw rate).
            body = "[-_ .]?".join(_literal(c) for c in term)
            text_key = f"|{TEXT_KEY_TAIL}" if term.isascii() else ""
            expressions.append(f'{body}(?:[^"\\\\]*"\\s*:{text_key})'.encode())
            flags.append(_native.FLAG_UTF8 | _native.FLAG_CASELESS)
            kinds.append(("key", None))
            plans.append(Plan())
        owners = (
            ["(exponent check)", "(number array)", "(percent-escape)", "(folded characters)"]
            + [r.spec.rule_id for r in rules]
            + ["cue"] * len(cue_words)
            + ["key"] * len(key_terms)
        )
        database = compile_database(expressions, flags, list(range(len(expressions))), cache_dir, owners)
        assert database is not None
        self._scanner = _native.Scanner(database, plans, recovery_database(recovered, cache_dir))
        self._kinds = kinds
        self._key_is_gated = key_is_gated
        self._parent_may_veto = parent_may_veto
        self._cue_starts: list[int] = []  # trigger cues seen by the scan in hand
        self._leaves_to_check: dict[int, Leaf] = {}  # by the offset of the leaf's opening quote
        # raw key -> verdict, or None when the verdict depends on the enclosing object's key
        self._checked_keys: dict[bytes, bool | None] = {}
        self._checked_pairs: dict[tuple[bytes, bytes | None], bool] = {}
        self._checked_text_keys: dict[str, bool] = {}

    def check(self, payload: bytes) -> bool | list[Leaf]:
        """True: the payload needs the full path. False: it certainly has no finding. Leaves: it
        has none unless one of these leaves has one (the caller asks the detector, in batches)."""
        if b"\x00" in payload:
            return True  # UTF-16/32 or binary: the full path quarantines it as unreadable
        known_json = False  # decoded once already, so no second decode to ask
        if b"\\" in payload:
            # An escape can hide a match (json.dumps writes all Han text as \\uXXXX). Written
            # again by orjson, most such payloads hold no escape at all; the others take the full
            # path. Without escapes every quote delimits a string, which the key checks rely on.
            unescaped = _without_escapes(payload)
            if unescaped is None:
                return True
            payload, known_json = unescaped, True
        buffer = SEPARATOR + payload + SEPARATOR
        try:
            hits = self._scanner.scan(buffer)
        except ValueError:
            return True  # not UTF-8 text: the full path decides (it quarantines binary)
        if hits is None:
            return True  # a stop: a number with an exponent, a folded character, an unvalidated rule
        self._cue_starts.clear()
        self._leaves_to_check.clear()
        kinds = self._kinds
        for expr_id, start, end in hits:
            kind, data = kinds[expr_id]
            if kind == "cue":  # its leaf is checked once the scan is through
                self._cue_starts.append(end - cast(int, data))  # the cue's start (no start tracking)
            elif kind == "key":
                if self._key_hit_needs_scan(buffer, end):
                    return True
            elif self._rule_needs_scan(cast(PrefilterRule, data), buffer, start, end):
                return True  # this hit may be a finding: the event needs the full path
        if not (self._cue_starts or self._leaves_to_check):
            return False
        # Keys and cue words only gate rules; whether they make a finding is a question about the
        # one leaf they concern, for the detector to answer on that leaf alone.
        if not self._cue_leaves(buffer, payload, known_json):
            return True
        return list(self._leaves_to_check.values())

    def count(self, buffer: bytes) -> int:
        """Every match in raw bytes, before any check or stop (the raw scan rate)."""
        return self._scanner.count(buffer)

    def _key_needs_scan(self, buffer: bytes, end: int) -> bool:
        """Whether a JSON key (its colon ends at ``end``) speaks for a gated rule, given its
        enclosing object (merchant.name is not a person's name). If it does, its value is checked
        once the scan is through; a value that is not a string or an integer stops the scan."""
        closing = buffer.rindex(b'"', 0, end)
        opening = buffer.rfind(b'"', 0, closing)
        if opening < 0:
            return True  # not a JSON key (text with a quote): the full path decides
        raw_key = buffer[opening + 1 : closing]
        if len(self._checked_keys) > 50_000:
            self._checked_keys.clear()
            self._checked_pairs.clear()
            self._checked_text_keys.clear()
        if raw_key not in self._checked_keys:
            key = raw_key.decode("utf-8", "replace")
            gated = self._key_is_gated(key, None)
            self._checked_keys[raw_key] = None if gated and self._parent_may_veto(key) else gated
        verdict = self._checked_keys[raw_key]
        parent: str | None = None
        if verdict is None:
            raw_parent = enclosing_key(buffer, opening)
            if raw_parent == _UNKNOWN:
                return True
            parent = raw_parent.decode("utf-8", "replace") if raw_parent else None
            pair = (raw_key, raw_parent)
            if pair not in self._checked_pairs:
                self._checked_pairs[pair] = self._key_is_gated(raw_key.decode("utf-8", "replace"), parent)
            verdict = self._checked_pairs[pair]
        if not verdict:
            return False
        value = _scalar_after(buffer, end)
        if value is None:
            return True
        self._leaves_to_check[opening] = Leaf("$", raw_key.decode("utf-8", "replace"), value, parent)
        return False

    def _key_hit_needs_scan(self, buffer: bytes, end: int) -> bool:
        """A JSON key's hit, or a key's written in text (name=张伟: the full path finds the key
        again and scans the value after it)."""
        if _ends_json_key(buffer, end):
            return self._key_needs_scan(buffer, end)
        return self._text_key_is_gated(buffer, end)

    def _text_key_is_gated(self, buffer: bytes, end: int) -> bool:
        """Whether the key written in text before ``end`` (its separator's end) speaks for a
        gated rule: the key the full path reads back there too (``text_key_before``, here over
        the bytes before it, decoded)."""
        before = buffer[max(0, end - _TEXT_KEY_LOOK_BACK) : end].decode("utf-8", "replace")
        start, key = text_key_before(before, len(before))
        if start == 0 and end > _TEXT_KEY_LOOK_BACK:
            return True  # a key longer than the look-back: the full path reads all of it
        verdict = self._checked_text_keys.get(key)
        if verdict is None:
            verdict = self._checked_text_keys[key] = self._key_is_gated(key, None)
        return verdict

    def _cue_leaves(self, buffer: bytes, payload: bytes, known_json: bool) -> bool:
        """Add the leaves holding trigger cues to those to check; False when one cannot be read
        exactly as the walk makes it (not JSON, an array item, a key too far back)."""
        if not self._cue_starts:
            return True
        if not known_json:
            try:
                orjson.loads(payload)
            except orjson.JSONDecodeError:
                return False  # text, or an integer beyond 64 bits: the full path reads it
        for position in self._cue_starts:
            if buffer.count(b'"', 0, position) % 2 == 0:
                return False  # not inside a string
            opening = buffer.rindex(b'"', 0, position)
            closing = buffer.index(b'"', position)
            if buffer[closing + 1 : closing + 65].lstrip(b" \t\r\n").startswith(b":"):
                continue  # a cue inside a key: keys are context, never scanned as text
            key = _KEY_BEFORE.search(buffer, max(0, opening - 256), opening)
            if key is None:
                return False  # an array item or the top level
            parent = enclosing_key(buffer, key.start())
            if parent == _UNKNOWN:
                return False
            text = buffer[opening + 1 : closing].decode("utf-8", "replace")
            self._leaves_to_check.setdefault(
                key.start(),
                Leaf("$", key.group(1).decode(), text, parent.decode() if parent is not None else None),
            )
        return True

    def _rule_needs_scan(self, rule: PrefilterRule, buffer: bytes, start: int, end: int) -> bool:
        """Whether a validated rule's match (trimmed, start recovered) is a candidate."""
        assert rule.validate is not None  # rules without a validator stop the scan in C
        if not rule.validate(buffer[start:end].decode("utf-8", "replace")):
            return False
        if rule.deny_words:
            # The candidate is ASCII (validated rules match ASCII), so it ends the decoded window
            # with as many characters as bytes; the veto words are looked up before it.
            lo = max(0, start - rule.window * 3)
            text = buffer[lo:end].decode("utf-8", "replace")
            return not word_before(text, rule.deny_words, len(text) - (end - start), rule.window)
        return True


_INTEGER = re.compile(rb"-?[0-9]+")
_TEXT_KEY_LOOK_BACK = 256  # bytes decoded before a text key's separator to read the key


def _ends_json_key(buffer: bytes, end: int) -> bool:
    """Whether a key hit ending at ``end`` is a JSON key's colon (a quote before it), not a key
    written in text."""
    if buffer[end - 1] != 0x3A:  # ':'
        return False
    position = end - 1
    while position > 0 and buffer[position - 1] in b" \t\r\n":
        position -= 1
    return position > 0 and buffer[position - 1] == 0x22  # a quote


def _scalar_after(buffer: bytes, colon_end: int) -> str | None:
    """The string or integer value after a key's colon, as the walk's leaf text; None for anything
    else (an object, an array, a float whose text the walk may write differently)."""
    position = colon_end
    while buffer[position : position + 1] in (b" ", b"\t", b"\r", b"\n"):
        position += 1
    if buffer[position : position + 1] == b'"':
        return buffer[position + 1 : buffer.index(b'"', position + 1)].decode("utf-8", "replace")
    number = _INTEGER.match(buffer, position)
    if number is None or buffer[number.end() : number.end() + 1] in (b".", b"e", b"E"):
        return None
    return str(int(number.group()))


def _without_escapes(payload: bytes) -> bytes | None:
    """The same JSON document written without escapes, or None when that is not possible."""
    try:
        written = orjson.dumps(orjson.loads(payload))
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None  # not JSON (text with a backslash), or an integer beyond 64 bits
    return None if b"\\" in written else written


_UNKNOWN = b"\x00"  # the enclosing key could not be read cheaply: assume the worst
_KEY_BEFORE = re.compile(rb'"([^"]*)"\s*:\s*$')
_LOOK_BACK = 1024  # bytes searched for the enclosing object before giving up


def enclosing_key(buffer: bytes, position: int) -> bytes | None:
    """The key of the object around ``position`` (a key's opening quote) in JSON without escapes.

    Arrays in between are passed through, as the walk gives array items their array's key. None at
    the top level; ``_UNKNOWN`` when the answer lies further back than ``_LOOK_BACK`` bytes.
    """
    near = max(0, position - 64)
    before = buffer[near:position].rstrip(b" \t\r\n")
    # The object's first member (the usual case): its brace, without a call into C for the walk
    # back (measured: 2.7k instructions per event less).
    if before.endswith(b"{"):
        found = _key_of_opener(buffer, near + len(before) - 1)
        if found is not _ARRAY_ITEM:
            return found
    low = max(0, position - _LOOK_BACK)
    while (opener := _native.enclosing_opener(buffer, position, low)) >= 0:
        found = _key_of_opener(buffer, opener)
        if found is not _ARRAY_ITEM:
            return found
        position = opener  # an item of an array: keep going back to the array's own opener
    return _UNKNOWN


_ARRAY_ITEM = b"\x01"


def _key_of_opener(buffer: bytes, at: int) -> bytes | None:
    """The key before the ``{`` or ``[`` at ``at``; None at the top level; ``_ARRAY_ITEM`` when the
    opener is an item of an array."""
    before = buffer[max(0, at - 256) : at].rstrip(b" \t\r\n")
    if before.endswith(b":"):
        key = _KEY_BEFORE.search(buffer, max(0, at - 256), at)
        return key.group(1) if key else _UNKNOWN
    if not before.strip(b"\x00"):
        return None  # the document's top level
    return _ARRAY_ITEM
