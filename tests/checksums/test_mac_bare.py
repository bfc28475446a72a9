"""MAC-48 addresses written as 12 bare hex digits (used only under a MAC key)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import mac, mac_bare
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength


def test_bare_hex_is_the_same_address_as_the_grouped_form() -> None:
    assert mac_bare.validate(" 001a2b3c4d5e ") == mac.compact("00-1A-2B-3C-4D-5E")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("000000000000", InvalidComponent),
        ("ffffffffffff", InvalidComponent),
        ("001a2b3c4d5", InvalidLength),
        ("001a2b3c4d5e0", InvalidLength),
        ("001a2b3c4d5g", InvalidFormat),
        ("00:1a:2b:3c:4d:5e", InvalidLength),  # the grouped forms are mac's
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        mac_bare.validate(text)
    assert not mac_bare.is_valid(text)


@given(octets=st.binary(min_size=6, max_size=6).filter(lambda b: b not in (b"\0" * 6, b"\xff" * 6)))
def test_every_device_address_in_bare_hex_is_valid(octets: bytes) -> None:
    assert mac_bare.is_valid(octets.hex())
    assert mac_bare.validate(octets.hex()) == mac.compact(octets.hex(":"))
