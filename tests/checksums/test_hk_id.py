"""Hong Kong identity card numbers: 1-2 letters, 6 digits, mod-11 check character."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import hk_id
from firewall.checksums.exceptions import InvalidChecksum, InvalidFormat, InvalidLength


def check_char(letters: str, digits: str) -> str:
    """The catalogue's rule: pad with space (36), A-Z = 10-35, weights 9..2, 10 -> A."""
    values = [36] * (2 - len(letters)) + [ord(c) - 55 for c in letters] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    return "0123456789A"[(11 - total % 11) % 11]


@pytest.mark.parametrize(
    "text",
    [
        "A123456(3)",  # widely published example
        "A1234563",
        "a123456(3)",
        "A 123456 (3)",
        "A123456 (3)",
        "A123456（3）",  # full-width brackets
        "A123456 （3）",
        "C668668(9)",
        "AB987654(" + check_char("AB", "987654") + ")",
        "Z" + "000000" + check_char("Z", "000000"),
    ],
)
def test_valid_numbers(text: str) -> None:
    assert hk_id.is_valid(text)


def test_check_character_a_stands_for_ten() -> None:
    digits = next(f"{n:06d}" for n in range(1_000_000) if check_char("G", f"{n:06d}") == "A")
    assert hk_id.validate(f"G{digits}(A)") == f"G{digits}A"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("A123456(4)", InvalidChecksum),
        ("A123465(3)", InvalidChecksum),  # transposed digits
        ("B123456(3)", InvalidChecksum),
        ("A12345(3)", InvalidLength),
        ("ABC123456(3)", InvalidLength),
        ("1A23456(3)", InvalidFormat),
        ("A123456(B)", InvalidFormat),
        ("Á123456(3)", InvalidFormat),
        ("A12345X(3)", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        hk_id.validate(text)
    assert not hk_id.is_valid(text)


letters = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=2)
six_digits = st.text(alphabet=string.digits, min_size=6, max_size=6)


@given(prefix=letters, digits=six_digits)
def test_computed_check_character_is_valid(prefix: str, digits: str) -> None:
    number = prefix + digits + check_char(prefix, digits)
    assert hk_id.calc_check_digit(prefix + digits) == number[-1]
    assert hk_id.validate(f"{prefix}{digits}({number[-1]})") == number


@given(prefix=letters, digits=six_digits, data=st.data())
def test_any_single_digit_or_check_change_is_detected(
    prefix: str, digits: str, data: st.DataObject
) -> None:
    number = prefix + digits + check_char(prefix, digits)
    position = data.draw(st.integers(len(prefix), len(number) - 1))
    alphabet = "0123456789A" if position == len(number) - 1 else "0123456789"
    replacement = data.draw(st.sampled_from(alphabet.replace(number[position], "")))
    assert not hk_id.is_valid(number[:position] + replacement + number[position + 1 :])
