"""Mainland vehicle plates: province, issuing letter, standard and new-energy serials."""

from __future__ import annotations

import pytest

from firewall.checksums import cn_license_plate
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("京A12345", "京A12345"),
        ("京A·12345", "京A12345"),
        ("京a-1234x", "京A1234X"),
        ("沪B C3D4E", "沪BC3D4E"),
        ("粤B·D12345", "粤BD12345"),  # small new-energy, D = battery electric
        ("粤BFA1234", "粤BFA1234"),  # small new-energy, second char may be a letter
        ("沪A12345F", "沪A12345F"),  # large new-energy
        ("川A1234挂", "川A1234挂"),
        ("京A0001警", "京A0001警"),
        ("粤Z1234港", "粤Z1234港"),
        ("粤Z1234澳", "粤Z1234澳"),
        ("苏E1234学", "苏E1234学"),
        ("琼A•12345", "琼A12345"),
        ("蒙A・12345", "蒙A12345"),
        ("冀O-81800", "冀O81800"),  # O: police and judicial vehicles
        ("云I-97182", "云I97182"),  # as Faker's zh_CN generator writes them
    ],
)
def test_valid_plates(text: str, compact: str) -> None:
    assert cn_license_plate.validate(text) == compact


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("京A1234O", InvalidFormat),  # I and O never appear in the serial
        ("京AI2345", InvalidFormat),
        ("京112345", InvalidFormat),  # issuing authority must be a letter
        ("京A12挂45", InvalidFormat),  # 挂 only in last position
        ("京A1234", InvalidLength),
        ("京A1234567", InvalidLength),
        ("港A12345", InvalidComponent),  # not a mainland province abbreviation
        ("AA12345", InvalidComponent),
        ("粤BA12345", InvalidFormat),  # 6-char serial must start with D/F or end with D/F
        ("粤BD1234A", InvalidFormat),
        ("沪A1234AF", InvalidFormat),
        ("粤BDI2345", InvalidFormat),
        ("京Ａ12345", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_license_plate.validate(text)
    assert not cn_license_plate.is_valid(text)


def test_every_province_abbreviation_is_accepted() -> None:
    assert len(cn_license_plate.PROVINCES) == 31
    assert all(cn_license_plate.is_valid(p + "A12345") for p in cn_license_plate.PROVINCES)
