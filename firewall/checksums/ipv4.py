"""IPv4 addresses in dotted-decimal form (RFC 791, text form as in RFC 6943 section 3.1.1).

Four decimal octets 0-255 separated by dots, without leading zeros (``01`` is octal to some
parsers and a version-string fragment more often than an address). ``0.0.0.0`` and other
special-purpose addresses are valid here: deciding that a loopback or unspecified address is
not personal information is policy, and rejecting version-string shapes such as ``1.2.3.4`` in
``v1.2.3.4`` is the detection engine's job (it sees the neighbouring characters).

>>> validate(' 192.168.1.254 ')
'192.168.1.254'
>>> is_valid('256.1.1.1'), is_valid('10.01.1.1'), is_valid('1.2.3')
(False, False, False)
"""

from __future__ import annotations

from firewall.checksums._text import is_ascii_digits
from firewall.checksums.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["compact", "is_valid", "validate"]

_MAX_LENGTH = len("255.255.255.255")


def compact(text: str) -> str:
    """Strip surrounding whitespace; the ideographic full stop (U+3002) that a Chinese input
    method types for a dot counts as one.

    >>> compact(' 10.0.0.1\\n'), compact('192。168。1。1')
    ('10.0.0.1', '192.168.1.1')
    """
    return text.strip().replace("\u3002", ".")


def validate(text: str) -> str:
    """Return the address or raise a ValidationError subclass."""
    address = compact(text)
    if len(address) > _MAX_LENGTH:
        raise InvalidLength("longer than 255.255.255.255")
    octets = address.split(".")
    if len(octets) != 4:
        raise InvalidFormat("expected four dot-separated octets")
    for octet in octets:
        if not is_ascii_digits(octet) or len(octet) > 3 or (octet[0] == "0" and len(octet) > 1):
            raise InvalidFormat("octets are 1-3 digits without leading zeros")
        if int(octet) > 255:
            raise InvalidComponent("octet above 255")
    return address


def is_valid(text: str) -> bool:
    """True if ``text`` is a dotted-decimal IPv4 address; never raises."""
    return passes(validate, text)
