"""The compiled parts of the detector. The C scanner (firewall/detection/_native.c): its checksum
pre-checks never reject what the Python validators accept, and its offsets, separators, stops and
start recovery behave as the detector relies on. The mypyc build (setup.py): a module edited after
it refuses to import."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from firewall.checksums import cn_ric, cn_uscc, get_validator, luhn
from firewall.detection import _native
from firewall.detection.backends import ExpressionSpec, Plan, recovery_database, rule_plan, scan_expression
from firewall.detection.rulepack import Boundary, RecoverStart

VALIDATORS_OF = {
    _native.CHECK_LUHN: ("cn_bank_card", "luhn"),
    _native.CHECK_IMEI: ("imei",),
    _native.CHECK_USCC: ("cn_uscc", "cn_uscc_final_check"),
    _native.CHECK_RESIDENT_ID: ("cn_resident_id",),
}
USCC_ALPHABET = cn_uscc.ALPHABET
SEPARATORS = {_native.CHECK_IMEI: " -/"}  # what each validator removes; the others " -"


def rejects(check: int, text: str) -> bool:
    return _native.certainly_invalid(check, text.encode())


def spaced(draw: st.DrawFn, value: str, separators: str) -> str:
    """The value with separators at random places (the validators remove them)."""
    return "".join(
        char + (draw(st.sampled_from(separators)) if draw(st.booleans()) else "") for char in value
    )


@st.composite
def luhn_numbers(draw: st.DrawFn) -> str:
    body = draw(st.text("0123456789", min_size=11, max_size=18))
    return body + luhn.calc_check_digit(body)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    body = draw(st.text("0123456789", min_size=17, max_size=17))
    return body + cn_ric.calc_check_digit(body)


@st.composite
def usccs(draw: st.DrawFn) -> str:
    body = draw(st.text(USCC_ALPHABET, min_size=17, max_size=17))
    return body + cn_uscc.calc_check_digit(body)


VALID = {
    _native.CHECK_LUHN: luhn_numbers(),
    _native.CHECK_IMEI: st.text("0123456789", min_size=14, max_size=14).map(
        lambda body: body + luhn.calc_check_digit(body)
    ),
    _native.CHECK_USCC: usccs(),
    _native.CHECK_RESIDENT_ID: resident_ids(),
}


@pytest.mark.parametrize("check", list(VALIDATORS_OF))
@given(data=st.data())
def test_a_correct_check_character_is_never_rejected(check: int, data: st.DataObject) -> None:
    value = data.draw(VALID[check])
    text = data.draw(st.composite(lambda draw: spaced(draw, value, SEPARATORS.get(check, " -")))())
    assert not rejects(check, text)
    assert not rejects(check, text.lower())


@pytest.mark.parametrize("check", list(VALIDATORS_OF))
@given(data=st.data())
def test_a_wrong_check_character_is_rejected_in_c_and_in_python(check: int, data: st.DataObject) -> None:
    value = data.draw(VALID[check])
    alphabet = USCC_ALPHABET if check == _native.CHECK_USCC else "0123456789"
    wrong = data.draw(st.sampled_from(alphabet).filter(lambda char: char != value[-1]))
    if check == _native.CHECK_RESIDENT_ID and value[-1] != "X":
        wrong = data.draw(st.sampled_from(["X", wrong]))
    text = value[:-1] + wrong
    assert rejects(check, text)
    for name in VALIDATORS_OF[check]:
        assert not get_validator(name)(text), name


@pytest.mark.parametrize("check", list(VALIDATORS_OF))
@given(text=st.text("0123456789 -/XxAaYz中", max_size=24))
def test_what_c_rejects_every_python_validator_rejects(check: int, text: str) -> None:
    if rejects(check, text):
        for name in VALIDATORS_OF[check]:
            assert not get_validator(name)(text), name


def test_values_c_cannot_judge_are_left_to_python() -> None:
    assert not rejects(_native.CHECK_LUHN, "６２２２０２１２３４５６７８９０１２８")  # full width
    assert not rejects(_native.CHECK_IMEI, "3520990017614823")  # IMEISV: no check digit
    assert not rejects(_native.CHECK_RESIDENT_ID, "110105491231002")  # first generation, 15 digits


# ---------------------------------------------------------------- scanning


def scanner(
    expressions: list[str], plans: list[Plan], recovery: _native.Database | None = None
) -> _native.Scanner:
    flags = [_native.FLAG_UTF8 | _native.FLAG_SOM_LEFTMOST] * len(expressions)
    database = _native.compile([e.encode() for e in expressions], flags, list(range(len(expressions))))
    return _native.Scanner(database, plans, recovery)


MOBILE = ExpressionSpec(0, "mobile", r"1[3-9]\d{9}", Boundary.DIGIT, False)


def test_texts_report_character_offsets_after_han_text_and_emoji() -> None:
    scan = scanner([scan_expression(MOBILE).decode()], [rule_plan(MOBILE)])
    texts = ["plain 13812345678", "手机😀13812345678号", "no number"]
    assert scan.scan_texts(texts) == [(0, 0, 6, 17), (0, 1, 3, 14)]
    assert [texts[i][s:e] for _, i, s, e in scan.scan_texts(texts)] == ["13812345678"] * 2


def test_a_match_never_spans_two_texts() -> None:
    scan = scanner([r"a\x00?b"], [Plan()])
    assert scan.scan_texts(["xa", "bx"]) == []
    assert scan.scan_texts([]) == []


def test_lone_surrogates_count_as_one_character() -> None:
    scan = scanner([scan_expression(MOBILE).decode()], [rule_plan(MOBILE)])
    assert scan.scan_texts(["\ud800 13812345678"]) == [(0, 0, 2, 13)]


def test_checksum_failures_never_reach_python() -> None:
    card = ExpressionSpec(0, "card", r"62\d{14,17}", Boundary.DIGIT, False, None, "cn_bank_card")
    scan = scanner([scan_expression(card).decode()], [rule_plan(card)])
    assert scan.scan(b" 6212264233793351639 6212264233793351638 ") == [(0, 1, 20)]


def test_a_stop_ends_the_scan() -> None:
    scan = scanner(["stop", "go"], [Plan(stop=True), Plan()])
    assert scan.scan(b"go go") == [(1, 0, 2), (1, 3, 5)]
    assert scan.scan(b"go stop go") is None


def test_starts_are_recovered_for_expressions_found_by_their_suffix(tmp_path: Path) -> None:
    email = ExpressionSpec(
        0,
        "email",
        r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+\.[A-Za-z]{2,24}",
        Boundary.EMAIL,
        False,
        RecoverStart(within=64, suffix=r"@[A-Za-z0-9\-]+\.[A-Za-z]{2,24}"),
    )
    flags = [_native.FLAG_UTF8]  # no start tracking: the recovery database finds the start
    database = _native.compile([scan_expression(email)], flags, [0])
    recovery = recovery_database({0: email}, tmp_path)
    scan = _native.Scanner(database, [rule_plan(email)], recovery)
    text = "联系zhang.wei@example.com。"
    ((_, index, start, end),) = scan.scan_texts([text])
    assert (index, text[start:end]) == (0, "zhang.wei@example.com")


def test_compile_errors_name_the_expression() -> None:
    with pytest.raises(_native.CompileError) as error:
        _native.compile([b"ok", b"(unclosed"], [0, 0], [0, 1])
    message, index = error.value.args
    assert index == 1 and "parenthes" in message.lower()


def test_a_database_survives_serialisation_and_garbage_is_refused() -> None:
    database = _native.compile([b"13812345678"], [0], [7])
    again = _native.deserialize(database.serialize())
    assert _native.Scanner(again, []).scan(b"x13812345678") == [(7, 0, 12)]
    with pytest.raises(ValueError):
        _native.deserialize(b"not a database")


@pytest.mark.parametrize(("source", "recorded_as"), [("engine.py", "engine.py"), ("_native.c", "_native.c"),
                                                    ("engine.py", "engine")])  # as older builds record
def test_a_source_edited_after_the_build_refuses_to_import(
    tmp_path: Path, source: str, recorded_as: str
) -> None:
    from firewall.detection import _refuse_stale_build

    (tmp_path / source).write_text("x = 1\n")
    digest = hashlib.sha256(b"x = 1\n").hexdigest()
    (tmp_path / "_compiled.json").write_text(json.dumps({recorded_as: digest}))
    _refuse_stale_build(tmp_path)
    (tmp_path / source).write_text("x = 2\n")
    with pytest.raises(ImportError, match=rf"{source.replace('.', '[.]')} changed after it was compiled"):
        _refuse_stale_build(tmp_path)


@given(
    data=st.binary(max_size=40)
    | st.text(max_size=20).map(lambda text: text.encode("utf-8", "surrogatepass"))
)
# overlong forms, a surrogate, beyond U+10FFFF, truncated, and the edges of each range
@example(b"\xc0\x80")
@example(b"\xe0\x9f\xbf")
@example(b"\xe0\xa0\x80")
@example(b"\xed\xa0\x80")
@example(b"\xed\x9f\xbf")
@example(b"\xf4\x90\x80\x80")
@example(b"\xf4\x8f\xbf\xbf")
@example(b"\xf0\x8f\xbf\xbf")
@example(b"abcdefgh\xe4\xb8")
def test_scan_refuses_exactly_the_bytes_python_cannot_decode(data: bytes) -> None:
    scan = scanner(["x"], [Plan()])
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(ValueError, match="not UTF-8"):
            scan.scan(data)
    else:
        assert scan.scan(data) is not None
