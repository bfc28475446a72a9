"""Alipay user ids: 16 digits starting 2088."""

from __future__ import annotations

import pytest

from firewall.checksums import alipay_id
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength


@pytest.mark.parametrize("text", ["2088102030405060", "2088 1020 3040 5060", "2088-0000-0000-0000"])
def test_valid_ids(text: str) -> None:
    assert alipay_id.validate(text) == text.replace(" ", "").replace("-", "")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("2089102030405060", InvalidComponent),
        ("1208810203040506", InvalidComponent),
        ("208810203040506", InvalidLength),
        ("20881020304050607", InvalidLength),
        ("2088l02030405060", InvalidFormat),
        ("２０８８102030405060", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        alipay_id.validate(text)
    assert not alipay_id.is_valid(text)
