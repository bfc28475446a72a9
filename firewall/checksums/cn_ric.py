"""China Resident Identity Card number (公民身份号码), GB 11643-1999.

An 18-character number: a 6-digit address code (GB/T 2260 administrative division), the birth date
YYYYMMDD, a 3-digit sequence (odd for men, even for women) and a check character computed with
ISO 7064 MOD 11-2: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over the first 17 digits, the sum
mod 11 indexes ``10X98765432``. The legacy 15-digit number (issued before 1999) has a 2-digit
year (19YY), a 3-digit sequence and no check character.

What this validator checks, and why it checks less than ``stdnum.cn.ric``:

* the check character (computed by ``stdnum.cn.ric.calc_check_digit``);
* the birth date is a real date from 1900-01-01 to today;
* the first two digits are a province-level code (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71,
  81-83 for Hong Kong, Macau and Taiwan residence permits, 91). The full 6-digit county code is not
  checked: stdnum also demands that the county existed in the birth year, which rejects real ids
  issued under codes created or renamed later and most generated test ids;
* a leading 9 is the foreigner permanent residence card (2023 format); it is accepted with its
  date and check character only.

>>> validate('11010519491231002x')
'11010519491231002X'
>>> validate('110105 19491231 0021')
Traceback (most recent call last):
    ...
firewall.checksums.exceptions.InvalidChecksum: check character does not match
>>> is_valid('110105491231002')
True
>>> birthdate_from_resident_id('11010519491231002X')
datetime.date(1949, 12, 31)
"""

from __future__ import annotations

from datetime import date

from stdnum.cn.ric import calc_check_digit as _stdnum_check_digit

from firewall.checksums._dates import checked_birth_date
from firewall.checksums._text import is_ascii_digits, remove_chars
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
    passes,
)

__all__ = [
    "PROVINCE_CODES",
    "birthdate_from_resident_id",
    "calc_check_digit",
    "compact",
    "is_valid",
    "validate",
]

# First two digits of the address code: provinces, autonomous regions and municipalities (GB/T 2260)
# plus 71 Taiwan, 81/82/83 residence permits for Hong Kong, Macau and Taiwan residents, and 91.
PROVINCE_CODES = frozenset(
    {
        *("11", "12", "13", "14", "15"),
        *("21", "22", "23"),
        *("31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46"),
        *("50", "51", "52", "53", "54"),
        *("61", "62", "63", "64", "65"),
        *("71", "81", "82", "83", "91"),
    }
)

_SEPARATORS = " -"


def compact(text: str) -> str:
    """Remove spaces and dashes and upper-case the check character.

    >>> compact('110105 1949 1231 002x')
    '11010519491231002X'
    """
    return remove_chars(text, _SEPARATORS).upper()


def calc_check_digit(first17: str) -> str:
    """Return the MOD 11-2 check character ('0'-'9' or 'X') for 17 ASCII digits.

    >>> calc_check_digit('11010519491231002')
    'X'
    """
    # stdnum computes the weighted sum as int(digits, 13) (13 = 2 mod 11) and reads only [:-1].
    return _stdnum_check_digit(first17 + "0")


def validate(text: str) -> str:
    """Return the compact number or raise a ValidationError subclass saying what is wrong."""
    number = compact(text)
    if len(number) == 18:
        _validate_18(number)
    elif len(number) == 15:
        _validate_15(number)
    else:
        raise InvalidLength("expected 18 or 15 characters")
    return number


def is_valid(text: str) -> bool:
    """True if ``text`` is a valid 18- or 15-digit resident id; never raises."""
    return passes(validate, text)


def birthdate_from_resident_id(id_text: str) -> date | None:
    """Return the birth date in a valid resident id, or None if the id is not valid.

    >>> birthdate_from_resident_id('110105491231002')
    datetime.date(1949, 12, 31)
    >>> birthdate_from_resident_id('110105194912310021') is None
    True
    """
    if not isinstance(id_text, str):
        return None
    try:
        number = validate(id_text)
    except ValidationError:
        return None
    if len(number) == 18:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))


def _validate_18(number: str) -> None:
    if not is_ascii_digits(number[:17]) or number[17] not in "0123456789X":
        raise InvalidFormat("expected 17 digits and a digit or X")
    # A leading 9 is the foreigner permanent residence card; its 2nd-6th digits are not a county.
    if number[0] != "9" and number[:2] not in PROVINCE_CODES:
        raise InvalidComponent("unknown province code")
    if _stdnum_check_digit(number) != number[17]:
        raise InvalidChecksum("check character does not match")
    checked_birth_date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def _validate_15(number: str) -> None:
    if not is_ascii_digits(number):
        raise InvalidFormat("expected 15 digits")
    if number[:2] not in PROVINCE_CODES:
        raise InvalidComponent("unknown province code")
    checked_birth_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
