"""Taiwan National Identification Number (中華民國國民身分證統一編號) and the 2021 resident
certificate number (新式統一證號).

A letter for the place of first registration, a digit for sex (1 male, 2 female; 8 male and 9
female on the resident certificates issued since 2021), seven digits and a check digit. The
letter is worth 10-35 in the order ``ABCDEFGHJKLMNPQRSTUVXYWZIO`` (W, Z, I and O come last, out
of alphabetical order); its two digits and the nine digits that follow are weighted
1 9 8 7 6 5 4 3 2 1 1 and the sum must be a multiple of 10. The older resident certificate with
a letter in second place (e.g. ``AC01234567``) is not accepted.

>>> validate('A123456789')
'A123456789'
>>> is_valid('A123456788'), is_valid('A323456789')
(False, False)
"""

from __future__ import annotations

from firewall.checksums._text import is_ascii_digits, remove_chars
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["LETTER_ORDER", "compact", "is_valid", "validate"]

LETTER_ORDER = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
# The letter's two digits weighted 1 and 9, folded into one number per letter.
_LETTER_SUM = {letter: value // 10 + 9 * (value % 10) for value, letter in enumerate(LETTER_ORDER, start=10)}
_DIGIT_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 1, 1)
_SEX_DIGITS = "1289"
_SEPARATORS = " -"


def compact(text: str) -> str:
    """Remove spaces and dashes and upper-case.

    >>> compact('a 123456789')
    'A123456789'
    """
    return remove_chars(text, _SEPARATORS).upper()


def validate(text: str) -> str:
    """Return the compact number or raise a ValidationError subclass."""
    number = compact(text)
    if len(number) != 10:
        raise InvalidLength("expected 10 characters")
    letter_sum = _LETTER_SUM.get(number[0])
    if letter_sum is None or not is_ascii_digits(number[1:]):
        raise InvalidFormat("expected a letter and 9 digits")
    if number[1] not in _SEX_DIGITS:
        raise InvalidComponent("second character must be 1, 2, 8 or 9")
    total = letter_sum
    for weight, digit in zip(_DIGIT_WEIGHTS, number[1:], strict=True):
        total += weight * (ord(digit) - 48)
    if total % 10:
        raise InvalidChecksum("checksum fails")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is a valid Taiwan id or new resident certificate number; never raises."""
    return passes(validate, text)
