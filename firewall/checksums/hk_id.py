"""Hong Kong Identity Card number (香港身份證號碼).

One or two letters, six digits and a check character, usually printed as ``A123456(3)`` (also
written ``A123456 (3)`` and, in Chinese text, with full-width brackets ``A123456（3）``). The
check: pad the letters to two with a leading space; values space = 36, A-Z = 10-35, digits as
themselves; weights 9 8 7 6 5 4 3 2 over the eight characters; check = (11 - sum mod 11) mod 11,
written 'A' when it is 10.

>>> validate('A123456(3)')
'A1234563'
>>> is_valid('a123456(4)')
False
>>> calc_check_digit('C668668')
'9'
"""

from __future__ import annotations

from firewall.checksums._text import ASCII_UPPER, is_ascii_digits, remove_chars
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["calc_check_digit", "compact", "is_valid", "validate"]

_SEPARATORS = " ()（）"
_PADDING_VALUE = 36
_CHECK_CHARS = "0123456789A"
_LETTER_VALUE = {letter: 10 + index for index, letter in enumerate(ASCII_UPPER)}


def compact(text: str) -> str:
    """Remove spaces and brackets (ASCII or full-width) and upper-case.

    >>> compact('ab 987654 (2)'), compact('T680851（9）')
    ('AB9876542', 'T6808519')
    """
    return remove_chars(text, _SEPARATORS).upper()


def calc_check_digit(body: str) -> str:
    """Return the check character for 1-2 ASCII capitals followed by 6 ASCII digits."""
    letters, digits = body[:-6], body[-6:]
    first = _PADDING_VALUE if len(letters) == 1 else _LETTER_VALUE[letters[0]]
    total = 9 * first + 8 * _LETTER_VALUE[letters[-1]]
    for weight, digit in zip((7, 6, 5, 4, 3, 2), digits, strict=True):
        total += weight * (ord(digit) - 48)
    return _CHECK_CHARS[-total % 11]


def validate(text: str) -> str:
    """Return the compact number (no brackets) or raise a ValidationError subclass."""
    number = compact(text)
    if len(number) not in (8, 9):
        raise InvalidLength("expected 8 or 9 characters")
    letters = number[:-7]
    if (
        not letters.isascii()
        or not letters.isalpha()
        or not is_ascii_digits(number[-7:-1])
        or number[-1] not in _CHECK_CHARS
    ):
        raise InvalidFormat("expected 1-2 letters, 6 digits and a digit or A")
    if calc_check_digit(number[:-1]) != number[-1]:
        raise InvalidChecksum("check character does not match")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is a valid HKID number, with or without brackets; never raises."""
    return passes(validate, text)
