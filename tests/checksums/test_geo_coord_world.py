"""Latitude/longitude pairs anywhere on earth, as generators and people write them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import geo_coord, geo_coord_world
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("-61.990138,90.454951", "-61.990138,90.454951"),  # Faker latitude(), longitude()
        ("36.465394,-141.541726", "36.465394,-141.541726"),  # mimesis coordinates()
        ("45.35,126.28333", "45.35,126.28333"),  # Faker's land coordinates: few decimals
        ("118.908154 21.400447", "118.908154,21.400447"),  # a space between, longitude first
        ("39.9 , 116.4", "39.9,116.4"),
        ("22.543096，114.057865", "22.543096,114.057865"),  # full-width comma
        ("21.400447°N, 118.908154°E", "21.400447,118.908154"),
        ("33.8688° S, 151.2093° E", "-33.8688,151.2093"),  # S and W are negative
        ("40.7484n,73.9857w", "40.7484,-73.9857"),
        ("北纬21.400447°，东经118.908154°", "21.400447,118.908154"),
        ("东经118.9°北纬21.4°", "118.9,21.4"),
        ("南纬 33.86，西经 151.2", "-33.86,-151.2"),
        ("lat=21.400447&lng=118.908154", "21.400447,118.908154"),
        ("LNG=-73.9857&LAT=40.7484", "-73.9857,40.7484"),
        ("latitude=1.5&longitude=2.5", "1.5,2.5"),
        ("90.0,180.0", "90.0,180.0"),  # the limits are inside
        ("170.5,80.25", "170.5,80.25"),  # unlabelled: either order
        # degrees, minutes and seconds, as decimals with six places
        ("39°54'26\"N 116°23'29\"E", "39.907222,116.391389"),
        ("北纬39°54′26″，东经116°23′29″", "39.907222,116.391389"),
        ("33°52′S, 151°12′E", "-33.866667,151.200000"),  # no seconds
        ("39°54.436'N, 116°23.5'E", "39.907267,116.391667"),  # decimal minutes
    ],
)
def test_valid_pairs(text: str, compact: str) -> None:
    assert geo_coord_world.validate(text) == compact
    assert geo_coord_world.compact(text) == compact


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("95.5,200.1", InvalidComponent),  # neither order fits
        ("120.5,120.5", InvalidComponent),  # two longitudes
        ("lat=120.5&lng=20.5", InvalidComponent),  # labelled: the order is fixed
        ("北纬91.5°，东经118.9°", InvalidComponent),
        ("21.4N,118.9N", InvalidComponent),  # two latitudes
        ("0.0,0.0", InvalidComponent),  # a default value, not a place
        ("lat=21.4°E,118.9", InvalidFormat),  # label and letter disagree
        ("南纬-33.1,东经151.2", InvalidFormat),  # a minus sign and a southern label
        ("39,116.407", InvalidFormat),  # no decimals
        ("39.904", InvalidFormat),  # one number
        ("39.904,116.407,1.5", InvalidFormat),
        ("39.904211116.4074", InvalidFormat),  # glued numbers
        ("1039.904,116.407", InvalidFormat),
        ("39.9041234567890123,116.407", InvalidFormat),  # 16 decimals
        ("３９.９０４,116.407", InvalidFormat),
        ("39.904;116.407", InvalidFormat),
        ("", InvalidFormat),
        ("39°61'N 116°23'E", InvalidComponent),  # 61 minutes
        ("39°54'60\"N 116°23'E", InvalidComponent),  # 60 seconds
        ("39°N 116°E", InvalidFormat),  # degrees alone: no minutes
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        geo_coord_world.validate(text)
    assert not geo_coord_world.is_valid(text)


latitudes = st.decimals(min_value="-90", max_value="90", places=6)
longitudes = st.decimals(min_value="-180", max_value="180", places=5)


separators = st.sampled_from([",", ", ", " ", "，"])


@given(lat=latitudes, lng=longitudes, lat_first=st.booleans(), separator=separators)
def test_every_point_on_earth_is_valid_in_either_order(
    lat: Decimal, lng: Decimal, lat_first: bool, separator: str
) -> None:
    if lat == 0 and lng == 0:
        return
    pair = f"{lat}{separator}{lng}" if lat_first else f"{lng}{separator}{lat}"
    assert geo_coord_world.is_valid(pair)


@given(lat=latitudes, lng=longitudes)
def test_hemisphere_letters_and_labels_give_the_signed_pair(lat: Decimal, lng: Decimal) -> None:
    if lat == 0 and lng == 0:
        return
    north_south = f"{abs(lat)}°{'S' if lat < 0 else 'N'}"
    east_west = f"{abs(lng)}°{'W' if lng < 0 else 'E'}"
    signed = f"{-abs(lat) if lat < 0 else abs(lat)},{-abs(lng) if lng < 0 else abs(lng)}"
    assert geo_coord_world.validate(f"{north_south}, {east_west}") == signed
    labels = f"{'南纬' if lat < 0 else '北纬'}{abs(lat)}°，{'西经' if lng < 0 else '东经'}{abs(lng)}°"
    assert geo_coord_world.validate(labels) == signed


@given(
    lat=st.decimals(min_value="3.8", max_value="53.6", places=4),
    lng=st.decimals(min_value="73.5", max_value="135.1", places=4),
)
def test_everything_the_china_validator_accepts_is_accepted_here(lat: Decimal, lng: Decimal) -> None:
    pair = f"{lat},{lng}"
    assert geo_coord.is_valid(pair)
    assert geo_coord_world.is_valid(pair)


@given(
    degrees=st.integers(0, 89), minutes=st.integers(0, 59), seconds=st.integers(0, 59),
    south=st.booleans(),
)
def test_degrees_minutes_seconds_give_the_decimal_latitude(
    degrees: int, minutes: int, seconds: int, south: bool
) -> None:
    text = f"{degrees}°{minutes}′{seconds}″{'S' if south else 'N'} 120°0′0″E"
    latitude = float(geo_coord_world.validate(text).split(",")[0])
    expected = (degrees + minutes / 60 + seconds / 3600) * (-1 if south else 1)
    assert latitude == pytest.approx(expected, abs=1e-6)
