"""A MAC-48 address written as 12 bare hex digits (``3C22FB12AB9E``), as device inventories do.

Bare hex is indistinguishable from hashes and ids, so ``mac`` rejects it; rules use this validator
only where a JSON key says the value is a MAC address. The all-zero and broadcast addresses are
rejected as in ``mac``.

>>> validate('3c22fb12ab9e')
'3C22FB12AB9E'
>>> is_valid('3C22FB12AB9E'), is_valid('000000000000'), is_valid('3C22FB12AB9')
(True, False, False)
"""

from __future__ import annotations

from firewall.checksums import mac
from firewall.checksums._text import HEX_DIGITS, only_chars
from firewall.checksums.exceptions import InvalidFormat, InvalidLength, passes

__all__ = ["compact", "is_valid", "validate"]


def compact(text: str) -> str:
    """Strip surrounding space and upper-case.

    >>> compact(' 3c22fb12ab9e ')
    '3C22FB12AB9E'
    """
    return text.strip().upper()


def validate(text: str) -> str:
    """Return the 12 upper-case hex digits or raise a ValidationError subclass."""
    digits = compact(text)
    if len(digits) != 12:
        raise InvalidLength("expected 12 hex digits")
    if not only_chars(digits, HEX_DIGITS):
        raise InvalidFormat("non-hex character")
    mac.validate(":".join(digits[i : i + 2] for i in range(0, 12, 2)))  # all-zero, broadcast
    return digits


def is_valid(text: str) -> bool:
    """True if ``text`` is 12 bare hex digits naming a device; never raises."""
    return passes(validate, text)
