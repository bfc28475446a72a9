"""Dates of birth as text, and the under-14 rule policy uses for minors' PI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import birth_date
from firewall.checksums.birth_date import is_minor_birthdate, parse_birth_date
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength


@pytest.mark.parametrize(
    "text",
    [
        "1990-01-02",
        "1990/1/2",
        "1990.01.02",
        "19900102",
        "1990年1月2日",
        "1990年01月02日",
        "1990年1月2号",
        "1990-1-02",
        " 1990/01/02 ",
        "1990-01-02T00:00:00",  # a datetime serialised by JSON encoders and Faker
        "1990-01-02T00:00:00.000Z",
        "1990-01-02T08:30+08:00",
        "1990-01-02 00:00:00",
        "Jan 2, 1990",
        "January 2nd, 1990",
        "2 Jan 1990",
        "02-Jan-1990",
        "一九九〇年一月二日",
        "一九九〇年1月2日",
    ],
)
def test_accepted_forms(text: str) -> None:
    assert birth_date.validate(text) == "1990-01-02"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13/01/1990", "1990-01-13"), ("01/13/1990", "1990-01-13"), ("02/01/1990", "1990-02-01")],
)
def test_the_year_last_takes_day_and_month_in_either_order(text: str, expected: str) -> None:
    # Both readings valid (02/01): the later date, the cautious one for the under-14 test.
    assert birth_date.validate(text) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1990-02-30", InvalidComponent),
        ("1990-13-01", InvalidComponent),
        ("1990-00-10", InvalidComponent),
        ("1899-12-31", InvalidComponent),
        ("19900230", InvalidComponent),
        ("1990-01/02", InvalidFormat),  # mixed separators
        ("1990-1-2-3", InvalidFormat),
        ("90-01-02", InvalidFormat),
        ("1990-001-02", InvalidFormat),
        ("1990_01_02", InvalidFormat),
        ("1990年1月2", InvalidFormat),  # 日 missing
        ("1990年1月", InvalidFormat),
        ("1990年1月日", InvalidFormat),
        ("一九九〇年二x十月二日", InvalidFormat),
        ("Smarch 2, 1990", InvalidFormat),
        ("31/02/1990", InvalidComponent),  # no 31 February, no 2nd of a 31st month
        ("02/01-1990", InvalidFormat),  # mixed separators
        ("１９９０-01-02", InvalidFormat),
        ("1990", InvalidFormat),
        ("", InvalidFormat),
        ("1990-01-02T0:00:00", InvalidFormat),  # not an ISO time: the text is left as it is
        ("1990-01-02T00:00:00 UTC", InvalidLength),
        ("1990-01-02  00:00:00", InvalidFormat),
        ("1990/01/02T00:00:00", InvalidFormat),
        ("1990-02-30T00:00:00", InvalidComponent),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        birth_date.validate(text)
    assert not birth_date.is_valid(text)


def test_future_dates_are_rejected_relative_to_today() -> None:
    tomorrow = date.today() + timedelta(days=1)
    assert not birth_date.is_valid(tomorrow.isoformat())
    assert birth_date.is_valid(date.today().isoformat())
    assert parse_birth_date("2030-01-01", today=date(2030, 1, 1)) == date(2030, 1, 1)
    with pytest.raises(InvalidComponent):
        parse_birth_date("2030-01-02", today=date(2030, 1, 1))


@pytest.mark.parametrize(
    ("born", "today", "minor"),
    [
        ("2012-03-01", date(2026, 2, 28), True),
        ("2012-03-01", date(2026, 3, 1), True),  # the 14th birthday itself
        ("2012-03-01", date(2026, 3, 2), False),  # 14 from the day after
        ("2012-02-29", date(2026, 2, 28), True),
        ("2012-02-29", date(2026, 3, 1), False),
        ("2020年5月4日", date(2026, 1, 1), True),
        ("2026-01-01", date(2026, 1, 1), True),  # born today
        ("1990-01-02", date(2026, 1, 1), False),
        ("2026-01-02", date(2026, 1, 1), False),  # not born yet: no age to act on
        ("not a date", date(2026, 1, 1), False),
    ],
)
def test_is_minor_birthdate(born: str, today: date, minor: bool) -> None:
    assert is_minor_birthdate(born, today) is minor


def test_is_minor_birthdate_rejects_non_text() -> None:
    assert is_minor_birthdate(None, date(2026, 1, 1)) is False  # type: ignore[arg-type]


def test_birthdate_from_resident_id_is_exported_here() -> None:
    assert birth_date.birthdate_from_resident_id("11010519491231002X") == date(1949, 12, 31)


@given(born=st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
def test_every_form_round_trips(born: date) -> None:
    y, m, d = born.year, born.month, born.day
    for text in (
        f"{y}-{m:02d}-{d:02d}",
        f"{y}/{m}/{d}",
        f"{y}.{m:02d}.{d}",
        f"{y}{m:02d}{d:02d}",
        f"{y}年{m}月{d}日",
        f"{born.isoformat()}T00:00:00",
        f"{born.isoformat()}T12:34:56.789+08:00",
        born.strftime("%b %d, %Y"),
        born.strftime("%d %B %Y"),
        f"{y}年{m}月{d}日".translate(str.maketrans("0123456789", "〇一二三四五六七八九")),
    ):
        assert parse_birth_date(text) == born
    # The year last: the date itself, unless the other order of day and month is a later date.
    for text in (f"{d:02d}/{m:02d}/{y}", f"{m}/{d}/{y}"):
        swapped = date(y, d, m) if d <= 12 else born
        assert parse_birth_date(text) == max(born, swapped if swapped <= date.today() else born)


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    today=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
)
def test_minor_means_less_than_14_full_years_counted_from_the_day_after(
    born: date, today: date
) -> None:
    if born > today:
        assert not is_minor_birthdate(born.isoformat(), today)
        return
    try:
        fourteenth = born.replace(year=born.year + 14)
    except ValueError:  # 29 February -> 28 February in the common year
        fourteenth = born.replace(year=born.year + 14, day=28)
    assert is_minor_birthdate(born.isoformat(), today) is (today <= fourteenth)
