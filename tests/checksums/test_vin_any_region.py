"""VINs from any region: the check digit where it is mandatory, the structure elsewhere."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import vin, vin_any_region
from firewall.checksums.exceptions import InvalidFormat, InvalidLength

ALPHABET = "".join(sorted(vin.ALPHABET))


@pytest.mark.parametrize(
    "text",
    ["WVWZZZ1JZXW000001", "wvwzzz1jzxw000001", "VF1RFB00X57432517", "ZFA22300005556777", "JT2AE92E0J3119285"],
)
def test_vins_of_makers_without_a_check_digit_are_accepted(text: str) -> None:
    assert vin_any_region.is_valid(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("WVWZZZ1JZXW00000A", InvalidFormat),  # the serial ends in digits
        ("WVWZZZ1JZXW0O0001", InvalidFormat),  # O is not in the alphabet
        ("WVWZZZ1JZXW00001", InvalidLength),
    ],
)
def test_structure_is_still_checked(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        vin_any_region.validate(text)


def test_one_character_repeated_is_no_vin() -> None:
    assert not vin_any_region.is_valid("SSSSSSSSSSSSSSSSS")


@given(st.sampled_from("12345L"), st.text(alphabet=ALPHABET, min_size=16, max_size=16))
def test_north_american_and_chinese_vins_need_their_check_digit(first: str, rest: str) -> None:
    # The same verdict as the strict validator wherever the check digit is mandatory.
    assert vin_any_region.is_valid(first + rest) == vin.is_valid(first + rest)
