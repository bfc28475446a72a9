"""IPv6 addresses in text form (RFC 4291 section 2.2, RFC 5952).

A cheap screen runs first (length, at least two colons, only hex digits, colons and dots), then
``ipaddress.IPv6Address`` decides (about 2-3 µs, only for strings that could be addresses).
Zone indexes (``fe80::1%eth0``) and brackets are not accepted. ``::`` and ``::1`` are valid
addresses; whether they are personal information is policy.

>>> validate('2001:DB8::8a2e:370:7334')
'2001:db8::8a2e:370:7334'
>>> is_valid('::ffff:192.0.2.1'), is_valid('2001:db8:::1'), is_valid('std::vector')
(True, False, False)
"""

from __future__ import annotations

from ipaddress import IPv6Address

from firewall.checksums._text import only_chars
from firewall.checksums.exceptions import InvalidFormat, InvalidLength, passes

__all__ = ["compact", "is_valid", "validate"]

_ADDRESS_CHARS = "0123456789abcdef:."
# '::' is the shortest; 8 groups of 4 hex digits with 7 colons, or 6 groups and a dotted quad,
# is the longest (45 characters).
_MIN_LENGTH = 2
_MAX_LENGTH = 45


def compact(text: str) -> str:
    """Strip surrounding whitespace and lower-case (RFC 5952 section 4.3).

    >>> compact(' FE80::1 ')
    'fe80::1'
    """
    return text.strip().lower()


def validate(text: str) -> str:
    """Return the lower-cased address as written, or raise a ValidationError subclass."""
    address = compact(text)
    if not _MIN_LENGTH <= len(address) <= _MAX_LENGTH:
        raise InvalidLength("expected 2 to 45 characters")
    if address.count(":") < 2 or not only_chars(address, _ADDRESS_CHARS):
        raise InvalidFormat("expected hex groups separated by colons")
    try:
        IPv6Address(address)
    except ValueError:
        raise InvalidFormat("not an IPv6 address") from None
    return address


def is_valid(text: str) -> bool:
    """True if ``text`` is an IPv6 address; never raises."""
    return passes(validate, text)
