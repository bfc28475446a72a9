"""IMEI (15 digits, Luhn) and IMEISV (16 digits, allocated reporting body, SVN not 99)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import imei
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from firewall.checksums.luhn import calc_check_digit


@pytest.mark.parametrize(
    "text",
    [
        "35-209900-176148-1",  # 3GPP/Wikipedia example
        "352099001761481",
        "490154203237518",
        "86" + "123456789012" + calc_check_digit("86123456789012"),
        "35-209900-176148-23",  # IMEISV of the example
        "8612345678901200",
    ],
)
def test_valid(text: str) -> None:
    assert imei.is_valid(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("352099001761482", InvalidChecksum),
        ("35209900176148", InvalidLength),  # 14 digits: no check digit to verify
        ("35209900176148123", InvalidLength),
        ("000000000000000", InvalidComponent),  # passes Luhn, placeholder
        ("3520990017614899", InvalidComponent),  # SVN 99 is reserved
        ("0012345678901234", InvalidComponent),  # 00 is the test-IMEI range
        ("7712345678901234", InvalidComponent),  # no reporting body 77
        ("35209900176148l", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        imei.validate(text)
    assert not imei.is_valid(text)


@given(
    tac_serial=st.text(alphabet="0123456789", min_size=14, max_size=14).filter(
        lambda s: len(set(s)) > 1
    ),
    data=st.data(),
)
def test_luhn_check_digit_single_digit_changes_are_detected(
    tac_serial: str, data: st.DataObject
) -> None:
    number = tac_serial + calc_check_digit(tac_serial)
    assert imei.is_valid(number)
    position = data.draw(st.integers(0, 14))
    replacement = data.draw(st.sampled_from("0123456789".replace(number[position], "")))
    assert not imei.is_valid(number[:position] + replacement + number[position + 1 :])
