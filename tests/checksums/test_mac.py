"""MAC-48 addresses in colon, dash and Cisco dot forms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import mac
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength


@pytest.mark.parametrize(
    "text", ["00:1a:2b:3c:4d:5e", "00-1A-2B-3C-4D-5E", "001a.2b3c.4d5e", " 00:1A:2b:3C:4d:5E "]
)
def test_valid_addresses(text: str) -> None:
    assert mac.validate(text) == "00:1A:2B:3C:4D:5E"
    assert mac.compact(text) == "001A2B3C4D5E"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("00:00:00:00:00:00", InvalidComponent),
        ("FF:FF:FF:FF:FF:FF", InvalidComponent),
        ("ffff.ffff.ffff", InvalidComponent),
        ("00:1a-2b:3c:4d:5e", InvalidFormat),  # mixed separators
        ("00.1a.2b.3c.4d.5e", InvalidFormat),  # dots need groups of four
        ("001a:2b3c:4d5e", InvalidFormat),  # colons need groups of two
        ("0:1a:2b:3c:4d:5e:", InvalidFormat),
        ("00:1a:2b:3c:4d:5g", InvalidFormat),
        ("001a2b3c4d5e", InvalidLength),  # bare hex is not accepted
        ("00:1a:2b:3c:4d", InvalidFormat),  # 14 characters, but not the dot form
        ("00:1a:2b:3c:4d:5", InvalidLength),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        mac.validate(text)
    assert not mac.is_valid(text)


@given(
    octets=st.binary(min_size=6, max_size=6).filter(lambda b: b not in (b"\0" * 6, b"\xff" * 6)),
    separator=st.sampled_from(":-"),
)
def test_every_device_address_is_valid(octets: bytes, separator: str) -> None:
    text = separator.join(f"{b:02x}" for b in octets)
    assert mac.validate(text) == text.upper().replace("-", ":")
    cisco = ".".join(octets.hex()[i : i + 4] for i in range(0, 12, 4))
    assert mac.is_valid(cisco)
