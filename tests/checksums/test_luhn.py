"""Luhn (ISO/IEC 7812-1 Annex B) for 12-19 digit numbers, checked against python-stdnum."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn as stdnum_luhn

from firewall.checksums import luhn
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=30)


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111111",  # Visa test number
        "5555 5555 5555 4444",  # Mastercard test number
        "3782-822463-10005",  # Amex test number
        "00079927398713",  # leading zeros keep the checksum of 79927398713
        "6222021234567890128",
        "000000000018",  # 12 digits, the shortest accepted
    ],
)
def test_valid_numbers(text: str) -> None:
    assert luhn.is_valid(text)
    assert luhn.validate(text) == luhn.compact(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("4111111111111112", InvalidChecksum),
        ("4111111111111121", InvalidChecksum),  # adjacent transposition 12 -> 21
        ("79927398713", InvalidLength),  # valid Luhn but 11 digits
        ("41111111111111111111", InvalidLength),  # 20 digits
        ("0000000000000000", InvalidComponent),
        ("4111 1111 1111 111a", InvalidFormat),
        ("4111.1111.1111.1111", InvalidFormat),
        ("", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        luhn.validate(text)
    assert not luhn.is_valid(text)


@given(digits=digit_strings)
def test_checksum_agrees_with_stdnum(digits: str) -> None:
    assert luhn.checksum(digits) == stdnum_luhn.checksum(digits)


@given(body=digit_strings)
def test_check_digit_agrees_with_stdnum(body: str) -> None:
    assert luhn.calc_check_digit(body) == stdnum_luhn.calc_check_digit(body)
    assert luhn.checksum(body + luhn.calc_check_digit(body)) == 0


@given(body=st.text(alphabet="0123456789", min_size=11, max_size=18), data=st.data())
def test_any_single_digit_change_is_detected(body: str, data: st.DataObject) -> None:
    number = body + luhn.calc_check_digit(body)
    position = data.draw(st.integers(0, len(number) - 1))
    replacement = data.draw(st.sampled_from("0123456789".replace(number[position], "")))
    changed = number[:position] + replacement + number[position + 1 :]
    assert luhn.checksum(changed) != 0
    assert not luhn.is_valid(changed)
