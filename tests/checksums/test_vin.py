"""VIN (ISO 3779) position-9 check digit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import vin
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
VALUES = dict(
    zip(
        "ABCDEFGHJKLMNPRSTUVWXYZ",
        [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9],
        strict=True,
    )
)
VALUES.update({d: int(d) for d in "0123456789"})
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def with_check(sixteen: str) -> str:
    """Insert the check digit at position 9 of 8 + 8 characters."""
    draft = sixteen[:8] + "0" + sixteen[8:]
    remainder = sum(VALUES[c] * w for c, w in zip(draft, WEIGHTS, strict=True)) % 11
    return draft[:8] + ("X" if remainder == 10 else str(remainder)) + draft[9:]


@pytest.mark.parametrize(
    "text",
    [
        "1M8GDM9AXKP042788",  # the classic worked example (check X)
        "1m8gdm9axkp042788",
        "1M8GDM9AXKP-042788",
        with_check("LSVAB418J2123456"),  # Chinese-market WMI (L...)
        with_check("LFV2A21K97301234"),
    ],
)
def test_valid_vins(text: str) -> None:
    assert vin.is_valid(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1M8GDM9A1KP042788", InvalidChecksum),
        ("1M8GDM9AXKP042789", InvalidChecksum),
        ("1M8GDM9AXKP04278", InvalidLength),
        ("1M8GDM9AXKP0427880", InvalidLength),
        ("1M8GDM9AXKI042788", InvalidFormat),  # I
        ("1M8GDM9AXKO042788", InvalidFormat),  # O
        ("1M8GDM9AXKQ042788", InvalidFormat),  # Q
        ("1M8GDM9AYKP042788", InvalidFormat),  # check position holds a letter other than X
        ("11111111111111111", InvalidComponent),  # passes the check, but a placeholder
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        vin.validate(text)
    assert not vin.is_valid(text)


sixteen = st.text(alphabet=ALPHABET, min_size=16, max_size=16).filter(lambda s: len(set(s)) > 1)


@given(body=sixteen)
def test_computed_check_digit_is_valid(body: str) -> None:
    number = with_check(body)
    assert vin.validate(number) == number
    assert vin.calc_check_digit(number) == number[8]


@given(body=sixteen, position=st.integers(0, 16).filter(lambda p: p != 8), data=st.data())
def test_change_to_a_different_transliteration_value_is_detected(
    body: str, position: int, data: st.DataObject
) -> None:
    # Weights other than position 9's are 2-10, non-zero mod 11; but A and J (both 1) etc. collide.
    number = with_check(body)
    others = [c for c in ALPHABET if VALUES[c] != VALUES[number[position]]]
    replacement = data.draw(st.sampled_from(others))
    assert not vin.is_valid(number[:position] + replacement + number[position + 1 :])
