"""Mainland mobile numbers: accepted forms and the segment table against its regex spec."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import cn_mobile
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength

# The catalogue's libphonenumber (2024) pattern, plus the documented additions (149, 1610, the
# IoT segments 141/146/148, all of 174); \d is written [0-9] because Python's \d also matches
# other scripts' digits.
SPEC = re.compile(
    r"(?:1740[0-5]\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}"
    r"|149\d{8}|1610\d{7}|14[168]\d{8}|174\d{8})".replace(r"\d", "[0-9]")
)


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "0086-138-1234-5678",
        "(+86)13812345678",
        "(+86) 138-1234-5678",
        "8613812345678",
        "16212345678",
        "19212345678",
        "19312345678",
        "14512345678",
        "14712345678",
        "14912345678",
        "17401234567",
        "16101234567",
        "14107924402",  # IoT data segments, in jionlp's operator table
        "14621590109",
        "14821547280",
        "17408838737",  # 174 beyond the 1740[0-5] satellite block
        "（+86）13812345678",
        "+86 (159) 6080 4653",
        "147.5405.4719",
        "178 645 23443",
        "1705 3241 851",
    ],
)
def test_valid_numbers(text: str) -> None:
    assert cn_mobile.is_valid(text)
    assert len(cn_mobile.validate(text)) == 11


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("15412345678", InvalidComponent),
        ("19412345678", InvalidComponent),
        ("14012345678", InvalidComponent),  # 13-digit IoT numbers use 140 and 144
        ("14412345678", InvalidComponent),
        ("17912345678", InvalidComponent),
        ("12345678901", InvalidComponent),
        ("23812345678", InvalidComponent),
        ("1381234567", InvalidLength),
        ("138123456789", InvalidLength),
        ("+85213812345678", InvalidLength),  # Hong Kong country code
        ("861381234567", InvalidLength),  # 86 + 10 digits is not a bare E.164 form
        ("138l2345678", InvalidFormat),
        ("+86 138.1234.5678.9", InvalidLength),
        ("138_1234_5678", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_mobile.validate(text)
    assert not cn_mobile.is_valid(text)


def test_segment_sets_match_the_spec_for_every_prefix() -> None:
    # The first 5 digits decide; compare all 10,000 of them with the regex spec.
    mismatches = [
        prefix
        for prefix in (str(n) for n in range(10_000, 20_000))
        if cn_mobile.is_valid(prefix + "123456") != bool(SPEC.fullmatch(prefix + "123456"))
    ]
    assert mismatches == []


@given(national=st.from_regex(SPEC, fullmatch=True))
def test_every_spec_number_is_accepted_in_every_form(national: str) -> None:
    head, middle, tail = national[:3], national[3:7], national[7:]
    for text in (
        national,
        "+86" + national,
        "0086 " + national,
        f"(+86){national}",
        f"（+86）{national}",
        f"{head}.{middle}.{tail}",
        f"+86 ({head}) {middle} {tail}",
        f"{national[:4]} {national[4:8]} {national[8:]}",
    ):
        assert cn_mobile.validate(text) == national


@given(
    national=st.from_regex(SPEC, fullmatch=True),
    separators=st.lists(st.sampled_from(["", " ", "-"]), min_size=10, max_size=10),
)
def test_any_grouping_with_spaces_or_dashes_is_accepted(national: str, separators: list[str]) -> None:
    grouped = national[0] + "".join(sep + digit for sep, digit in zip(separators, national[1:], strict=True))
    assert cn_mobile.validate(grouped) == national
