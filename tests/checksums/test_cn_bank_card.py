"""Card numbers: scheme prefix, scheme length, repeated digits, Luhn."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import cn_bank_card
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from firewall.checksums.luhn import calc_check_digit


def card(prefix: str, length: int, filler: str = "3") -> str:
    """A Luhn-valid number of ``length`` digits starting with ``prefix``."""
    body = (prefix + filler * length)[: length - 1]
    return body + calc_check_digit(body)


@pytest.mark.parametrize(
    ("number", "scheme"),
    [
        (card("62", 16), "unionpay"),
        (card("622202", 19), "unionpay"),
        (card("81", 17), "unionpay"),
        (card("4", 16), "visa"),
        (card("4", 19), "visa"),
        (card("51", 16), "mastercard"),
        (card("55", 16), "mastercard"),
        (card("2221", 16), "mastercard"),
        (card("2720", 16), "mastercard"),
        (card("3528", 16), "jcb"),
        (card("34", 15), "amex"),
        (card("37", 15), "amex"),
    ],
)
def test_accepted_schemes(number: str, scheme: str) -> None:
    assert cn_bank_card.card_scheme(number) == scheme
    assert cn_bank_card.validate(number) == number


def test_separators_are_accepted() -> None:
    number = card("622202", 19)
    spaced = " ".join(number[i : i + 4] for i in range(0, 19, 4))
    assert cn_bank_card.is_valid(spaced)
    assert cn_bank_card.is_valid(spaced.replace(" ", "-"))


@pytest.mark.parametrize(
    ("number", "error"),
    [
        (card("2220", 16), InvalidComponent),  # just below Mastercard's 2-series
        (card("2721", 16), InvalidComponent),  # just above it
        (card("6011", 16), InvalidComponent),  # Discover
        (card("30", 16), InvalidComponent),
        (card("9", 19), InvalidComponent),
        (card("34", 16), InvalidLength),  # Amex is 15 digits
        (card("62", 15), InvalidLength),  # only Amex is 15 digits
        (card("62", 14), InvalidLength),
        (card("62", 20), InvalidLength),
        ("4444444444444444", InvalidComponent),  # repeated digit
        (card("62", 19)[:-1] + str((int(card("62", 19)[-1]) + 1) % 10), InvalidChecksum),
        ("6222 0212 3456 789X", InvalidFormat),
    ],
)
def test_near_misses(number: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_bank_card.validate(number)
    assert not cn_bank_card.is_valid(number)


def test_card_scheme_tolerates_short_and_non_digit_prefixes() -> None:
    assert cn_bank_card.card_scheme("") is None
    assert cn_bank_card.card_scheme("2") is None
    assert cn_bank_card.card_scheme("2x21") is None


@given(
    body=st.text(alphabet="0123456789", min_size=15, max_size=15),
    position=st.integers(0, 17),
    data=st.data(),
)
def test_unionpay_single_digit_change_is_detected(
    body: str, position: int, data: st.DataObject
) -> None:
    number = card("62" + body, 19)
    # Keep the prefix: changing it may land on another accepted scheme, which Luhn still catches.
    position = max(position, 2)
    replacement = data.draw(st.sampled_from("0123456789".replace(number[position], "")))
    changed = number[:position] + replacement + number[position + 1 :]
    assert cn_bank_card.is_valid(number)
    assert not cn_bank_card.is_valid(changed)
