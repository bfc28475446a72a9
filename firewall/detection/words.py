"""Cue and veto words looked up around a candidate in plain Python (only where candidates are)."""

from __future__ import annotations

from collections.abc import Sequence


def _word_at(lowered: str, word: str, at: int) -> bool:
    """``word`` found at ``at`` is a word of its own where its ASCII letters meet other letters."""
    before = lowered[at - 1 : at]
    after = lowered[at + len(word) : at + len(word) + 1]
    return not (
        (word[0].isascii() and word[0].isalpha() and before.isascii() and before.isalpha())
        or (word[-1].isascii() and word[-1].isalpha() and after.isascii() and after.isalpha())
    )


def word_before(text: str, words: Sequence[str], start: int, window: int) -> bool:
    """One of ``words`` starts within ``window`` characters before ``start`` (or at it)."""
    lo = max(0, start - window)
    lowered = text[lo : start + 24].lower()
    last = start - lo
    for word in words:
        at = lowered.find(word)
        while 0 <= at <= last:
            if _word_at(lowered, word, at):
                return True
            at = lowered.find(word, at + 1)
    return False


def word_gap(text: str, words: Sequence[str], start: int, end: int, window: int) -> int | None:
    """Characters between a match and the nearest of ``words`` within ``window`` (None: none)."""
    lo = max(0, start - window)
    before = text[lo:start].lower()
    best: int | None = None
    for word in words:
        at = before.rfind(word)
        if at >= 0 and _word_at(before, word, at):
            gap = len(before) - (at + len(word))
            best = gap if best is None else min(best, gap)
    if best is not None:
        return best
    after = text[end : end + window].lower()
    for word in words:
        at = after.find(word)
        if at >= 0 and _word_at(after, word, at):
            gap = window + at
            best = gap if best is None else min(best, gap)
    return best
