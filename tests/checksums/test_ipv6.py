"""IPv6 addresses: a cheap screen, then ipaddress."""

from __future__ import annotations

from ipaddress import IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import ipv6
from firewall.checksums.exceptions import InvalidFormat, InvalidLength


@pytest.mark.parametrize(
    "text",
    [
        "2001:db8::8a2e:370:7334",
        "2001:0DB8:0000:0000:0000:8A2E:0370:7334",
        "::",
        "::1",
        "fe80::1",
        "::ffff:192.0.2.1",
        "1:2:3:4:5:6:7:8",
    ],
)
def test_valid_addresses(text: str) -> None:
    assert ipv6.validate(text) == text.lower()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("2001:db8:::1", InvalidFormat),
        ("1:2:3:4:5:6:7:8:9", InvalidFormat),
        ("12345::1", InvalidFormat),
        ("std::vector", InvalidFormat),
        ("fe80::1%eth0", InvalidFormat),
        ("[::1]", InvalidFormat),
        ("10:30", InvalidFormat),  # a time, one colon
        ("2001:db8::g", InvalidFormat),
        (":", InvalidLength),
        ("1:2:3:4:5:6:7:8" * 4, InvalidLength),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        ipv6.validate(text)
    assert not ipv6.is_valid(text)


@given(address=st.ip_addresses(v=6))
def test_every_address_is_valid_compressed_and_exploded(address: IPv6Address) -> None:
    assert ipv6.is_valid(address.compressed)
    assert ipv6.is_valid(address.exploded.upper())
