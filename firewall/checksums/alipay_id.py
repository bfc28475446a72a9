"""Alipay user ids (支付宝用户号, the ``2088...`` partner/user id in Alipay open-platform APIs).

16 digits starting with 2088. There is no check digit: the prefix and length are the whole
format, so detection should also want a key name or context cue before trusting a match.

>>> validate('2088 1020 3040 5060')
'2088102030405060'
>>> is_valid('2089102030405060'), is_valid('208810203040506')
(False, False)
"""

from __future__ import annotations

from firewall.checksums._text import is_ascii_digits, remove_chars
from firewall.checksums.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["compact", "is_valid", "validate"]

_PREFIX = "2088"
_LENGTH = 16
_SEPARATORS = " -"


def compact(text: str) -> str:
    """Remove spaces and dashes.

    >>> compact('2088-1020-3040-5060')
    '2088102030405060'
    """
    return remove_chars(text, _SEPARATORS)


def validate(text: str) -> str:
    """Return the compact id or raise a ValidationError subclass."""
    number = compact(text)
    if not is_ascii_digits(number):
        raise InvalidFormat("expected ASCII digits")
    if len(number) != _LENGTH:
        raise InvalidLength("expected 16 digits")
    if not number.startswith(_PREFIX):
        raise InvalidComponent("Alipay user ids start with 2088")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is 16 digits starting with 2088; never raises."""
    return passes(validate, text)
