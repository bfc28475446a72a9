"""Mainland China motor vehicle plates (机动车号牌), GA 36-2018.

A province abbreviation, the issuing authority letter, an optional separator (``·``, ``-`` or a
space), then either

* 5 characters (standard plates): 4 of ``A-HJ-NP-Z0-9`` and a last one that may also be
  挂 (trailer), 学 (driving school), 警 (police), 港 or 澳 (cross-boundary); or
* 6 characters (new-energy plates): small cars ``[DF][A-HJ-NP-Z0-9]`` + 4 digits,
  large vehicles 5 digits + ``[DF]``.

I and O never appear in the serial (they look like 1 and 0). The authority letter may be any of
A-Z: O is issued to police and judicial vehicles in several provinces (粤O), and test-data
generators (Faker's zh_CN ``license_plate``) draw I and O there too. Embassy (使) and consulate
(领) plates are not accepted.

>>> validate('京a·12345')
'京A12345'
>>> is_valid('粤B D12345'), is_valid('沪A 12345F'), is_valid('冀O-81800'), is_valid('京A1234O')
(True, True, True, False)
"""

from __future__ import annotations

from firewall.checksums._text import ASCII_UPPER, is_ascii_digits, only_chars, remove_chars
from firewall.checksums.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["PROVINCES", "compact", "is_valid", "validate"]

PROVINCES = frozenset("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_PLATE_CHARS = _LETTERS + "0123456789"
_STANDARD_LAST = _PLATE_CHARS + "挂学警港澳"
_NEW_ENERGY_KIND = "DF"
# Middle dots seen in practice: U+00B7, U+2022, U+30FB, U+FF0E, and ASCII '.', '-', space.
_SEPARATORS = "·•・．.- "


def compact(text: str) -> str:
    """Remove separators and upper-case the letters.

    >>> compact('粤b · d1234 5')
    '粤BD12345'
    """
    return remove_chars(text, _SEPARATORS).upper()


def validate(text: str) -> str:
    """Return the compact plate or raise a ValidationError subclass."""
    plate = compact(text)
    if len(plate) not in (7, 8):
        raise InvalidLength("expected 7 (standard) or 8 (new energy) characters")
    if plate[0] not in PROVINCES:
        raise InvalidComponent("unknown province abbreviation")
    if plate[1] not in ASCII_UPPER:
        raise InvalidFormat("second character must be a letter")
    serial = plate[2:]
    if len(serial) == 5:
        valid = only_chars(serial[:4], _PLATE_CHARS) and serial[4] in _STANDARD_LAST
    else:
        small = serial[0] in _NEW_ENERGY_KIND and serial[1] in _PLATE_CHARS
        valid = (small and is_ascii_digits(serial[2:])) or (
            is_ascii_digits(serial[:5]) and serial[5] in _NEW_ENERGY_KIND
        )
    if not valid:
        raise InvalidFormat("serial does not match a standard or new-energy plate")
    return plate


def is_valid(text: str) -> bool:
    """True if ``text`` is a plausible mainland plate number; never raises."""
    return passes(validate, text)
