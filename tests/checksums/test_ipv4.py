"""Dotted-decimal IPv4 addresses."""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import ipv4
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength


@pytest.mark.parametrize(
    "text", ["192.168.1.254", " 10.0.0.1 ", "255.255.255.255", "0.0.0.0", "1.2.3.4", "8.8.8.8"]
)
def test_valid_addresses(text: str) -> None:
    assert ipv4.validate(text) == text.strip()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("256.1.1.1", InvalidComponent),
        ("1.1.1.999", InvalidComponent),
        ("10.01.1.1", InvalidFormat),  # leading zero
        ("1.2.3", InvalidFormat),
        ("1.2.3.4.5", InvalidFormat),
        ("1..3.4", InvalidFormat),
        ("1.2.3.4a", InvalidFormat),
        ("１.２.３.４", InvalidFormat),
        ("+1.2.3.4", InvalidFormat),
        ("1.2.3.0004", InvalidFormat),
        ("1111.2.3.4", InvalidFormat),
        ("255.255.255.2555", InvalidLength),
        ("1.2.3.4 5", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        ipv4.validate(text)
    assert not ipv4.is_valid(text)


@given(address=st.ip_addresses(v=4))
def test_every_address_in_canonical_form_is_valid(address: IPv4Address) -> None:
    assert ipv4.is_valid(str(address))


@given(address=st.ip_addresses(v=4))
def test_ideographic_full_stops_read_as_dots(address: IPv4Address) -> None:
    """A Chinese input method types 。 for a dot: 192。168。1。1 is the same address."""
    written = str(address).replace(".", "\u3002")
    assert ipv4.validate(written) == str(address)
