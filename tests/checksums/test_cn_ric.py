"""China resident id (GB 11643-1999): MOD 11-2 check, date, province, legacy 15-digit form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import cn_ric
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

# ISO 7064 MOD 11-2 as the catalogue states it, independent of stdnum's int(..., 13) shortcut.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_id(region: str, born: date, sequence: str) -> str:
    first17 = region + born.strftime("%Y%m%d") + sequence
    return first17 + check_char(first17)


GOOD = [
    "11010519491231002X",  # the GB 11643-1999 worked example
    "11010519491231002x",
    "110105 19491231 002X",
    "110105-19491231-002X",
    "360426199101010071",
    "44011320141005001X",
    make_id("810000", date(1990, 5, 17), "123"),  # Hong Kong resident permit
    make_id("830000", date(2001, 1, 1), "456"),  # Taiwan resident permit
    make_id("650102", date(1900, 1, 1), "001"),  # earliest accepted birth date
    make_id("110999", date(1985, 7, 7), "003"),  # county code stdnum does not know
    make_id("933156", date(1980, 2, 29), "012"),  # foreigner permanent residence card (2023)
    "110105491231002",  # legacy 15-digit
    "440113960229001",  # legacy, 1996-02-29
]


@pytest.mark.parametrize("text", GOOD)
def test_valid_ids(text: str) -> None:
    assert cn_ric.is_valid(text)
    assert cn_ric.validate(text) == cn_ric.compact(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("110105194912310021", InvalidChecksum),  # wrong check digit
        ("11010519491231003X", InvalidChecksum),  # sequence digit changed
        # Correct check character, province that does not exist.
        ("000105194912310024", InvalidComponent),
        ("100105194912310028", InvalidComponent),
        ("160105194912310029", InvalidComponent),
        ("1101051949123100", InvalidLength),
        ("1101051949123100211", InvalidLength),
        ("11010519491231002Y", InvalidFormat),
        ("1101051949123100X2", InvalidFormat),
        ("X10105194912310021", InvalidFormat),
        ("１１０１０５１９４９１２３１００２Ｘ", InvalidFormat),  # full-width digits
        ("110105491331002", InvalidComponent),  # legacy, month 13
        ("990105491231002", InvalidComponent),  # legacy, province 99
        ("11010549123100X", InvalidFormat),  # legacy ids have no check character
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_ric.validate(text)
    assert not cn_ric.is_valid(text)


@pytest.mark.parametrize(
    "born_text",
    ["18991231", "19490230", "19491301", "19490001", "19491200"],
)
def test_impossible_or_too_early_birth_dates_are_rejected(born_text: str) -> None:
    first17 = "110105" + born_text + "002"
    with pytest.raises(InvalidComponent):
        cn_ric.validate(first17 + check_char(first17))


def test_future_birth_date_is_rejected() -> None:
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(InvalidComponent):
        cn_ric.validate(make_id("110105", tomorrow, "002"))
    assert cn_ric.is_valid(make_id("110105", date.today(), "002"))


def test_full_width_digits_are_rejected_even_if_int_accepts_them() -> None:
    # int('１２', 13) works, so the ASCII check must come before stdnum's calc_check_digit.
    assert not cn_ric.is_valid("１１０１０５１９４９１２３１００２X".replace("X", "Ｘ"))
    assert not cn_ric.is_valid("11010519491231_02X")


def test_calc_check_digit_matches_worked_example() -> None:
    assert cn_ric.calc_check_digit("11010519491231002") == "X"


def test_birthdate_from_resident_id() -> None:
    assert cn_ric.birthdate_from_resident_id("44011320141005001x") == date(2014, 10, 5)
    assert cn_ric.birthdate_from_resident_id("440113960229001") == date(1996, 2, 29)
    assert cn_ric.birthdate_from_resident_id("440113201410050010") is None
    assert cn_ric.birthdate_from_resident_id("") is None
    assert cn_ric.birthdate_from_resident_id(None) is None  # type: ignore[arg-type]


provinces = st.sampled_from(sorted(cn_ric.PROVINCE_CODES - {"91"}))
counties = st.text(alphabet="0123456789", min_size=4, max_size=4)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date.today())
sequences = st.text(alphabet="0123456789", min_size=3, max_size=3)


@given(province=provinces, county=counties, born=birth_dates, sequence=sequences)
def test_computed_check_digit_makes_a_valid_id(
    province: str, county: str, born: date, sequence: str
) -> None:
    number = make_id(province + county, born, sequence)
    assert cn_ric.validate(number) == number
    assert cn_ric.calc_check_digit(number[:17]) == number[17]
    assert cn_ric.birthdate_from_resident_id(number) == born


@given(
    province=provinces,
    county=counties,
    born=birth_dates,
    sequence=sequences,
    position=st.integers(0, 17),
    data=st.data(),
)
def test_any_single_character_change_is_detected(
    province: str, county: str, born: date, sequence: str, position: int, data: st.DataObject
) -> None:
    number = make_id(province + county, born, sequence)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from(alphabet.replace(number[position], "")))
    changed = number[:position] + replacement + number[position + 1 :]
    assert not cn_ric.is_valid(changed)


@given(born=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), seq=sequences)
def test_legacy_ids_carry_a_19yy_birth_date(born: date, seq: str) -> None:
    number = "310104" + born.strftime("%y%m%d") + seq
    assert cn_ric.birthdate_from_resident_id(number) == born
