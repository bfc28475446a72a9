"""International Mobile Equipment Identity, 3GPP TS 23.003 section 6.2.

Accepted:

* IMEI, 15 digits: TAC (8) + serial (6) + Luhn check digit over the first 14;
* IMEISV, 16 digits: TAC (8) + serial (6) + software version number (2), no check digit. Without a
  check digit any 16 digits would do, so the shape is checked instead: the first two digits are a
  reporting body identifier that GSMA has allocated (GSMA TS.06: 01 PTCRB, 10 DECT, 30 Iridium,
  33 France, 35/44/98 BABT, 45 Denmark, 49 Germany, 50-54 European bodies, 86 TAF China, 91 MSAI
  India, 99 GHA) and the SVN is not 99, which TS 23.003 reserves.

A 14-digit IMEI without its check digit is rejected (any 14 digits would pass), and so is one
digit repeated (000000000000000 passes Luhn).

>>> validate('35-209900-176148-1')
'352099001761481'
>>> is_valid('352099001761482')
False
>>> is_valid('35-209900-176148-23')  # IMEISV
True
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
from firewall.checksums.luhn import checksum as luhn_checksum

__all__ = ["REPORTING_BODY_IDS", "compact", "is_valid", "validate"]

REPORTING_BODY_IDS = frozenset(
    {"01", "10", "30", "33", "35", "44", "45", "49", "50", "51", "52", "53", "54", "86", "91"} | {"98", "99"}
)
_RESERVED_SVN = "99"
_SEPARATORS = " -/"


def compact(text: str) -> str:
    """Remove spaces, dashes and slashes.

    >>> compact('35 209900 176148/23')
    '3520990017614823'
    """
    return remove_chars(text, _SEPARATORS)


def validate(text: str) -> str:
    """Return the compact IMEI or IMEISV, or raise a ValidationError subclass."""
    number = compact(text)
    if not is_ascii_digits(number):
        raise InvalidFormat("expected ASCII digits")
    if is_repeated_char(number):
        raise InvalidComponent("one digit repeated")
    if len(number) == 15:
        if luhn_checksum(number):
            raise InvalidChecksum("Luhn checksum fails")
    elif len(number) == 16:
        if number[:2] not in REPORTING_BODY_IDS or number[14:] == _RESERVED_SVN:
            raise InvalidComponent("not an allocated TAC prefix or a reserved SVN")
    else:
        raise InvalidLength("expected 15 (IMEI) or 16 (IMEISV) digits")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is a 15-digit IMEI passing Luhn or a plausible IMEISV; never raises."""
    return passes(validate, text)
