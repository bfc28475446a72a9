"""Mainland China fixed-line numbers with an area code (ITU-T E.164 country code 86).

Accepted forms: ``010-62345678``, ``0755 2345 6789``, ``(021)62345678``,
``（0757）8566077``, ``0898—77327878`` (em or en dash), ``02162345678``, ``+86 10 62345678``,
``0086 755 23456789``. After the trunk prefix 0 comes a 2-digit area code (Beijing 10 and 2X,
8-digit local numbers) or a 3-digit one (3XX-9XX, 7- or 8-digit local numbers by city). The
area codes and each city's local-number length come from libphonenumber's CN fixed-line pattern
(see ``cn_area_codes``). Local subscriber numbers never start with 0 (trunk prefix) or 1 (service
numbers), so ``010-12345678`` is rejected although it has the right shape.

An extension may follow the number (``021-34842236-7707``, ``0411-5745950转7580``, ``分机123``,
``ext. 882``, ``x123``; up to 6 digits): it is not part of the number and only its form is checked.

>>> validate('+86 10 62345678')
'01062345678'
>>> is_valid('(021)62345678'), is_valid('0755 2345 6789'), is_valid('0261 2345678')
(True, True, False)
>>> is_valid('（0757）8566077'), is_valid('0898—77327878')
(True, True)
>>> validate('0760-64106731 ext. 882'), is_valid('021-34842236-7707'), is_valid('010-12345678-2024')
('076064106731', True, False)
"""

from __future__ import annotations

import re

from firewall.checksums._text import is_ascii_digits, remove_chars
from firewall.checksums.cn_area_codes import LOCAL7_CODES_3, LOCAL8_CODES_2, LOCAL8_CODES_3
from firewall.checksums.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
    passes,
)

__all__ = ["compact", "is_valid", "split_area_code", "validate"]

_SEPARATORS = " -()（）—–"
_EXTENSION = re.compile(r"(?:-| ?(?:转|分机|ext\.?) ?| ?x)[0-9]{1,6}$", re.IGNORECASE)


def compact(text: str) -> str:
    """Remove separators and the +86 or 0086 prefix; return the number with its trunk 0.

    >>> compact('+86 10 6234-5678'), compact('(0755) 2345 6789')
    ('01062345678', '075523456789')
    """
    number = remove_chars(text, _SEPARATORS)
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    else:
        return number
    # International form drops the trunk 0, but "+86 010 ..." (kept by mistake) is common too.
    return number if number.startswith("0") else "0" + number


def split_area_code(number: str) -> tuple[str, str]:
    """Split a compact number (starting with the trunk 0) into area code and local number.

    The split is unambiguous: 2-digit codes start with 1 or 2, 3-digit codes with 3-9.

    >>> split_area_code('075523456789')
    ('755', '23456789')
    """
    width = 2 if number[1:2] in ("1", "2") else 3
    return number[1 : 1 + width], number[1 + width :]


def validate(text: str) -> str:
    """Return the compact number (with trunk 0, without an extension) or raise a ValidationError
    subclass."""
    try:
        return _validate_number(compact(text))
    except ValidationError:
        # Only now look for an extension: "0755-8654-3210" is a number, not 0755-8654 ext. 3210.
        extension = _EXTENSION.search(text)
        if extension is None:
            raise
        return _validate_number(compact(text[: extension.start()]))


def _validate_number(number: str) -> str:
    if not is_ascii_digits(number) or number[0] != "0":
        raise InvalidFormat("expected ASCII digits starting with the trunk prefix 0")
    if len(number) not in (11, 12):
        raise InvalidLength("expected 11 or 12 digits with the trunk prefix")
    area, local = split_area_code(number)
    if len(area) == 2:
        known, length_ok = area in LOCAL8_CODES_2, len(local) == 8
    else:
        # Cities moved from 7- to 8-digit numbers at different times and numbers are still
        # written both ways (and generated both ways by test-data tools): any 3-digit area code
        # takes either length. The per-city table stays for the 2-digit codes.
        known = area in LOCAL7_CODES_3 or area in LOCAL8_CODES_3
        length_ok = len(local) in (7, 8)
    if not known:
        raise InvalidComponent("unknown area code")
    if not length_ok:
        raise InvalidLength("local number length not used in this area")
    if local[0] in "01":
        raise InvalidComponent("local numbers do not start with 0 or 1")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is a fixed-line number with a real area code; never raises."""
    return passes(validate, text)
