"""A VIN from any region: ISO 3779's structure, and the check digit only where it is mandatory.

North America (a first character 1-5) and China (L, GB 16735) require the position-9 check digit
(see ``vin``); European and other makers often write a letter or a digit there that is no check
digit (WVWZZZ1JZXW000001). For those, the structure decides: 17 characters over digits and
capitals without I, O and Q, the last four digits (ISO 3779 writes the end of the serial number
in digits), and not one character repeated. Too weak alone, so rules use it only where a key or a
cue word already names a VIN.

>>> validate('wvwzzz1jzxw000001')
'WVWZZZ1JZXW000001'
>>> is_valid('1M8GDM9A1KP042788'), is_valid('1M8GDM9AXKP042788'), is_valid('WVWZZZ1JZXW00000A')
(False, True, False)
"""

from __future__ import annotations

from firewall.checksums import vin
from firewall.checksums._text import is_ascii_digits, is_repeated_char
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength, passes
from firewall.checksums.vin import compact

__all__ = ["compact", "is_valid", "validate"]

_CHECKED_REGIONS = "12345L"  # where the check digit is mandatory


def validate(text: str) -> str:
    """Return the compact VIN or raise a ValidationError subclass."""
    number = compact(text)
    if number[:1] in _CHECKED_REGIONS:
        return vin.validate(number)
    if len(number) != 17:
        raise InvalidLength("expected 17 characters")
    if not vin.ALPHABET.issuperset(number):
        raise InvalidFormat("character outside the VIN alphabet (I, O, Q excluded)")
    if not is_ascii_digits(number[13:]):
        raise InvalidFormat("the last four characters are digits")
    if is_repeated_char(number):
        raise InvalidComponent("one character repeated")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is a VIN as above; never raises."""
    return passes(validate, text)
