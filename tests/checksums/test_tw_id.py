"""Taiwan national id and 2021 resident certificate numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import tw_id
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)


def weighted_sum(number: str) -> int:
    value = tw_id.LETTER_ORDER.index(number[0]) + 10
    digits = [value // 10, value % 10] + [int(d) for d in number[1:]]
    return sum(d * w for d, w in zip(digits, WEIGHTS, strict=True))


def with_check(body9: str) -> str:
    """Append the last digit that makes the weighted sum a multiple of 10."""
    return body9 + str(-weighted_sum(body9 + "0") % 10)


@pytest.mark.parametrize(
    "text",
    [
        "A123456789",  # widely published example
        "a123456789",
        "A 123456789",
        with_check("F22222222"),
        with_check("W18765432"),  # W comes after X and Y in the letter order
        with_check("O12345678"),  # O is worth 35
        with_check("A80000001"),  # 2021 resident certificate, male
        with_check("Z90000001"),  # 2021 resident certificate, female
    ],
)
def test_valid_numbers(text: str) -> None:
    assert tw_id.is_valid(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("A123456788", InvalidChecksum),
        ("B123456789", InvalidChecksum),
        (with_check("A32345678"), InvalidComponent),  # sex digit 3
        (with_check("A02345678"), InvalidComponent),
        ("AC01234567", InvalidFormat),  # old resident certificate (letter in 2nd place)
        ("1123456789", InvalidFormat),
        ("A12345678", InvalidLength),
        ("A1234567890", InvalidLength),
        ("Ａ123456789", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        tw_id.validate(text)
    assert not tw_id.is_valid(text)


bodies = st.tuples(
    st.sampled_from(tw_id.LETTER_ORDER),
    st.sampled_from("1289"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
).map("".join)


@given(body=bodies)
def test_computed_check_digit_is_valid(body: str) -> None:
    assert tw_id.validate(with_check(body)) == with_check(body)


# Positions 2, 6, 8, 9 have weights 7, 3, 1, 1 (coprime with 10): a change there always alters
# the sum mod 10. A change of 5 under an even weight, or an even change under 5, goes unnoticed.
@given(body=bodies, position=st.sampled_from([2, 6, 8, 9]), data=st.data())
def test_changes_under_weights_coprime_with_10_are_detected(
    body: str, position: int, data: st.DataObject
) -> None:
    number = with_check(body)
    replacement = data.draw(st.sampled_from("0123456789".replace(number[position], "")))
    assert not tw_id.is_valid(number[:position] + replacement + number[position + 1 :])
