"""E-mail addresses (RFC 5321/5322 dot-atom form, ASCII only).

* exactly one ``@``; local part 1-64 characters of RFC 5322 ``atext`` and dots, not starting or
  ending with a dot; whole address at most 254 characters (RFC 5321 path limit);
* domain: at least two labels of letters, digits and hyphens (no leading or trailing hyphen,
  1-63 characters each), ending in a top-level domain of 2-24 ASCII letters;
* no consecutive dots anywhere.

ASCII only on purpose: in Chinese text a Han character next to an address (``联系我abc@x.com``)
must not become part of it, and internationalised addresses are rare in egress payloads.
Quoted local parts and IP-literal domains are not accepted. Punycode TLDs (``xn--fiqs8s``)
are not accepted either (letters only).

>>> validate('Zhang.Wei+news@Example.com.cn')
'Zhang.Wei+news@Example.com.cn'
>>> is_valid('a..b@example.com'), is_valid('张伟@example.com'), is_valid('a@example.c')
(False, False, False)
"""

from __future__ import annotations

from firewall.checksums._text import only_chars
from firewall.checksums.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = ["compact", "is_valid", "validate"]

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_LOCAL_CHARS = _ALNUM + "!#$%&'*+/=?^_`{|}~-."
_LABEL_CHARS = _ALNUM + "-"
_MAX_ADDRESS = 254
_MAX_LOCAL = 64
_MAX_LABEL = 63
_TLD_LENGTHS = range(2, 25)


def compact(text: str) -> str:
    """Strip surrounding whitespace (case is kept: local parts may be case-sensitive).

    >>> compact(' a@example.com ')
    'a@example.com'
    """
    return text.strip()


def validate(text: str) -> str:
    """Return the address or raise a ValidationError subclass."""
    address = compact(text)
    if len(address) > _MAX_ADDRESS:
        raise InvalidLength("address longer than 254 characters")
    if not address.isascii() or address.count("@") != 1 or ".." in address:
        raise InvalidFormat("expected one @, ASCII only, no consecutive dots")
    local, _, domain = address.partition("@")
    if not 0 < len(local) <= _MAX_LOCAL:
        raise InvalidLength("local part must be 1-64 characters")
    if not only_chars(local, _LOCAL_CHARS) or local[0] == "." or local[-1] == ".":
        raise InvalidFormat("character not allowed in the local part")
    labels = domain.split(".")
    if len(labels) < 2:
        raise InvalidFormat("domain needs a top-level domain")
    for label in labels:
        if (
            not 0 < len(label) <= _MAX_LABEL
            or not only_chars(label, _LABEL_CHARS)
            or label[0] == "-"
            or label[-1] == "-"
        ):
            raise InvalidFormat("invalid domain label")
    tld = labels[-1]
    if len(tld) not in _TLD_LENGTHS or not tld.isalpha():
        raise InvalidComponent("top-level domain must be 2-24 letters")
    return address


def is_valid(text: str) -> bool:
    """True if ``text`` is an ASCII e-mail address; never raises."""
    return passes(validate, text)
