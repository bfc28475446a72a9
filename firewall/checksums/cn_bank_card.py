"""Payment card numbers issued in China or by the international schemes used there.

Checks, cheapest first: 15-19 ASCII digits; not one digit repeated; the issuer identification
number (IIN, ISO/IEC 7812) belongs to a known scheme with the length that scheme issues; Luhn
(ISO/IEC 7812-1 Annex B).

=========== ============================ ========
scheme      IIN prefix                   length
=========== ============================ ========
UnionPay    62, 81                       16-19
Visa        4                            16-19
Mastercard  51-55, 2221-2720             16-19
JCB         35                           16-19
Amex        34, 37                       15
=========== ============================ ========

Some UnionPay cards are reported not to pass Luhn; that report is unconfirmed and such cards are
rejected here (a Luhn-less 62... number is indistinguishable from an order id without context).

>>> validate('6222 0212 3456 7890 128')
'6222021234567890128'
>>> card_scheme('378282246310005')
'amex'
>>> is_valid('6011111111111117')  # Discover: not a scheme listed above
False
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

__all__ = ["card_scheme", "compact", "is_valid", "validate"]

_SEPARATORS = " -"
_AMEX_LENGTH = 15
_MAX_LENGTH = 19

# Two-digit IIN prefix -> scheme; Mastercard's 2221-2720 range is tested separately.
_SCHEME_BY_PREFIX2: dict[str, str] = {
    "62": "unionpay",
    "81": "unionpay",
    "35": "jcb",
    "34": "amex",
    "37": "amex",
    **{str(prefix): "mastercard" for prefix in range(51, 56)},
}


def card_scheme(number: str) -> str | None:
    """Return the scheme for a compact card number's IIN, or None if it is not one we accept.

    >>> card_scheme('2221000000000009'), card_scheme('2720990000000000'), card_scheme('2721')
    ('mastercard', 'mastercard', None)
    """
    if number[:1] == "4":
        return "visa"
    scheme = _SCHEME_BY_PREFIX2.get(number[:2])
    if scheme is not None:
        return scheme
    if number[:1] == "2" and is_ascii_digits(number[:4]) and 2221 <= int(number[:4]) <= 2720:
        return "mastercard"
    return None


def compact(text: str) -> str:
    """Remove spaces and dashes.

    >>> compact('6222-0212 3456 7890 128')
    '6222021234567890128'
    """
    return remove_chars(text, _SEPARATORS)


def validate(text: str) -> str:
    """Return the compact card number or raise a ValidationError subclass."""
    number = compact(text)
    if not is_ascii_digits(number):
        raise InvalidFormat("expected ASCII digits")
    if not _AMEX_LENGTH <= len(number) <= _MAX_LENGTH:
        raise InvalidLength("expected 15 to 19 digits")
    if is_repeated_char(number):
        raise InvalidComponent("one digit repeated")
    scheme = card_scheme(number)
    if scheme is None:
        raise InvalidComponent("issuer prefix of no accepted scheme")
    if (len(number) == _AMEX_LENGTH) != (scheme == "amex"):
        raise InvalidLength("length not issued by this scheme")
    if luhn_checksum(number):
        raise InvalidChecksum("Luhn checksum fails")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is a plausible card number; never raises."""
    return passes(validate, text)
