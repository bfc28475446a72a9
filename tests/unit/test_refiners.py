"""Span refiners: person names after cue words, keyed whole values, address growth."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from firewall.detection import Detector
from firewall.detection.refiners import refine_address, refine_person_name, refine_whole_leaf

from .conftest import found_texts


@dataclass
class _Span:
    start: int
    end: int
    cue_end: int | None = None  # where the cue word before the candidate ends


def _names(detector: Detector, text: str) -> list[str]:
    return [t for entity, t in found_texts(detector, text.encode()) if entity == "CN_PERSON_NAME"]


def _addresses(detector: Detector, text: str) -> list[str]:
    return [t for entity, t in found_texts(detector, text.encode()) if entity == "CN_ADDRESS"]


# ------------------------------------------------------------------------- person names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("收货人：张伟，电话13812345678", ["张伟"]),
        ("联系人王小明先生", ["王小明"]),
        ("联系人王芳女士您好", ["王芳"]),
        ("客户张三丰说已经收到", ["张三丰"]),
        ("收件人:阿卜杜拉·艾则孜 电话", ["阿卜杜拉·艾则孜"]),
        ("我叫李娜，住在上海", ["李娜"]),
        ('{"receivers": [{"name": "李小明"}]}', ["李小明"]),
        ("收货人信息已更新", []),  # 信息 (information) is a word, not 信 + a given name
        ("张伟说他明天到", []),  # no cue word: a surname-looking word is not a name
    ],
)
def test_names_follow_cue_words_and_stop_before_honorifics(
    detector: Detector, text: str, names: list[str]
) -> None:
    assert _names(detector, text) == names


@pytest.mark.parametrize("text", ["请填写联系人方式", "司机师傅到了"])
def test_common_words_after_a_cue_are_not_names(detector: Detector, text: str) -> None:
    assert _names(detector, text) == []


@pytest.mark.parametrize(
    ("payload", "names"),
    [
        ('{"收货人": "张伟"}', ["张伟"]),
        ('{"receiver_name": "欧阳娜娜"}', ["欧阳娜娜"]),
        ('{"contact": {"name": " 李小明 "}}', ["李小明"]),
        ('{"product_name": "黄金手链"}', []),
        ('{"shop_name": "王记小吃"}', []),
        ('{"merchant": {"name": "李小明"}}', []),  # the parent key says it is no person
    ],
)
def test_keyed_names_are_the_whole_value(
    detector: Detector, payload: str, names: list[str]
) -> None:
    assert _names(detector, payload) == names


def test_keyed_value_that_is_exactly_a_candidate_is_returned_whole() -> None:
    text = " 欧阳娜娜 "
    spans = refine_person_name(text, [_Span(1, 3, 0), _Span(1, 5, 0)], True, ())
    assert spans == [(1, 5)]


def test_free_text_name_starts_right_after_its_cue_and_ends_before_a_stop_character() -> None:
    text = "收货人：张伟先生"  # the cue 收货人 ends at 3, the name starts after the colon
    candidates = [_Span(4, 6, cue_end=3), _Span(4, 7, cue_end=3)]
    assert refine_person_name(text, candidates, False, ()) == [(4, 6)]


def test_free_text_name_needs_a_cue_close_before_it() -> None:
    assert refine_person_name("收货人张伟", [_Span(3, 5)], False, ()) == []  # no cue
    far = "收货人：    张伟"  # five separators between cue and name
    assert refine_person_name(far, [_Span(8, 10, cue_end=3)], False, ()) == []
    # A candidate that does not start where the name starts (inside the cue's tail) is ignored.
    assert refine_person_name("收货人张伟", [_Span(2, 4, cue_end=3)], False, ()) == []


# ------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("text", "addresses"),
    [
        ("寄到北京市朝阳区建国路88号SOHO现代城5号楼1单元1203室，谢谢",
         ["北京市朝阳区建国路88号SOHO现代城5号楼1单元1203室"]),
        ("北京市朝阳区建国路88号旁边的咖啡店", ["北京市朝阳区建国路88号"]),
        ("住在上海市浦东新区世纪大道100号", ["上海市浦东新区世纪大道100号"]),
        ("我在上海出差", []),
        ("北京大学", []),
    ],
)
def test_division_anchors_grow_to_the_last_road_or_number_token(
    detector: Detector, text: str, addresses: list[str]
) -> None:
    assert _addresses(detector, text) == addresses


@pytest.mark.parametrize(
    ("text", "addresses"),
    [
        ("收货地址：幸福里路12号", ["幸福里路12号"]),
        ("地址= 建国路88号院", ["建国路88号院"]),
        ("麻烦寄到建国路88号院A座", ["建国路88号院A座"]),
        ("寄到公司", []),  # a cue word without a house number is not an address
        ("地址不详", []),
    ],
)
def test_cue_word_anchors_drop_the_cue_and_need_a_number(
    detector: Detector, text: str, addresses: list[str]
) -> None:
    assert _addresses(detector, text) == addresses


@pytest.mark.parametrize(
    ("text", "address"),
    [("麻烦寄到建国路88号院3号楼", "建国路88号院3号楼"),
     ("北京市朝阳区建国路88号5号楼", "北京市朝阳区建国路88号5号楼")],
)
def test_building_numbers_written_with_hao_lou_end_the_address(
    detector: Detector, text: str, address: str
) -> None:
    assert _addresses(detector, text) == [address]


def test_keyed_address_is_the_whole_value(detector: Detector) -> None:
    payload = '{"address": " 宁夏回族自治区银川市兴庆区Q座 123456 "}'
    assert _addresses(detector, payload) == ["宁夏回族自治区银川市兴庆区Q座 123456"]
    assert _addresses(detector, '{"address": "N/A"}') == []


def test_address_refiner_strips_the_cue_prefix_directly() -> None:
    text = "地址：  文三路90号"
    assert refine_address(text, [_Span(0, 2)], False, ("地址",)) == [(5, 11)]


def test_address_growth_is_capped_at_sixty_characters() -> None:
    text = "北京市" + "甲" * 40 + "路" + "乙" * 30 + "号"  # 路 at 43, 号 at 74
    assert refine_address(text, [_Span(0, 3)], False, ()) == [(0, 44)]


def test_overlapping_address_anchors_merge_into_one_span() -> None:
    text = "浙江省杭州市西湖区文三路90号"
    anchors = [_Span(0, 3), _Span(3, 6), _Span(6, 9)]
    assert refine_address(text, anchors, False, ()) == [(0, 15)]


def test_whole_leaf_refiner_reports_keyed_blobs_whole_and_merges_otherwise() -> None:
    text = "  QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkw  "
    assert refine_whole_leaf(text, [_Span(2, 34)], True, ()) == [(2, 46)]
    assert refine_whole_leaf(text, [_Span(2, 34), _Span(10, 40)], False, ()) == [(2, 40)]
