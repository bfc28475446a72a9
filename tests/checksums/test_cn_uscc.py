"""Unified Social Credit Code (GB 32100-2015) with the embedded organisation code (GB 11714)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from firewall.checksums import cn_uscc, cn_uscc_final_check
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def org_check(body8: str) -> str:
    """GB 11714 check character as the standard states it: 11 - sum mod 11, 10 -> X, 11 -> 0."""
    value = 11 - sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_check(first17: str) -> str:
    total = sum(cn_uscc.ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return cn_uscc.ALPHABET[(31 - total % 31) % 31]


def make_code(prefix2: str, region: str, org_body: str) -> str:
    first17 = prefix2 + region + org_body + org_check(org_body)
    return first17 + uscc_check(first17)


# Real codes published online (python-stdnum's test list and docstring); facts, not code.
REAL = [
    "91110000600037341L",
    "121200004013590816",
    "91310115MA1K3BTP2B",
    "9144030071526726XG",
    "91620105L015101280",
    "92340603MA2PBMQL04",
]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_pass_both_checks(code: str) -> None:
    assert cn_uscc.validate(code) == code
    assert cn_uscc.calc_org_code_check_digit(code[8:16]) == code[16]


@pytest.mark.parametrize(
    "text",
    [
        "91 110000 600037341L",
        "91-110000-600037341l",
        make_code("31", "110000", "MA0012AB"),  # law firm (司法行政)
        make_code("81", "440300", "12345678"),  # trade union
        make_code("N2", "330100", "MA2ABCDE"),  # rural collective economic organisation (农业)
        make_code("Y1", "110000", "00000000"),
        make_code("A1", "110000", "MA1K3BTP"),
    ],
)
def test_valid_codes(text: str) -> None:
    assert cn_uscc.is_valid(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("91110000600037341N", InvalidChecksum),
        ("91110000600037342L", InvalidChecksum),  # one digit changed
        ("9111000060003734L", InvalidLength),
        ("9111000060003734IL", InvalidFormat),  # I is not in the alphabet
        ("911100006000373O1L", InvalidFormat),  # O is not in the alphabet
        ("91110000600037341I", InvalidFormat),  # nor as the check character
        ("911A0000600037341L", InvalidFormat),  # division code must be digits
        ("91１10000600037341L", InvalidFormat),
        (make_code("B1", "110000", "60003734"), InvalidComponent),  # unknown authority
        (make_code("01", "110000", "60003734"), InvalidComponent),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_uscc.validate(text)
    assert not cn_uscc.is_valid(text)


def test_wrong_organisation_check_with_correct_final_check_is_rejected() -> None:
    first17 = "91110000600037342"  # org check should be 1
    code = first17 + uscc_check(first17)
    assert stdnum_uscc.is_valid(code)  # stdnum checks only the final character
    with pytest.raises(InvalidChecksum, match="organisation code"):
        cn_uscc.validate(code)


uscc_chars = st.sampled_from(cn_uscc.ALPHABET)
org_bodies = st.text(alphabet=cn_uscc.ALPHABET, min_size=8, max_size=8)
regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
prefixes = st.tuples(
    st.sampled_from(sorted(cn_uscc.REGISTRATION_AUTHORITIES)), st.sampled_from("123459")
).map("".join)


@given(first17=st.text(alphabet=cn_uscc.ALPHABET, min_size=17, max_size=17))
def test_check_character_agrees_with_stdnum(first17: str) -> None:
    assert cn_uscc.calc_check_digit(first17) == stdnum_uscc.calc_check_digit(first17)
    assert cn_uscc.calc_check_digit(first17) == uscc_check(first17)


@given(prefix=prefixes, region=regions, org_body=org_bodies)
def test_built_codes_are_valid(prefix: str, region: str, org_body: str) -> None:
    code = make_code(prefix, region, org_body)
    assert cn_uscc.validate(code) == code


@given(
    prefix=prefixes,
    region=regions,
    org_body=org_bodies,
    position=st.integers(0, 17),
    data=st.data(),
)
def test_any_single_character_change_is_detected(
    prefix: str, region: str, org_body: str, position: int, data: st.DataObject
) -> None:
    code = make_code(prefix, region, org_body)
    replacement = data.draw(st.sampled_from(cn_uscc.ALPHABET.replace(code[position], "")))
    changed = code[:position] + replacement + code[position + 1 :]
    assert not cn_uscc.is_valid(changed)


# ------------------------------------------------------------------ final check character only


@pytest.mark.parametrize(
    "text",
    [
        "Y1440106MAM6MMYGEA",  # from a generator that computes only the final character
        "31530102MANQRDP4L7",
        "y1440106mam6mmygea",
        *REAL,
    ],
)
def test_final_check_only_accepts_codes_whose_organisation_check_fails(text: str) -> None:
    assert cn_uscc_final_check.validate(text) == text.upper()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Y1440106MAM6MMYGEB", InvalidChecksum),
        ("Y144010AMAM6MMYGEA", InvalidFormat),
        ("Y1440106MAM6MMYGE", InvalidLength),
        (make_code("B1", "110000", "60003734"), InvalidComponent),
    ],
)
def test_final_check_only_still_rejects_everything_else(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_uscc_final_check.validate(text)
    assert not cn_uscc_final_check.is_valid(text)


@given(prefix=prefixes, region=regions, body9=st.text(alphabet=cn_uscc.ALPHABET, min_size=9, max_size=9))
def test_final_check_only_accepts_any_organisation_code(prefix: str, region: str, body9: str) -> None:
    first17 = prefix + region + body9
    code = first17 + uscc_check(first17)
    assert cn_uscc_final_check.is_valid(code)
    assert cn_uscc.is_valid(code) is (org_check(body9[:8]) == body9[8])
