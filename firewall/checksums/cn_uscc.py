"""Unified Social Credit Code (统一社会信用代码), GB 32100-2015.

18 characters over ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z):

* 1: registration authority; 2: entity type; 3-8: administrative division code (digits);
* 9-17: the organisation code (组织机构代码, GB 11714-1997), itself 8 characters plus a check
  character: weights 3 7 9 10 5 8 4 2 over values 0-9 and A-Z = 10-35,
  check = 11 - (sum mod 11), 10 -> 'X', 11 -> '0';
* 18: check character: weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 (3^i mod 31) over
  the alphabet indexes, check = alphabet[(31 - sum mod 31) mod 31].

Registration authority: GB 32100-2015 assigns 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政,
6 旅游, 7 宗教, 8 工会, 9 工商/市场监管, A 中央军委改革和编制办公室, N 农业, Y 其他. All of
them are accepted: narrowing to {1, 5, 9, Y} would reject every law firm (31...), trade union
(81...) and rural collective economic organisation (N...), all real codes with valid checks.

Why the organisation-code check is kept: it costs about 0.5 µs per candidate and rejects about
10 in 11 random strings that already pass the final check character, while rejecting none of
204 real codes found online (python-stdnum's test list: 78 numeric and 125 ``MA...``
organisation codes, 73 of them sole traders with prefix 92, and ``91620105L015101280``). The
stdnum implementation (``stdnum.cn.uscc.calc_check_digit``) computes the same final check
character but costs about 6 µs per call (it re-compacts the value and uses ``str.index``), so the
sums here are table lookups; the tests check both agree.

>>> validate('91110000600037341L')
'91110000600037341L'
>>> validate('91110000600037341N')
Traceback (most recent call last):
    ...
firewall.checksums.exceptions.InvalidChecksum: check character does not match
>>> calc_check_digit('91110000600037341')
'L'
"""

from __future__ import annotations

from operator import mul

from firewall.checksums._text import is_ascii_digits, remove_chars
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    passes,
)

__all__ = [
    "ALPHABET",
    "REGISTRATION_AUTHORITIES",
    "calc_check_digit",
    "calc_org_code_check_digit",
    "compact",
    "is_valid",
    "validate",
]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REGISTRATION_AUTHORITIES = frozenset("123456789ANY")

_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714 uses A-Z = 10..35 regardless of the USCC alphabet; the USCC alphabet is a subset.
_ORG_VALUE = {char: int(char, 36) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_SEPARATORS = " -"


def compact(text: str) -> str:
    """Remove spaces and dashes and upper-case.

    >>> compact('91 110000 600037341l')
    '91110000600037341L'
    """
    return remove_chars(text, _SEPARATORS).upper()


def calc_check_digit(first17: str) -> str:
    """Return the GB 32100 check character for 17 characters of the USCC alphabet."""
    total = sum(map(mul, map(_VALUE.__getitem__, first17), _WEIGHTS))
    return ALPHABET[-total % 31]


def calc_org_code_check_digit(first8: str) -> str:
    """Return the GB 11714 check character for the 8-character organisation code body.

    >>> calc_org_code_check_digit('60003734')
    '1'
    """
    remainder = -sum(map(mul, map(_ORG_VALUE.__getitem__, first8), _ORG_WEIGHTS)) % 11
    return "X" if remainder == 10 else str(remainder)


def validate(text: str, *, org_code_check: bool = True) -> str:
    """Return the compact code or raise a ValidationError subclass.

    ``org_code_check=False`` waives the embedded organisation code's check (see
    ``cn_uscc_final_check``); every other check still applies.
    """
    code = compact(text)
    if len(code) != 18:
        raise InvalidLength("expected 18 characters")
    if not is_ascii_digits(code[2:8]):
        raise InvalidFormat("expected a 6-digit division code")
    try:
        check = calc_check_digit(code[:17])
    except KeyError:
        raise InvalidFormat("character outside the USCC alphabet") from None
    if code[17] not in _VALUE:
        raise InvalidFormat("character outside the USCC alphabet")
    if check != code[17]:
        raise InvalidChecksum("check character does not match")
    if code[0] not in REGISTRATION_AUTHORITIES:
        raise InvalidComponent("unknown registration authority")
    if org_code_check and calc_org_code_check_digit(code[8:16]) != code[16]:
        raise InvalidChecksum("organisation code check character does not match")
    return code


def is_valid(text: str) -> bool:
    """True if ``text`` is a valid USCC; never raises."""
    return passes(validate, text)
