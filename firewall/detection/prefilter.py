"""The prefilter: one Hyperscan pass over a payload's raw bytes that clears events with no PI.

Most outbound events carry no PI, but nearly all carry something PI-shaped: 18-digit order numbers
look like cards and credit codes, ``shop_name`` contains ``name``. A pure regex prefilter would send
them all down the full path (JSON decode, walk, scan). This one validates as it goes: a candidate
counts only if its rule's validator accepts the raw slice, and a key name only if the detector's own
key logic says the key speaks for a gated rule. It never clears an event the full scan would flag:
the raw JSON text equals the decoded text wherever it holds no backslash, and any backslash counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import hyperscan

from firewall.detection.backends import (
    SEPARATOR,
    ExpressionSpec,
    _cue,
    _cue_edges,
    _literal,
    _wrap,
    compile_database,
    trim_span,
)
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
        key_terms: Sequence[str],
        key_is_gated: Callable[[str], bool],
        cache_dir: Path,
    ):
        # Always a full scan: a backslash (an escape can hide a match) and a number with an
        # exponent (1.3812345678e10 is scanned as the digits it decodes to).
        expressions: list[bytes] = [b"\\\\", rb"[:,\[]\s*-?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]"]
        kinds: list[tuple[str, object]] = [("stop", None), ("stop", None)]
        base = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST
        flags = [hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SINGLEMATCH] * 2
        for rule in rules:
            spec = rule.spec
            expressions.append(_wrap(spec.expression, spec.boundary).encode())
            flags.append(base | (hyperscan.HS_FLAG_CASELESS if spec.caseless else 0))
            kinds.append(("rule", rule))
        for word in cue_words:
            expressions.append(_cue(word).encode())
            flags.append(hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH)
            kinds.append(("stop", _cue_edges(word)))
        for term in key_terms:
            # A whole quoted JSON key containing the term, then its colon.
            body = "[-_ .]?".join(_literal(c) for c in term)
            expressions.append(f'"[^"\\\\]*{body}[^"\\\\]*"\\s*:'.encode())
            flags.append(base | hyperscan.HS_FLAG_CASELESS)
            kinds.append(("key", None))
        owners = (
            ["(escape check)", "(exponent check)"]
            + [r.spec.rule_id for r in rules]
            + ["cue"] * len(cue_words)
            + ["key"] * len(key_terms)
        )
        database = compile_database(expressions, flags, list(range(len(expressions))), cache_dir, owners)
        assert database is not None
        self._database = database
        self._scratch = hyperscan.Scratch(database)
        self._kinds = kinds
        self._key_is_gated = key_is_gated
        self._checked_keys: dict[bytes, bool] = {}

    def needs_scan(self, payload: bytes) -> bool:
        """False only when the payload certainly has no finding."""
        if b"\x00" in payload:
            return True  # UTF-16/32 or binary: the full path quarantines it as unreadable
        if not payload.isascii():
            try:
                payload.decode("utf-8")
            except UnicodeDecodeError:
                return True  # not text: the full path decides (it quarantines binary)
        buffer = SEPARATOR + payload + SEPARATOR
        try:
            self._database.scan(
                buffer, match_event_handler=self._on_match, context=buffer, scratch=self._scratch
            )
        except hyperscan.ScanTerminated:
            return True
        return False

    def _on_match(self, expr_id: int, start: int, end: int, flags: int, context: object) -> bool:
        """True stops the scan: this hit may be a finding, so the event needs the full path."""
        buffer: bytes = context  # type: ignore[assignment]
        kind, data = self._kinds[expr_id]
        if kind == "stop":
            return True
        if kind == "key":
            raw_key = buffer[start + 1 : buffer.rindex(b'"', start, end)]
            verdict = self._checked_keys.get(raw_key)
            if verdict is None:
                verdict = self._key_is_gated(raw_key.decode("utf-8", "replace"))
                if len(self._checked_keys) > 50_000:
                    self._checked_keys.clear()
                self._checked_keys[raw_key] = verdict
            return verdict
        rule: PrefilterRule = data  # type: ignore[assignment]
        if rule.validate is None:
            return True
        start, end = trim_span(buffer, start, end, rule.spec.boundary)
        if not rule.validate(buffer[start:end].decode("utf-8", "replace")):
            return False
        if rule.deny_words:
            # The candidate is ASCII (validated rules match ASCII), so it ends the decoded window
            # with as many characters as bytes; the veto words are looked up before it.
            lo = max(0, start - rule.window * 3)
            text = buffer[lo:end].decode("utf-8", "replace")
            return not word_before(text, rule.deny_words, len(text) - (end - start), rule.window)
        return True
