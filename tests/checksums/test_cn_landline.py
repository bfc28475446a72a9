"""Mainland fixed-line numbers: forms, area codes, local-number lengths, table freshness."""

from __future__ import annotations

from pathlib import Path

import pytest

from firewall.checksums import _area_codes_update, cn_area_codes, cn_landline
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("010-62345678", "01062345678"),
        ("0755 2345 6789", "075523456789"),
        ("(021)62345678", "02162345678"),
        ("+86 10 62345678", "01062345678"),
        ("+86 010 62345678", "01062345678"),
        ("0086 755 23456789", "075523456789"),
        ("02162345678", "02162345678"),
        ("0571-87654321", "057187654321"),  # Hangzhou, 8-digit local numbers
        ("0391-2345678", "03912345678"),  # Jiaozuo, 7-digit local numbers
        ("0754-2345678", "07542345678"),  # Shantou accepts 7 and 8 digits
        ("0754-23456789", "075423456789"),
        ("（0757）8566077", "07578566077"),  # full-width brackets, as Chinese text writes them
        ("0898—77327878", "089877327878"),  # em dash
        ("0471–5727354", "04715727354"),  # en dash
    ],
)
def test_valid_numbers(text: str, compact: str) -> None:
    assert cn_landline.compact(text) == compact
    assert cn_landline.validate(text) == compact


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("021-34842236-7707", "02134842236"),
        ("0898-2496373-4183", "08982496373"),
        ("0411-5745950转7580", "04115745950"),
        ("0411-5745950 转 7580", "04115745950"),
        ("010-62345678分机123", "01062345678"),
        ("0760-64106731 ext. 882", "076064106731"),
        ("010-62345678 EXT 12", "01062345678"),
        ("010 6234 5678 x123", "01062345678"),
        ("+86 (024) 87111473", "02487111473"),
        ("0086 (21) 6234 5678", "02162345678"),
        ("0755-8654-3210", "075586543210"),  # a whole number first: not 0755-8654 ext. 3210
    ],
)
def test_extensions_are_not_part_of_the_number(text: str, number: str) -> None:
    assert cn_landline.validate(text) == number


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("010-12345678", InvalidComponent),  # local numbers never start with 1
        ("02112345678", InvalidComponent),
        ("010-02345678", InvalidComponent),
        ("026-62345678", InvalidComponent),  # 026 is not assigned
        ("0300-2345678", InvalidComponent),
        ("0391-234567890", InvalidLength),  # 9-digit local numbers exist nowhere
        ("010-6234567", InvalidLength),
        ("010-623456789", InvalidLength),
        ("62345678", InvalidFormat),  # no area code
        ("1062345678", InvalidFormat),
        ("010-6234567X", InvalidFormat),
        ("010-12345678-2024", InvalidComponent),  # the number before the extension is not one
        ("021-34842236-1234567", InvalidLength),  # extensions have at most 6 digits
        ("021-34842236 转 ", InvalidFormat),
        ("", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_landline.validate(text)
    assert not cn_landline.is_valid(text)


def test_table_has_the_expected_shape() -> None:
    # Beijing and 020-029 except the unassigned 026.
    assert {"10", *(f"2{d}" for d in "012345789")} == cn_area_codes.LOCAL8_CODES_2
    three_digit = cn_area_codes.LOCAL7_CODES_3 | cn_area_codes.LOCAL8_CODES_3
    assert 300 <= len(three_digit) <= 340
    assert all(len(code) == 3 and code[0] in "3456789" for code in three_digit)
    assert {"755", "571", "512"} <= cn_area_codes.LOCAL8_CODES_3


def test_table_is_what_the_generator_produces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("phonenumbers")
    expected = Path(cn_area_codes.__file__).read_text(encoding="utf-8")
    assert _area_codes_update.render(_area_codes_update.derive_area_codes()) == expected
    monkeypatch.setattr(_area_codes_update, "__file__", str(tmp_path / "_area_codes_update.py"))
    _area_codes_update.main()
    assert (tmp_path / "cn_area_codes.py").read_text(encoding="utf-8") == expected
