"""Vehicle Identification Number, ISO 3779 (GB 16735 in China), with the position-9 check digit.

17 characters over digits and capitals without I, O and Q. Letters are transliterated
(A-H = 1-8, J-N = 1-5, P = 7, R = 9, S-Z = 2-9), weighted 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2,
and the sum mod 11 is the check digit in position 9 (10 is written X).

The check digit is mandatory in North America and in China (GB 16735, Chinese-market VINs start
with L); many European VINs carry none and are rejected here, which a firewall accepts as the
price of not flagging every 17-character part number. One character repeated 17 times (a test
value such as 11111111111111111, which passes the check) is rejected.

>>> validate('1m8gdm9axkp042788')
'1M8GDM9AXKP042788'
>>> is_valid('1M8GDM9A1KP042788')
False
>>> calc_check_digit('1M8GDM9A0KP042788')
'X'
"""

from __future__ import annotations

from operator import mul

from firewall.checksums._text import is_repeated_char, remove_chars
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["ALPHABET", "calc_check_digit", "compact", "is_valid", "validate"]

_TRANSLITERATION = {
    **{digit: int(digit) for digit in "0123456789"},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
ALPHABET = frozenset(_TRANSLITERATION)  # digits and capitals without I, O and Q
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_SEPARATORS = " -"


def compact(text: str) -> str:
    """Remove spaces and dashes and upper-case.

    >>> compact('lsv ab4187 j2 123456')
    'LSVAB4187J2123456'
    """
    return remove_chars(text, _SEPARATORS).upper()


def calc_check_digit(vin: str) -> str:
    """Return the position-9 check digit of a 17-character VIN (position 9 itself has weight 0).

    Raises KeyError for a character outside the VIN alphabet.
    """
    remainder = sum(map(mul, map(_TRANSLITERATION.__getitem__, vin), _WEIGHTS)) % 11
    return "X" if remainder == 10 else str(remainder)


def validate(text: str) -> str:
    """Return the compact VIN or raise a ValidationError subclass."""
    vin = compact(text)
    if len(vin) != 17:
        raise InvalidLength("expected 17 characters")
    if vin[8] not in "0123456789X":
        raise InvalidFormat("position 9 must be a digit or X")
    try:
        check = calc_check_digit(vin)
    except KeyError:
        raise InvalidFormat("character outside the VIN alphabet (I, O, Q excluded)") from None
    if is_repeated_char(vin):
        raise InvalidComponent("one character repeated")
    if check != vin[8]:
        raise InvalidChecksum("check digit does not match")
    return vin


def is_valid(text: str) -> bool:
    """True if ``text`` is a VIN with a correct check digit; never raises."""
    return passes(validate, text)
