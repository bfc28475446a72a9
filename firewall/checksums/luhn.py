"""The Luhn (mod 10) checksum, ISO/IEC 7812-1 Annex B, for 12-19 digit numbers.

From the rightmost digit, every second digit is doubled (9 subtracted when the double exceeds 9);
the number is valid when the sum of all digits is a multiple of 10. Luhn detects every
single-digit error and most transpositions of adjacent digits. One digit repeated (all zeros
passes Luhn) is rejected: it is a placeholder, never an issued number.

``stdnum.luhn.checksum`` implements the same sum but costs 4-7 µs per 19-digit number (a tuple of
``alphabet.index`` lookups); this version sums the ASCII bytes in C and is about 5x faster. The
tests check the two agree on random numbers.

>>> validate('4111 1111 1111 1111')
'4111111111111111'
>>> is_valid('4111111111111112')
False
>>> calc_check_digit('411111111111111')
'1'
"""

from __future__ import annotations

from firewall.checksums._text import is_ascii_digits, is_repeated_char, remove_chars
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["calc_check_digit", "checksum", "compact", "is_valid", "validate"]

MIN_LENGTH = 12
MAX_LENGTH = 19
_SEPARATORS = " -"
_ZERO = ord("0")


def checksum(digits: str) -> int:
    """Return the Luhn sum mod 10 of a string of ASCII digits (0 means valid).

    A doubled digit d contributes 2d - 9 when d >= 5, so the sum is (bytes - '0' offsets) plus a
    correction of -9 for each doubled digit of 5 or more.

    >>> checksum('79927398713')
    0
    """
    data = digits.encode("ascii")
    kept = data[-1::-2]
    doubled = data[-2::-2]
    doubled_big = len(doubled) - len(doubled.translate(None, b"56789"))
    total = sum(kept) + 2 * sum(doubled) - _ZERO * (len(kept) + 2 * len(doubled))
    return (total - 9 * doubled_big) % 10


def calc_check_digit(body: str) -> str:
    """Return the digit to append to ``body`` (ASCII digits) so the result passes Luhn.

    >>> calc_check_digit('7992739871')
    '3'
    """
    return str(-checksum(body + "0") % 10)


def compact(text: str) -> str:
    """Remove spaces and dashes.

    >>> compact('4111-1111 1111-1111')
    '4111111111111111'
    """
    return remove_chars(text, _SEPARATORS)


def validate(text: str) -> str:
    """Return the compact number or raise a ValidationError subclass."""
    number = compact(text)
    if not is_ascii_digits(number):
        raise InvalidFormat("expected ASCII digits")
    if not MIN_LENGTH <= len(number) <= MAX_LENGTH:
        raise InvalidLength("expected 12 to 19 digits")
    if is_repeated_char(number):
        raise InvalidComponent("one digit repeated")
    if checksum(number):
        raise InvalidChecksum("Luhn checksum fails")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is 12-19 digits, not all the same, passing Luhn; never raises."""
    return passes(validate, text)
