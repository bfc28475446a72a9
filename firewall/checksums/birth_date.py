"""Dates of birth written as text, and the under-14 test for minors' personal information.

Accepted forms (ASCII digits; month and day may drop the leading zero except in the 8-digit
form): ``1990-01-02``, ``1990/1/2``, ``1990.01.02``, ``19900102``, ``1990年1月2日`` (also ending in
号), and an ISO date with the time of day that JSON serialisers and test-data generators append to
a birth date (``1990-01-02T00:00:00``, ``.000``, ``Z``, ``+08:00``; or after a space). Also, as
forms and other locales write them: the year last (``02/01/1990``: day and month in either order),
English month names (``Jan 2, 1990``, ``2 January 1990``, ``02-Jan-1990``) and a year in Chinese
numerals (``一九九〇年1月2日``, ``一九九〇年一月二日``). The date must exist and lie between 1900-01-01
and today; when both orders of day and month give one, the later date is taken (the cautious
reading for the under-14 test).

PIPL Art. 28 and 31 treat personal information of a minor under 14 (不满十四周岁) as sensitive.
Age here follows the Chinese rule for 周岁 (full years, Gregorian calendar, reached from the day
*after* the birthday: Supreme People's Court interpretation on juvenile criminal cases, 2006,
art. 2), so a child is still under 14 on the 14th birthday itself; this is also the cautious
reading for a firewall. A 29 February birthday counts as 28 February in common years.

>>> validate('1990年1月2日')
'1990-01-02'
>>> from datetime import date
>>> is_minor_birthdate('2012-03-01', today=date(2026, 3, 1))
True
>>> is_minor_birthdate('2012-03-01', today=date(2026, 3, 2))
False
"""

from __future__ import annotations

import re
from datetime import date

from firewall.checksums._dates import checked_birth_date
from firewall.checksums._text import is_ascii_digits
from firewall.checksums.cn_ric import birthdate_from_resident_id
from firewall.checksums.exceptions import InvalidFormat, InvalidLength, ValidationError, passes

__all__ = [
    "MINOR_AGE",
    "birthdate_from_resident_id",
    "compact",
    "is_minor_birthdate",
    "is_valid",
    "parse_birth_date",
    "validate",
]

MINOR_AGE = 14
_SEPARATORS = "-/."
_MAX_LENGTH = len("September 30th, 1990")
_ISO_DATETIME = re.compile(
    r"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})[T ][0-9]{2}:[0-9]{2}"  # the date, then hours and minutes
    r"(?::[0-9]{2}(?:\.[0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"  # seconds, fraction, zone
)


