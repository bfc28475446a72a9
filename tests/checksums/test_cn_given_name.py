"""Chinese name candidates that end as given names do (the possessive name rule's check)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import cn_given_name
from firewall.checksums.cn_given_name import GIVEN_NAME_CHARS
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength

_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@pytest.mark.parametrize("name", ["张伟", "武丹丹", "欧阳娜娜", "司马光", " 李秀英 "])
def test_names_are_accepted(name: str) -> None:
    assert cn_given_name.is_valid(name)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("周末", InvalidComponent),  # words, places and brands end otherwise
        ("高新区", InvalidComponent),
        ("申通", InvalidComponent),
        ("王", InvalidLength),
        ("王秀英红梅", InvalidLength),
        ("Zhang Wei", InvalidLength),
        ("王A", InvalidFormat),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_given_name.validate(text)
    assert not cn_given_name.is_valid(text)


@given(head=st.text(_HAN, min_size=1, max_size=3), last=_HAN)
def test_the_last_character_decides(head: str, last: str) -> None:
    assert cn_given_name.is_valid(head + last) is (len(head) <= 3 and last in GIVEN_NAME_CHARS)
