"""Birth-date range checks shared by the resident-id and date-of-birth validators."""

from __future__ import annotations

from datetime import date

from firewall.checksums.exceptions import InvalidComponent

# Nobody alive was born before this, and earlier dates in ids are typos or other numbers.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def checked_birth_date(year: int, month: int, day: int, today: date | None = None) -> date:
    """Return the date if it exists and lies in 1900-01-01 .. ``today`` (default: the local date).

    >>> checked_birth_date(1990, 2, 28)
    datetime.date(1990, 2, 28)
    >>> checked_birth_date(1990, 2, 29)
    Traceback (most recent call last):
        ...
    firewall.checksums.exceptions.InvalidComponent: not a calendar date
    """
    try:
        born = date(year, month, day)
    except ValueError:
        raise InvalidComponent("not a calendar date") from None
    if born < EARLIEST_BIRTH_DATE:
        raise InvalidComponent("birth date before 1900")
    # date.today() is only read once the cheaper checks have passed.
    if born > (today if today is not None else date.today()):
        raise InvalidComponent("birth date in the future")
    return born