def compact(text: str) -> str:
    """Strip surrounding whitespace, and the time of day after an ISO date.

    >>> compact(' 1990/1/2 '), compact('1990-01-02T00:00:00.000+08:00'), compact('1990-1-2 08:30')
    ('1990/1/2', '1990-01-02', '1990-1-2')
    """
    value = text.strip()
    datetime = _ISO_DATETIME.fullmatch(value)
    return datetime.group(1) if datetime else value


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4})")
_DAY_FIRST = re.compile(r"([0-9]{1,2})[ -]([A-Za-z]+)\.?[ ,-]+([0-9]{4})")
_YEAR_LAST = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})")
_HAN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _han_number(text: str) -> str:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23, 三十一 → 31; digits stay digits, and anything else
    is returned for the caller to reject."""
    digits = text.translate(_HAN_DIGITS)
    tens, ten, units = digits.partition("十")
    if not ten or len(tens) > 1 or len(units) > 1 or not is_ascii_digits(tens + units or "0"):
        return digits
    return str(int(tens or "1") * 10 + int(units or "0"))


def _readings(value: str) -> list[tuple[str, str, str]]:
    """The (year, month, day) strings a value may mean; more than one when day and month may be
    in either order."""
    if (named := _MONTH_FIRST.fullmatch(value) or _DAY_FIRST.fullmatch(value)) is not None:
        first, second, year = named.groups()
        month, day = (first, second) if first[0].isalpha() else (second, first)
        number = _MONTHS.get(month.lower())
        if number is None:
            raise InvalidFormat("not an English month name")
        return [(year, str(number), day)]
    if (year_last := _YEAR_LAST.fullmatch(value)) is not None:
        first, _, second, year = year_last.groups()
        return [(year, second, first), (year, first, second)]
    if "年" in value and not value[:4].isascii():
        year, _, rest = value.partition("年")
        month, _, day = rest.partition("月")
        value = f"{year.translate(_HAN_DIGITS)}年{_han_number(month)}月{_han_number(day[:-1])}{day[-1:]}"
    return [_split(value)]


def _split(value: str) -> tuple[str, str, str]:
    """Split into year, month and day strings without checking they are digits."""
    if len(value) == 8 and is_ascii_digits(value):
        return value[:4], value[4:6], value[6:]
    if "年" in value:
        year, _, rest = value.partition("年")
        month, _, day = rest.partition("月")
        if not day or day[-1] not in "日号":
            raise InvalidFormat("expected YYYY年M月D日")
        return year, month, day[:-1]
    separator = value[4:5]
    if not separator or separator not in _SEPARATORS:
        raise InvalidFormat("expected YYYY-MM-DD, YYYY/M/D, YYYY.MM.DD, YYYYMMDD or YYYY年M月D日")
    parts = value.split(separator)
    if len(parts) != 3:
        raise InvalidFormat("expected three parts with one kind of separator")
    return parts[0], parts[1], parts[2]


def parse_birth_date(text: str, today: date | None = None) -> date:
    """Return the date in ``text`` or raise a ValidationError subclass.

    ``today`` bounds the date (default: the local date); pass it to make results reproducible.

    >>> parse_birth_date('2000.2.29'), parse_birth_date('20000229')
    (datetime.date(2000, 2, 29), datetime.date(2000, 2, 29))
    """
    value = compact(text)
    if len(value) > _MAX_LENGTH:
        raise InvalidLength("too long for a date")
    dates: list[date] = []
    error: ValidationError | None = None
    for year, month, day in _readings(value):
        if (
            len(year) != 4
            or not 1 <= len(month) <= 2
            or not 1 <= len(day) <= 2
            or not is_ascii_digits(year + month + day)
        ):
            raise InvalidFormat("expected a 4-digit year and 1-2 digit month and day")
        try:
            dates.append(checked_birth_date(int(year), int(month), int(day), today))
        except ValidationError as invalid:
            error = invalid
    if not dates:
        assert error is not None
        raise error
    return max(dates)


def validate(text: str) -> str:
    """Return the date as ISO 8601 ``YYYY-MM-DD`` or raise a ValidationError subclass."""
    return parse_birth_date(text).isoformat()


def is_valid(text: str) -> bool:
    """True if ``text`` is a real date of birth (1900..today) in an accepted form; never raises."""
    return passes(parse_birth_date, text)


def is_minor_birthdate(date_text: str, today: date) -> bool:
    """True if someone born on ``date_text`` is under 14 on ``today``.

    False when the text is not a valid date of birth on ``today`` (including future dates):
    the caller cannot act on an age it cannot establish.

    >>> from datetime import date
    >>> is_minor_birthdate('2012/02/29', today=date(2026, 2, 28))
    True
    >>> is_minor_birthdate('2012/02/29', today=date(2026, 3, 1))
    False
    >>> is_minor_birthdate('not a date', today=date(2026, 3, 1))
    False
    """
    if not isinstance(date_text, str):
        return False
    try:
        born = parse_birth_date(date_text, today)
    except ValidationError:
        return False
    years = today.year - born.year
    # Still under 14 on the birthday itself; (2, 29) sorts after (2, 28) so a leap-day child
    # reaches 14 on 1 March in common years, i.e. the day after 28 February.
    return years < MINOR_AGE or (years == MINOR_AGE and (today.month, today.day) <= (born.month, born.day))
