"""Labelled events: every truth span sits exactly on its value, every generated id really is valid
(recomputed here, independently of loadtest.pii_values), every hard negative really is not."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import random
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import ean, imei, luhn
from stdnum.cn import ric, uscc

from loadtest import pii_values as pv
from loadtest.accuracy import canonical_path
from loadtest.corpus import generate
from loadtest.events import KINDS, EventFactory, LabelledEvent, path_child

SEEDS = st.integers(min_value=0, max_value=2**32)


def leaf_text(event: LabelledEvent, path: str) -> str:
    """The decoded text of the leaf at `path`, as the scan contract sees it."""
    if path == "$":
        return event.payload.decode()
    node: Any = json.loads(event.payload)
    for step in canonical_path(path):
        node = node[step]
    if isinstance(node, list):  # an array of numbers: one leaf, its numbers joined by ", "
        assert node and all(type(item) in (int, float) for item in node), path
        return ", ".join(map(repr, node))
    assert isinstance(node, str | int | float) and not isinstance(node, bool), path
    return node if isinstance(node, str) else repr(node)


def assert_truth_lines_up(event: LabelledEvent) -> None:
    assert b"\n" not in event.payload
    for span in event.truth:
        text = leaf_text(event, span.path)
        assert text[span.start:span.end] == span.text, (event.kind, span)
        assert span.text and span.text == span.text.strip(), span


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("size", [200, 1024, 16384])
def test_truth_spans_are_exactly_where_the_values_sit(kind: str, size: int) -> None:
    factory = EventFactory(seed=size, pii_density=0.9, pool_size=64)
    events = [factory.make(kind, size) for _ in range(150)]
    assert sum(bool(e.truth) for e in events) > 100
    for event in events:
        assert event.kind == kind
        assert_truth_lines_up(event)


def test_escaped_json_offsets_count_decoded_characters() -> None:
    factory = EventFactory(seed=7, pii_density=1.0, pool_size=64)
    escaped = [e for e in (factory.make("support_ticket") for _ in range(400))
               if "escaped" in e.variants]
    assert len(escaped) > 20
    for event in escaped:
        assert event.payload.isascii() and b"\\u" in event.payload
        assert_truth_lines_up(event)
    assert any(not span.text.isascii() for e in escaped for span in e.truth)


def test_variants_put_numbers_chinese_keys_and_arrays_in_paths() -> None:
    factory = EventFactory(seed=11, pii_density=1.0, pool_size=64)
    events = [factory.make(kind) for kind in KINDS[:-1] for _ in range(200)]
    numeric = [s for e in events for s in e.truth if type(_leaf(e, s.path)) is int]
    assert {s.entity for s in numeric} >= {"CN_MOBILE", "CN_RESIDENT_ID", "CN_BANK_CARD"}
    paths = [s.path for e in events for s in e.truth]
    assert any(re.search(r"\$\.contacts\[\d\]\.", p) for p in paths)
    assert any(p.endswith((".身份证", ".手机号", ".姓名", ".地址")) for p in paths)
    assert any(p.endswith((".remark", ".desc", ".note", ".content", ".备注")) for p in paths)


def _leaf(event: LabelledEvent, path: str) -> Any:
    node: Any = json.loads(event.payload)
    for step in canonical_path(path):
        node = node[step]
    return node


def test_log_lines_are_not_json_and_glued_ticket_text_has_han_neighbours() -> None:
    factory = EventFactory(seed=3, pii_density=1.0, pool_size=64)
    for event in (factory.make("log_line") for _ in range(100)):
        with pytest.raises(json.JSONDecodeError):
            json.loads(event.payload)
        assert all(s.path == "$" for s in event.truth)
    tickets = [factory.make("support_ticket") for _ in range(200)]
    glued = [s for e in tickets for s in e.truth
             if s.start > 0 and "\u4e00" <= leaf_text(e, s.path)[s.start - 1] <= "\u9fff"]
    assert {s.entity for s in glued} >= {"CN_MOBILE", "CN_RESIDENT_ID", "CN_BANK_CARD"}


@pytest.mark.parametrize("density", [0.0, 0.3, 1.0])
def test_pii_density_is_the_share_of_events_with_pi(density: float) -> None:
    factory = EventFactory(seed=5, pii_density=density, pool_size=64)
    share = sum(bool(factory.make().truth) for _ in range(2000)) / 2000
    assert abs(share - density) < 0.04


@pytest.mark.parametrize("target", [1024, 4096, 65536])
def test_events_are_padded_to_about_the_target_size(target: int) -> None:
    factory = EventFactory(seed=9, pool_size=64)
    sizes = sorted(len(factory.make(target_size=target).payload) for _ in range(200))
    assert sizes[10] > target * 0.9 and sizes[len(sizes) // 2] < target * 1.2


def test_the_same_seed_makes_the_same_events() -> None:
    first, second = EventFactory(42, pool_size=32), EventFactory(42, pool_size=32)
    assert [first.make().payload for _ in range(50)] == [second.make().payload for _ in range(50)]


def test_faker_events_line_up_too() -> None:
    events = list(generate(300, seed=4, source="faker", pii_density=0.8, size=1024))
    assert sum(bool(e.truth) for e in events) > 150
    for event in events:
        assert_truth_lines_up(event)
    labelled = {s.entity for e in events for s in e.truth}
    assert labelled >= {"CN_RESIDENT_ID", "CN_MOBILE", "CN_BANK_CARD", "CN_ADDRESS", "TW_ID"}


@given(st.lists(st.text(max_size=6) | st.integers(0, 99), min_size=1, max_size=5))
def test_paths_rendered_for_events_parse_back_to_their_steps(steps: list[str | int]) -> None:
    path = "$"
    for step in steps:
        path = path_child(path, step)
    assert canonical_path(path) == tuple(steps)


# --- independent recomputation of check digits ---------------------------------------------------

def hk_id_ok(value: str) -> bool:
    """HKID per the catalogue, written separately: space = 36, A..Z = 10..35, weights 9..2."""
    m = re.fullmatch(r"([A-Z]{1,2})(\d{6})\(?([0-9A])\)?", value)
    if not m:
        return False
    chars = m.group(1).rjust(2, " ") + m.group(2)
    weights = range(9, 1, -1)
    total = sum((36 if c == " " else int(c, 36)) * w for c, w in zip(chars, weights, strict=True))
    total += 10 if m.group(3) == "A" else int(m.group(3))
    return total % 11 == 0


def tw_id_ok(value: str) -> bool:
    if not re.fullmatch(r"[A-Z][1289]\d{8}", value):
        return False
    n = "ABCDEFGHJKLMNPQRSTUVXYWZIO".index(value[0]) + 10
    digits = [n // 10, n % 10] + [int(c) for c in value[1:]]
    weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1]
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def vin_ok(value: str) -> bool:
    if not re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", value):
        return False
    table = {c: (i % 9) + 1 for i, c in enumerate("ABCDEFGHI")} | \
        {c: i + 1 for i, c in enumerate("JKLMNOPQR")} | {c: i + 2 for i, c in enumerate("STUVWXYZ")}
    values = [int(c) if c.isdigit() else table[c] for c in value]
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    remainder = sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return value[8] == ("X" if remainder == 10 else str(remainder))


def org_code_ok(code9: str) -> bool:
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c, 36) * w for c, w in zip(code9[:8], weights, strict=True))
    check = (11 - total % 11) % 11
    return code9[8] == ("X" if check == 10 else str(check))


@pytest.mark.parametrize(("check", "value"), [
    (hk_id_ok, "A123456(3)"), (tw_id_ok, "A123456789"), (vin_ok, "1M8GDM9AXKP042788")])
def test_the_test_checkers_accept_published_examples(check: Any, value: str) -> None:
    assert check(value)


MOBILE = re.compile(r"1740[0-5]\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}")


def _compact(value: str) -> str:
    return re.sub(r"[\s\-·()]", "", value)


@settings(max_examples=60, deadline=None)
@given(SEEDS)
def test_generated_values_are_valid_by_independent_recomputation(seed: int) -> None:
    rng = random.Random(seed)
    gen = pv.PI_GENERATORS
    rid = gen["CN_RESIDENT_ID"](rng).upper()
    if len(rid) == 18:
        assert ric.calc_check_digit(rid) == rid[17] and ric.get_birth_date(rid)
    else:
        assert re.fullmatch(r"\d{15}", rid)
        assert dt.date(1900 + int(rid[6:8]), int(rid[8:10]), int(rid[10:12]))
    card = _compact(gen["CN_BANK_CARD"](rng))
    assert luhn.is_valid(card) and 16 <= len(card) <= 19 and card[0] in "456"
    assert imei.is_valid(gen["IMEI"](rng))
    code = gen["CN_USCC"](rng)
    assert uscc.is_valid(code) and org_code_ok(code[8:17])
    assert hk_id_ok(gen["HK_ID"](rng)) and tw_id_ok(gen["TW_ID"](rng)) and vin_ok(gen["VIN"](rng))
    phone = _compact(gen["CN_MOBILE"](rng)).removeprefix("+86").removeprefix("0086")
    assert MOBILE.fullmatch(phone)
    assert re.fullmatch(r"0\d{2,3}\d{7,8}", _compact(gen["CN_LANDLINE"](rng)))


FORMATS = {
    "CN_PASSPORT": r"E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8}|[DSP]E\d{7}|K\d{8}|MA\d{7}",
    "CN_HK_MACAU_PERMIT": r"[HM]\d{8}(\d{2})?|C\d{8}|C[A-HJ-NP-Z]\d{7}",
    "CN_TAIWAN_PERMIT": r"\d{8}",
    "MO_ID": r"[157]\d{6}\(?\d\)?",
    "CN_LICENSE_PLATE": f"[{pv.PLATE_PROVINCES}][A-HJ-NP-Z]"
                        r"(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学]|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])",
    "WECHAT_ID": r"[a-zA-Z][-_a-zA-Z0-9]{5,19}",
    "QQ": r"[1-9]\d{4,10}",
    "ALIPAY_ID": r"2088\d{12}",
    "EMAIL": r"[a-z0-9._]+@[a-z0-9.]+\.[a-z]+",
    "MAC": r"[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}",
    "CN_PERSON_NAME": r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{2,4}·[\u4e00-\u9fff]{2,4}",
    "CN_ADDRESS": r"[\u4e00-\u9fff0-9]+(室|组)",
}


@settings(max_examples=40, deadline=None)
@given(SEEDS)
def test_generated_values_have_the_catalogue_shapes(seed: int) -> None:
    rng = random.Random(seed)
    for entity, pattern in FORMATS.items():
        value = pv.PI_GENERATORS[entity](rng)
        compact = re.sub(r"[·\- ]", "", value) if entity == "CN_LICENSE_PLATE" else value
        assert re.fullmatch(pattern, compact), (entity, value)
    ipaddress.IPv4Address(pv.ipv4(rng))
    ipaddress.IPv6Address(pv.ipv6(rng))
    coords = [float(x) for x in pv.geo_coord(rng).split(",")]
    assert all(18 <= c <= 135 for c in coords)


# --- hard negatives are not accidentally valid ----------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(SEEDS)
def test_hard_negatives_fail_the_checks_they_imitate(seed: int) -> None:
    rng = random.Random(seed)
    neg = pv.HARD_NEGATIVES
    bad_id = neg["ric_bad_check"](rng)
    assert ric.calc_check_digit(bad_id) != bad_id[17]
    with pytest.raises(ValueError):
        ric.get_birth_date(neg["ric_bad_date"](rng))
    order = neg["order_no"](rng)
    assert len(order) == 18 and not ric.is_valid(order) and not pv.ric_is_valid(order)
    assert not luhn.is_valid(order)
    assert not luhn.is_valid(neg["card_luhn_fail"](rng))
    assert not imei.is_valid(neg["imei_luhn_fail"](rng))
    assert not vin_ok(neg["vin_bad_check"](rng))
    assert not hk_id_ok(neg["hkid_bad_check"](rng))
    assert not tw_id_ok(neg["twid_bad_check"](rng))
    assert not uscc.is_valid(neg["uscc_bad_check"](rng))
    assert not MOBILE.fullmatch(neg["bad_mobile"](rng))
    assert ean.is_valid(neg["ean13"](rng))
    stamp = neg["epoch_ms"](rng)
    assert len(stamp) == 13 and stamp.startswith("1")
    waybill = neg["waybill"](rng)
    digits = re.sub(r"^[A-Z]+", "", waybill)
    assert 12 <= len(digits) <= 15 and not (len(digits) == 15 and luhn.is_valid(digits))
    assert not pv.ric_is_valid(digits)


PROVINCES = {str(n) for n in (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
                              *range(50, 55), *range(61, 66), 71, 81, 82, 83)}


def passes_some_check(value: str) -> bool:
    """Independent of loadtest.pii_values: stdnum where it has the algorithm, the helpers above."""
    if re.fullmatch(r"\d{17}[\dX]", value) and ric.calc_check_digit(value) == value[17]:
        try:
            ric.get_birth_date(value)
        except ValueError:
            pass
        else:
            if value[:2] in PROVINCES:
                return True
    if len(value) == 18 and uscc.is_valid(value) and org_code_ok(value[8:17]):
        return True
    if vin_ok(value) or MOBILE.fullmatch(value):
        return True
    return value.isdigit() and 15 <= len(value) <= 19 and luhn.is_valid(value)


@settings(max_examples=80, deadline=None)
@given(SEEDS)
def test_no_hard_negative_passes_a_catalogue_check_by_accident(seed: int) -> None:
    rng = random.Random(seed)
    for name, generate_negative in pv.HARD_NEGATIVES.items():
        value = re.sub(r"[ \-]", "", generate_negative(rng))
        assert not passes_some_check(value), (name, value)
