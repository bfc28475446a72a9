"""Payload decoding: JSONPaths, numbers as text, non-JSON and binary payloads, deep nesting."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firewall.detection import Detector, Leaf, PayloadKind, parse_payload
from firewall.detection.payload import (
    MAX_DEPTH,
    escapes_decoded,
    fold_fullwidth,
    is_number_array,
    member,
    walk,
)


def _leaves(payload: bytes) -> list[tuple[str, str | None, str]]:
    return [(leaf.path, leaf.key, leaf.text) for leaf in parse_payload(payload).leaves]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b'{"a": {"b": "x"}}', [("$.a.b", "b", "x")]),
        (b'{"a": [{"b": "x"}, {"b": "y"}]}', [("$.a[0].b", "b", "x"), ("$.a[1].b", "b", "y")]),
        (b'{"a b": "x"}', [("$['a b']", "a b", "x")]),
        ('{"身份证": "x"}'.encode(), [("$.身份证", "身份证", "x")]),
        (b'{"it\'s": "x", "1st": "y", "a.b": "z"}',
         [("$['it\\'s']", "it's", "x"), ("$['1st']", "1st", "y"), ("$['a.b']", "a.b", "z")]),
        (b'{"phones": ["1", "2"]}',
         [("$.phones[0]", "phones", "1"), ("$.phones[1]", "phones", "2")]),
        (b'["x", ["y"]]', [("$[0]", None, "x"), ("$[1][0]", None, "y")]),
        # an array of two or more numbers is one value (a coordinate pair, a feature vector)
        (b'{"loc": [116.397128,39.916527]}', [("$.loc", "loc", "116.397128, 39.916527")]),
        (b'{"v": [[1, 2.5], [3, -4]]}', [("$.v[0]", "v", "1, 2.5"), ("$.v[1]", "v", "3, -4")]),
        (b'{"one": [7], "mixed": [1, "2"], "flags": [1, true]}',
         [("$.one[0]", "one", "7"), ("$.mixed[0]", "mixed", "1"), ("$.mixed[1]", "mixed", "2"),
          ("$.flags[0]", "flags", "1")]),
        (b'"just a string"', [("$", None, "just a string")]),
    ],
)
def test_leaves_carry_jsonpath_key_and_text_in_document_order(
    payload: bytes, expected: list[tuple[str, str | None, str]]
) -> None:
    parsed = parse_payload(payload)
    assert parsed.kind is PayloadKind.JSON
    assert _leaves(payload) == expected


def test_leaves_know_the_key_of_the_object_holding_them() -> None:
    payload = b'{"receiver": {"name": "a"}, "receivers": [{"name": "b"}], "name": "c"}'
    assert [(leaf.path, leaf.parent) for leaf in parse_payload(payload).leaves] == [
        ("$.receiver.name", "receiver"), ("$.receivers[0].name", "receivers"), ("$.name", None)]


def test_numbers_are_scanned_as_their_decimal_text() -> None:
    payload = b'{"tel": 13812345678, "lat": 39.908722, "neg": -5, "zero": 0}'
    assert [text for _, _, text in _leaves(payload)] == ["13812345678", "39.908722", "-5", "0"]


def test_booleans_and_nulls_are_not_leaves() -> None:
    assert _leaves(b'{"a": true, "b": false, "c": null, "d": "x"}') == [("$.d", "d", "x")]


@pytest.mark.parametrize("digits", ["18446744073709551616", "123456789012345678901234567890"])
def test_integers_beyond_64_bits_keep_every_digit(digits: str) -> None:
    payload = b'{"small": 1, "id": ' + digits.encode() + b', "s": "x"}'
    parsed = parse_payload(payload)
    assert parsed.kind is PayloadKind.JSON
    assert [leaf.text for leaf in parsed.leaves] == ["1", digits, "x"]
    assert parsed.document["id"] == int(digits)


def test_unicode_escapes_are_decoded_before_scanning() -> None:
    payload = b'{"\\u624b\\u673a": "\\u6211\\u7684 138\\u0031"}'
    assert _leaves(payload) == [("$.手机", "手机", "我的 1381")]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("＋８６　１９１８９１４５３７４", "+86 19189145374"),  # the ideographic space too
        ("电话：０１０－６２３４５６７８", "电话：010-62345678"),
        ("邮箱ｑｑ＠ｅｘａｍｐｌｅ．ｃｏｍ", "邮箱qq@example.com"),
        ("zhangwei35＠163.com", "zhangwei35@163.com"),  # ＠ alone is enough
        ("地址　北京市", "地址　北京市"),  # no full-width letter, digit or ＠: left as it is
        ("价格－１０", "价格-10"),
        ("２０２４年．完", "2024年.完"),
        ("一．二－三", "一．二－三"),  # － and ． alone are punctuation
    ],
)
def test_full_width_text_folds_to_ascii_one_character_for_one(text: str, folded: str) -> None:
    leaf = fold_fullwidth(Leaf("$", None, text))
    assert leaf.text == folded
    assert len(leaf.text) == len(text)


@pytest.mark.parametrize("text", ["hello 13812345678", "", "{not json", "key=value; 电话 1"])
def test_text_that_is_not_json_is_one_leaf_at_the_root(text: str) -> None:
    parsed = parse_payload(text.encode())
    assert parsed.kind is PayloadKind.TEXT
    assert parsed.leaves == [Leaf("$", None, text)]


@pytest.mark.parametrize("payload", [b"\xff\xfe\x00garbage", b'{"a": "\xc3\x28"}', b"\x80" * 10])
def test_bytes_that_are_not_utf8_are_binary_with_no_leaves(payload: bytes) -> None:
    parsed = parse_payload(payload)
    assert parsed.kind is PayloadKind.BINARY
    assert parsed.leaves == []


def _nested(depth: int, inner: bytes = b'{"tel": "13812345678"}') -> bytes:
    return b'{"a":' * depth + inner + b"}" * depth


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100, 250, 2000])
def test_deep_nesting_does_not_crash_and_is_still_scanned(detector: Detector, depth: int) -> None:
    payload = _nested(depth)
    parsed = parse_payload(payload)
    assert any("13812345678" in leaf.text for leaf in parsed.leaves)
    assert [f.entity for f in detector.scan_payloads([payload])[0]] == ["CN_MOBILE"]


@pytest.mark.parametrize("depth", [400])
def test_nesting_past_the_orjson_dump_limit_does_not_crash(depth: int) -> None:
    parsed = parse_payload(_nested(depth))
    assert any("13812345678" in leaf.text for leaf in parsed.leaves)


# ------------------------------------------------------------------------- property: every leaf


def _resolve(document: Any, path: str) -> Any:
    """Evaluate the JSONPath subset the walker writes: $, .name, [index], ['quoted'] ."""
    assert path.startswith("$")
    value, at = document, 1
    while at < len(path):
        if path[at] == ".":
            end = at + 1
            while end < len(path) and path[end] not in ".[":
                end += 1
            value, at = value[path[at + 1 : end]], end
        elif path.startswith("['", at):
            at += 2
            key: list[str] = []
            while path[at] != "'":
                if path[at] == "\\":
                    at += 1
                key.append(path[at])
                at += 1
            value, at = value["".join(key)], at + 2  # past "']"
        else:
            assert path[at] == "["
            end = path.index("]", at)
            value, at = value[int(path[at + 1 : end])], end + 1
    return value


def _scalars(value: Any) -> list[Any]:
    """The values the walk makes leaves of: strings, numbers, and arrays of two or more numbers."""
    if isinstance(value, dict):
        return [s for child in value.values() for s in _scalars(child)]
    if is_number_array(value):
        return [value]
    if isinstance(value, list):
        return [s for child in value for s in _scalars(child)]
    if isinstance(value, bool) or value is None:
        return []
    return [value]


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=24,
)


@settings(max_examples=300, deadline=None)
@given(document=_JSON_VALUES, ascii_only=st.booleans())
def test_every_scalar_is_one_leaf_whose_path_resolves_to_it(
    document: Any, ascii_only: bool
) -> None:
    payload = json.dumps(document, ensure_ascii=ascii_only).encode()
    parsed = parse_payload(payload)
    assert parsed.kind is PayloadKind.JSON
    assert len(parsed.leaves) == len(_scalars(document))
    assert len({leaf.path for leaf in parsed.leaves}) == len(parsed.leaves)
    for leaf in parsed.leaves:
        value = _resolve(document, leaf.path)
        if isinstance(value, str):
            assert leaf.text == value
        elif isinstance(value, list):  # an array of numbers: one leaf, the numbers joined
            texts = leaf.text.split(", ")
            numbers = [int(t) if type(v) is int else float(t) for t, v in zip(texts, value, strict=True)]
            assert numbers == value
        elif isinstance(value, int):
            assert leaf.text == str(value)
        else:
            assert float(leaf.text) == value


@given(keys=st.lists(st.text(max_size=8), min_size=1, max_size=3))
def test_paths_are_written_as_redaction_rebuilds_them(keys: list[str]) -> None:
    # The walk (C) names each leaf; redaction finds the leaf again by rebuilding the path with
    # member(): if the two ever wrote a key differently, a finding would go unredacted.
    document: Any = "13812345678"
    for key in reversed(keys):
        document = {key: [document]}
    [leaf] = walk(document)
    assert leaf.path == "$" + "".join(member(key) + "[0]" for key in keys)


# ------------------------------------------------------------------------- JSON written into a string


def test_json_written_into_a_string_is_walked_with_its_own_keys() -> None:
    inner = {"name": "张伟", "items": [{"qq": "12345678"}, "x"], "merchant": {"name": "华创"}, "n": 7}
    payload = json.dumps({"ext": json.dumps(inner, ensure_ascii=False)}, ensure_ascii=False).encode()
    leaves = parse_payload(payload).leaves
    outer = json.dumps(inner, ensure_ascii=False)
    assert [(leaf.path, leaf.key, leaf.text, leaf.parent) for leaf in leaves] == [
        ("$.ext", "name", "张伟", "ext"),
        ("$.ext", "qq", "12345678", "items"),
        ("$.ext", "items", "x", "ext"),
        ("$.ext", "name", "华创", "merchant"),
        ("$.ext", "n", "7", "ext"),
    ]
    assert all(outer[leaf.offset : leaf.offset + len(leaf.text)] == leaf.text for leaf in leaves)


@pytest.mark.parametrize(
    "value",
    ["{not json}", "[1, 2", "{}x", '{"a": "b\\\\c"}', "{ }", "{", "plain text {}", "[0.12, -0.5, 0.33]"],
)
def test_strings_that_are_not_clean_json_stay_one_leaf(value: str) -> None:
    payload = json.dumps({"ext": value}).encode()
    leaves = parse_payload(payload).leaves
    if value.strip() in ("{ }",):
        assert leaves == []  # an empty object written as text holds no value
    else:
        assert [(leaf.path, leaf.text, leaf.offset) for leaf in leaves] == [("$.ext", value, 0)]


_INNER_TEXT = st.text(
    st.characters(blacklist_characters='"\\', blacklist_categories=("Cs", "Cc")), max_size=8
)
_INNER = st.recursive(
    _INNER_TEXT | st.integers(-(10**12), 10**12) | st.booleans() | st.none(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_INNER_TEXT, children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(inner=st.dictionaries(_INNER_TEXT, _INNER, min_size=1, max_size=4), ascii_only=st.booleans())
def test_embedded_json_gives_the_leaves_of_the_same_json_nested(
    inner: dict[str, Any], ascii_only: bool
) -> None:
    """Written into a string, a document yields the keys, parents and texts it yields nested
    (at the string's path), each text found at its offset in the string."""
    written = json.dumps(inner, ensure_ascii=False)
    embedded = parse_payload(json.dumps({"ext": written}, ensure_ascii=ascii_only).encode()).leaves
    nested = parse_payload(json.dumps({"ext": inner}).encode()).leaves
    assert [(leaf.key, leaf.text, leaf.parent) for leaf in embedded] == [
        (leaf.key, leaf.text, leaf.parent) for leaf in nested
    ]
    assert all(leaf.path == "$.ext" for leaf in embedded)
    assert all(written[leaf.offset : leaf.offset + len(leaf.text)] == leaf.text for leaf in embedded)


# ------------------------------------------------------------------------- percent-escapes


@settings(max_examples=300, deadline=None)
@given(characters=st.lists(
    st.tuples(st.characters(blacklist_characters="%", blacklist_categories=("Cs",)), st.booleans()),
    max_size=20,
))
def test_percent_escapes_decode_and_each_character_maps_to_where_it_was_written(
    characters: list[tuple[str, bool]],
) -> None:
    written = "".join(quote(c, safe="") if escaped else c for c, escaped in characters)
    decoded = escapes_decoded(Leaf("$", None, written))
    if not any(escaped and quote(c, safe="") != c for c, escaped in characters):
        assert decoded is None
        return
    assert decoded is not None
    leaf, positions = decoded
    assert leaf.text == "".join(c for c, _ in characters)
    assert len(positions) == len(leaf.text) + 1 and positions[-1] == len(written)
    for index, (character, escaped) in enumerate(characters):
        expected = quote(character, safe="") if escaped else character
        assert written[positions[index] : positions[index + 1]] == expected


@pytest.mark.parametrize(
    ("written", "decoded"),
    [
        ("wd=%D5%C5%CE%B0&tel=%2B8613812345678", "wd=%D5%C5%CE%B0&tel=+8613812345678"),  # GBK stays
        ('body={"name":"\\u5f20\\u4f1f"}', 'body={"name":"张伟"}'),
        ("\\ud83d\\ude00 \\ud83d!", "😀 \\ud83d!"),  # a pair decodes, a lone surrogate stays
        ("100% sure, 50%off", None),
    ],
)
def test_escapes_that_do_not_decode_stay_as_written(written: str, decoded: str | None) -> None:
    result = escapes_decoded(Leaf("$", None, written))
    assert (result[0].text if result else None) == decoded


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), prefix=st.text(max_size=4))
def test_unicode_escapes_map_each_character_back_to_its_escape(text: str, prefix: str) -> None:
    written = prefix.replace("\\", "/") + json.dumps(text)[1:-1]  # json.dumps escapes all non-ASCII
    decoded = escapes_decoded(Leaf("$", None, written))
    if decoded is None:
        assert "\\u" not in written
        return
    leaf, positions = decoded
    assert len(positions) == len(leaf.text) + 1 and positions[-1] == len(written)
    for index, character in enumerate(leaf.text):
        piece = written[positions[index] : positions[index + 1]]
        assert piece == character or json.loads(f'"{piece}"') == character
