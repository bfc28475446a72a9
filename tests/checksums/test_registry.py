"""The registry the detection engine calls, and robustness of every validator on junk input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall import checksums
from firewall.checksums import MODULES, VALIDATORS, get_validator
from firewall.checksums.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

# One value per validator that must pass, written as a user would (separators, prefixes).
KNOWN_GOOD = {
    "cn_resident_id": "11010519491231002X",
    "luhn": "4111 1111 1111 1111",
    "cn_bank_card": "6222 0212 3456 7890 128",
    "cn_uscc": "91110000600037341L",
    "cn_uscc_final_check": "Y1440106MAM6MMYGEA",
    "hk_id": "A123456(3)",
    "tw_id": "A123456789",
    "vin": "1M8GDM9AXKP042788",
    "vin_any_region": "WVWZZZ1JZXW000001",
    "imei": "35-209900-176148-1",
    "cn_mobile": "+86 138 1234 5678",
    "cn_landline": "010-62345678",
    "cn_license_plate": "京A·12345",
    "cn_given_name": "王秀英",
    "ipv4": "192.168.1.254",
    "ipv6": "2001:db8::8a2e:370:7334",
    "mac": "00:1a:2b:3c:4d:5e",
    "mac_bare": "001a2b3c4d5e",
    "email": "zhang.wei@example.com.cn",
    "geo_coord": "39.9042,116.4074",
    "geo_coord_world": "21.400447°N, 118.908154°E",
    "date_of_birth": "1990-01-02",
    "alipay_id": "2088102030405060",
}

JUNK = [
    "",
    " ",
    "-",
    "()",
    "+86",
    "⑱",
    "１２３４５６７８９０１２３４５６７８",
    "😀" * 18,
    "\x00" * 18,
    "x" * 10_000,
    "0" * 18,
    "年月日",
    "京",
    ".",
    ":",
    "@",
    ",",
]

NAMES = sorted(VALIDATORS)


def to_full_width(text: str) -> str:
    """Map ASCII digits and letters to their full-width forms (U+FF10.., U+FF21..)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def test_registry_names_are_the_agreed_ones() -> None:
    assert set(VALIDATORS) == set(KNOWN_GOOD)
    assert set(MODULES) == set(VALIDATORS)


@pytest.mark.parametrize("name", NAMES)
def test_get_validator_returns_the_module_is_valid(name: str) -> None:
    assert get_validator(name) is MODULES[name].is_valid
    assert get_validator(name)(KNOWN_GOOD[name]) is True


def test_unknown_name_lists_known_names() -> None:
    with pytest.raises(KeyError) as raised:
        get_validator("cn_passport")
    message = str(raised.value)
    assert "cn_passport" in message
    assert all(name in message for name in VALIDATORS)


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        VALIDATORS["luhn"] = lambda text: True  # type: ignore[index]


def test_package_exports_policy_helpers() -> None:
    assert checksums.is_minor_birthdate.__module__ == "firewall.checksums.birth_date"
    assert checksums.birthdate_from_resident_id.__module__ == "firewall.checksums.cn_ric"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_is_rejected(name: str, junk: str) -> None:
    assert VALIDATORS[name](junk) is False


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("junk", [None, b"11010519491231002X", 13812345678, ["a"]], ids=repr)
def test_non_strings_are_rejected_without_raising(name: str, junk: object) -> None:
    assert VALIDATORS[name](junk) is False  # type: ignore[arg-type]


@pytest.mark.parametrize("name", [n for n in NAMES if to_full_width(KNOWN_GOOD[n]) != KNOWN_GOOD[n]])
def test_full_width_digits_and_letters_are_rejected(name: str) -> None:
    assert VALIDATORS[name](to_full_width(KNOWN_GOOD[name])) is False


@pytest.mark.parametrize("name", NAMES)
def test_validate_is_idempotent_on_its_own_output(name: str) -> None:
    module = MODULES[name]
    normalised = module.validate(KNOWN_GOOD[name])
    assert module.validate(normalised) == normalised


@pytest.mark.parametrize("name", NAMES)
@given(text=st.text(max_size=40))
def test_is_valid_never_raises_and_agrees_with_validate(name: str, text: str) -> None:
    module = MODULES[name]
    module.compact(text)
    try:
        module.validate(text)
    except ValidationError:
        expected = False
    else:
        expected = True
    assert module.is_valid(text) is expected


@pytest.mark.parametrize("name", NAMES)
@given(text=st.text(alphabet="0123456789-+() .:/@,年月日xXA", max_size=24))
def test_separator_heavy_text_never_raises(name: str, text: str) -> None:
    assert isinstance(MODULES[name].is_valid(text), bool)


def test_exception_reasons_are_bounded_codes() -> None:
    classes = [ValidationError, InvalidFormat, InvalidLength, InvalidChecksum, InvalidComponent]
    assert [c.reason for c in classes] == [
        "invalid",
        "invalid_format",
        "invalid_length",
        "invalid_checksum",
        "invalid_component",
    ]
    assert issubclass(InvalidLength, InvalidFormat)
    assert all(issubclass(c, ValueError) for c in classes)


def test_exception_message_defaults_to_class_message() -> None:
    assert str(InvalidChecksum()) == InvalidChecksum.message
    assert str(InvalidChecksum("check character does not match")) == (
        "check character does not match"
    )
