"""Mainland China mobile numbers (ITU-T E.164 country code 86, 11-digit national numbers).

Accepted forms: ``13812345678``, ``138 1234 5678``, ``138-1234-5678``, ``+86 138 1234 5678``,
``+8613812345678``, ``0086-138-1234-5678``, ``(+86)13812345678``, ``（+86）13812345678``,
``8613812345678``, other groupings (``178 645 23443``, ``1705 3241 851``), ``147.5405.4719`` and
``+86 (159) 6080 4653``.

The national number must start with an allocated mobile segment. The spec is the libphonenumber
(2024) CN mobile pattern ``1740[0-5]\\d{6}|1(?:[38]\\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\\d{8}``
(so 162, 192 and 193 are mobile; 154 and 194 are not), plus:

* 149, the China Telecom data-only segment (145 and 147 are already in the pattern);
* 1610, added to the mobile pattern by libphonenumber 9.0 (phonenumbers 9.0.43);
* 141, 146 and 148, the operators' 11-digit IoT data segments, and the whole of 174 (satellite
  and emergency-communication numbers; libphonenumber has only 1740[0-5]). libphonenumber leaves
  them out, but jionlp's operator table lists them and test-data generators draw numbers from it;
  the SIMs behind them are still reachable and often carried by a person.

The segments are precomputed as sets of 3- and 5-digit prefixes: a lookup is two set probes.

>>> validate('+86 138 1234 5678')
'13812345678'
>>> is_valid('(+86)19212345678'), is_valid('15412345678'), is_valid('14912345678')
(True, False, True)
>>> validate('+86 (159) 6080 4653'), validate('147.5405.4719')
('15960804653', '14754054719')
"""

from __future__ import annotations

from firewall.checksums._text import is_ascii_digits, remove_chars
from firewall.checksums.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["MOBILE_PREFIXES_3", "MOBILE_PREFIXES_5", "compact", "is_valid", "validate"]


def _expand(head: str, tails: str) -> set[str]:
    return {head + tail for tail in tails}


# 1[38]x, 14[57] (+149, IoT 141/146/148), 1[59][0-35-9], 16[25-7], 17[0-35-8] (+174)
MOBILE_PREFIXES_3 = frozenset(
    _expand("13", "0123456789")
    | _expand("18", "0123456789")
    | _expand("14", "156789")
    | _expand("15", "012356789")
    | _expand("19", "012356789")
    | _expand("16", "2567")
    | _expand("17", "012345678")
)
# 1610x: a segment where only part of the 3-digit block is mobile.
MOBILE_PREFIXES_5 = frozenset(_expand("1610", "0123456789"))

_SEPARATORS = " -().（）"
_NATIONAL_LENGTH = 11


def compact(text: str) -> str:
    """Remove separators and the +86, 0086 or 86 prefix; return the national number.

    >>> compact('0086-138-1234-5678'), compact('(+86)13812345678'), compact('8613812345678')
    ('13812345678', '13812345678', '13812345678')
    """
    number = remove_chars(text, _SEPARATORS)
    if number.startswith("+86"):
        return number[3:]
    if number.startswith("0086"):
        return number[4:]
    # A bare 86 prefix only when the rest is a full national number (E.164 without the plus).
    if len(number) == _NATIONAL_LENGTH + 2 and number.startswith("861"):
        return number[2:]
    return number


def validate(text: str) -> str:
    """Return the 11-digit national number or raise a ValidationError subclass."""
    number = compact(text)
    if len(number) != _NATIONAL_LENGTH:
        raise InvalidLength("expected an 11-digit national number")
    if not is_ascii_digits(number):
        raise InvalidFormat("expected ASCII digits")
    if number[:3] not in MOBILE_PREFIXES_3 and number[:5] not in MOBILE_PREFIXES_5:
        raise InvalidComponent("not an allocated mobile segment")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is a mainland mobile number in an accepted form; never raises."""
    return passes(validate, text)
