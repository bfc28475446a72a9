"""IEEE 802 MAC-48 / EUI-48 addresses in their usual text forms.

Six groups of two hex digits separated by ``:`` or ``-`` (one separator throughout, IEEE 802
canonical form uses ``-``), or three groups of four separated by ``.`` (Cisco). The all-zero and
broadcast (FF:FF:FF:FF:FF:FF) addresses identify no device and are rejected. Bare 12-digit hex is
not accepted: it is indistinguishable from hashes and ids.

>>> validate('00-1a-2B-3c-4D-5e')
'00:1A:2B:3C:4D:5E'
>>> is_valid('001a.2b3c.4d5e'), is_valid('00:1a-2b:3c:4d:5e'), is_valid('ff-ff-ff-ff-ff-ff')
(True, False, False)
"""

from __future__ import annotations

from firewall.checksums._text import HEX_DIGITS, only_chars
from firewall.checksums.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["compact", "is_valid", "validate"]

_SEPARATOR_FORMS = {17: ((":", "-"), 6, 2), 14: ((".",), 3, 4)}
_NOT_A_DEVICE = frozenset(("000000000000", "FFFFFFFFFFFF"))


def compact(text: str) -> str:
    """Remove separators and upper-case: 12 hex digits for a valid address.

    >>> compact('001a.2b3c.4d5e')
    '001A2B3C4D5E'
    """
    return text.strip().replace(":", "").replace("-", "").replace(".", "").upper()


def validate(text: str) -> str:
    """Return the address as ``XX:XX:XX:XX:XX:XX`` or raise a ValidationError subclass.

    Not the compact form: bare hex is not accepted, so the canonical grouped form is returned.
    """
    address = text.strip()
    form = _SEPARATOR_FORMS.get(len(address))
    if form is None:
        raise InvalidLength("expected 17 (xx:xx:...) or 14 (xxxx.xxxx.xxxx) characters")
    separators, group_count, group_width = form
    separator = address[group_width]
    if separator not in separators:
        raise InvalidFormat("unexpected separator")
    groups = address.split(separator)
    if len(groups) != group_count or any(len(group) != group_width for group in groups):
        raise InvalidFormat("groups of the wrong size")
    digits = "".join(groups)
    if not only_chars(digits, HEX_DIGITS):
        raise InvalidFormat("non-hex character")
    digits = digits.upper()
    if digits in _NOT_A_DEVICE:
        raise InvalidComponent("all-zero or broadcast address")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def is_valid(text: str) -> bool:
    """True if ``text`` is a grouped MAC address of a device; never raises."""
    return passes(validate, text)
