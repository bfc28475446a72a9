"""Coordinate pairs inside China's bounding box, in either order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import geo_coord
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("39.9042,116.4074", "39.9042,116.4074"),  # Beijing, lat first
        ("116.4074,39.9042", "116.4074,39.9042"),  # lng first
        ("31.230, 121.473", "31.230,121.473"),
        ("22.543096，114.057865", "22.543096,114.057865"),  # full-width comma
        ("3.800,73.500", "3.800,73.500"),  # box corners are inside
        ("53.600,135.100", "53.600,135.100"),
    ],
)
def test_valid_pairs(text: str, compact: str) -> None:
    assert geo_coord.validate(text) == compact


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("48.8566,2.3522", InvalidComponent),  # Paris
        ("39.904,39.904", InvalidComponent),  # two latitudes
        ("116.407,116.407", InvalidComponent),
        ("3.799,116.407", InvalidComponent),
        ("39.904,135.101", InvalidComponent),
        ("39.90,116.407", InvalidFormat),  # only two decimals
        ("39,116.407", InvalidFormat),
        ("39.904 116.407", InvalidFormat),  # no comma
        ("-39.904,116.407", InvalidFormat),
        ("39.904,116.407,1.000", InvalidFormat),
        ("1e1.000,116.407", InvalidFormat),
        ("nan,116.407", InvalidFormat),
        ("1039.904,116.407", InvalidFormat),
        ("39.9041234567890123,116.407", InvalidFormat),  # 16 decimals
        ("３９.９０４,116.407", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        geo_coord.validate(text)
    assert not geo_coord.is_valid(text)


@given(
    lat=st.decimals(min_value="3.8", max_value="53.6", places=4),
    lng=st.decimals(min_value="73.5", max_value="135.1", places=5),
    lat_first=st.booleans(),
)
def test_points_in_the_box_are_valid_in_either_order(
    lat: object, lng: object, lat_first: bool
) -> None:
    pair = f"{lat},{lng}" if lat_first else f"{lng},{lat}"
    assert geo_coord.is_valid(pair)
