"""Rule packs: every mistake in a pack file is a ConfigError naming the file and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from firewall.config import ConfigError
from firewall.detection import Detector, load_rule_pack

from .conftest import PATTERNS

_HEADER = 'pack: tiny\nversion: "1"\n'


def _rule(rule_id: str = "tiny_rule", expression: str = "ab+c", extra: str = "") -> str:
    return (
        f"  - id: {rule_id}\n"
        "    entity: TINY\n"
        "    sensitive: false\n"
        "    category: contact\n"
        f"    expressions: ['{expression}']\n"
        f"{extra}"
    )


def _pack(directory: Path, *rules: str, name: str = "tiny.yaml", lexicons: str = "") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    file = directory / name
    file.write_text(_HEADER + lexicons + "rules:\n" + "".join(rules), encoding="utf-8")
    return file


def _config_error(directory: Path, *, compile_it: bool = False, cache: Path) -> str:
    with pytest.raises(ConfigError) as raised:
        pack = load_rule_pack(directory)
        if compile_it:
            Detector(pack, cache_dir=cache)
    return str(raised.value)


def test_the_bundled_pack_loads_with_unique_ids_and_known_entities() -> None:
    pack = load_rule_pack(PATTERNS)
    ids = [rule.id for rule in pack.rules]
    assert len(ids) == len(set(ids))
    assert {"CN_MOBILE", "CN_RESIDENT_ID", "CN_BANK_CARD", "CN_PERSON_NAME"} <= set(pack.entities)
    assert pack.rule("cn_mobile").entity == "CN_MOBILE"
    with pytest.raises(KeyError):
        pack.rule("no_such_rule")


def test_policy_yaml_is_not_read_as_a_pack(tmp_path: Path) -> None:
    _pack(tmp_path, _rule())
    (tmp_path / "policy.yaml").write_text("version: '1'\nrules: not a pack\n", encoding="utf-8")
    assert [rule.id for rule in load_rule_pack(tmp_path).rules] == ["tiny_rule"]


def test_a_directory_without_packs_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no rule pack files"):
        load_rule_pack(tmp_path)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("    boundary: sideways\n", "boundary"),
        ("    confidence: 1.5\n", "confidence"),
        ("    colour: red\n", "colour"),
        ("    context:\n      window: 0\n", "context.window"),
    ],
)
def test_a_bad_field_names_file_rule_and_field(tmp_path: Path, extra: str, field: str) -> None:
    file = _pack(tmp_path, _rule("good_rule"), _rule("broken_rule", extra=extra))
    message = _config_error(tmp_path, cache=tmp_path)
    assert f"{file}: rule broken_rule: {field}:" in message
    assert "good_rule" not in message


def test_a_bad_rule_id_is_reported(tmp_path: Path) -> None:
    file = _pack(tmp_path, _rule("Not-Snake"))
    message = _config_error(tmp_path, cache=tmp_path)
    assert str(file) in message
    assert "Not-Snake" in message


def test_an_unknown_validator_names_file_and_rule(tmp_path: Path) -> None:
    file = _pack(tmp_path, _rule(extra="    validator: cn_no_such_check\n"))
    message = _config_error(tmp_path, cache=tmp_path)
    assert f"{file}: rule tiny_rule: validator 'cn_no_such_check' unknown" in message
    assert "cn_mobile" in message  # the known validators are listed


def test_an_unknown_lexicon_names_file_and_rule(tmp_path: Path) -> None:
    file = _pack(tmp_path, _rule(expression="{{no_such_words}}x"))
    message = _config_error(tmp_path, cache=tmp_path)
    assert f"{file}: rule tiny_rule: expression uses unknown lexicon 'no_such_words'" in message


def test_a_missing_lexicon_file_is_named(tmp_path: Path) -> None:
    file = _pack(tmp_path, _rule(), lexicons="lexicons:\n  words: missing.txt\n")
    message = _config_error(tmp_path, cache=tmp_path)
    assert str(file) in message
    assert "missing.txt" in message


def test_a_duplicate_id_is_named(tmp_path: Path) -> None:
    _pack(tmp_path, _rule("twice"), name="a.yaml")
    _pack(tmp_path, _rule("twice", expression="xy+z"), name="b.yaml")
    assert "twice" in _config_error(tmp_path, cache=tmp_path)


def test_a_duplicate_id_names_the_files(tmp_path: Path) -> None:
    first = _pack(tmp_path, _rule("twice"), name="a.yaml")
    second = _pack(tmp_path, _rule("twice", expression="xy+z"), name="b.yaml")
    message = _config_error(tmp_path, cache=tmp_path)
    assert str(first) in message
    assert str(second) in message


@pytest.mark.parametrize("expression", ["[a-", "(ab", "a{3,1}"])
def test_a_non_compiling_expression_names_the_rule(tmp_path: Path, expression: str) -> None:
    _pack(tmp_path, _rule("good_rule"), _rule("broken_rule", expression=expression))
    message = _config_error(tmp_path, compile_it=True, cache=tmp_path / "cache")
    assert "rule broken_rule" in message
    assert "good_rule" not in message


def test_a_non_compiling_expression_names_the_file(tmp_path: Path) -> None:
    file = _pack(tmp_path, _rule(expression="[a-"))
    assert str(file) in _config_error(tmp_path, compile_it=True, cache=tmp_path / "cache")


def test_an_empty_matching_expression_without_boundary_is_rejected(tmp_path: Path) -> None:
    _pack(tmp_path, _rule(expression="a*", extra="    boundary: none\n"))
    message = _config_error(tmp_path, compile_it=True, cache=tmp_path / "cache")
    assert "rule tiny_rule" in message
    assert "empty" in message


def test_an_empty_matching_expression_with_a_boundary_is_rejected(tmp_path: Path) -> None:
    _pack(tmp_path, _rule(expression="a*"))  # default boundary: digit
    message = _config_error(tmp_path, compile_it=True, cache=tmp_path / "cache")
    assert "tiny_rule" in message


def test_lexicon_expansion_gives_one_expression_per_distinct_word(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_text(
        "张\n# a comment line\n欧阳   # trailing comment\n\n王\n张\n", encoding="utf-8"
    )
    _pack(
        tmp_path,
        _rule(expression="{{names}}[a-z]", extra="    boundary: none\n"),
        lexicons="lexicons:\n  names: words.txt\n",
    )
    rule = load_rule_pack(tmp_path).rule("tiny_rule")
    # Longest word first; duplicates and comments gone; each word is its own expression.
    assert rule.expressions == ("欧阳[a-z]", "张[a-z]", "王[a-z]")


def test_lexicon_words_are_literals_not_regex(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_text("a.b\nc+d\n", encoding="utf-8")
    _pack(tmp_path, _rule(expression="{{w}}", extra="    boundary: none\n"),
          lexicons="lexicons:\n  w: words.txt\n")
    detector = Detector(load_rule_pack(tmp_path), cache_dir=tmp_path / "cache")
    assert [f.rule_id for f in detector.scan_payloads([b"a.b c+d"])[0]] == ["tiny_rule"] * 2
    assert detector.scan_payloads([b"axb ccd"])[0] == []


def test_two_lexicons_in_one_expression_are_refused(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_text("x\n", encoding="utf-8")
    _pack(tmp_path, _rule(expression="{{w}}{{w}}"), lexicons="lexicons:\n  w: w.txt\n")
    assert "one lexicon per expression" in _config_error(tmp_path, cache=tmp_path)


def _lexicon(name: str) -> set[str]:
    lines = (PATTERNS / "lexicons" / name).read_text("utf-8").splitlines()
    return {line.split("#", 1)[0].strip() for line in lines} - {""}


def test_bundled_surname_rule_has_one_expression_per_lexicon_word() -> None:
    surnames, pinyin = _lexicon("cn_surnames.txt"), _lexicon("cn_surnames_pinyin.txt")
    minority = _lexicon("cn_minority_names.txt")
    rule = load_rule_pack(PATTERNS).rule("cn_person_name")
    # Plus the one literal expression for minority names joined by a middle dot, one per minority
    # name written without a dot, and the pinyin surnames in two expressions each (surname first,
    # and given name first).
    assert len(rule.expressions) == len(surnames) + 1 + len(minority) + 2 * len(pinyin)


def test_companion_cues_need_companion_entities(tmp_path: Path) -> None:
    file = _pack(tmp_path, _rule(extra="    context:\n      companion_keywords: [联系]\n"))
    message = _config_error(tmp_path, cache=tmp_path)
    assert f"{file}: rule tiny_rule: context" in message
    assert "companion_keywords need companions" in message


def test_a_companion_entity_no_rule_finds_is_named(tmp_path: Path) -> None:
    file = _pack(
        tmp_path,
        _rule(extra="    context:\n      companion_keywords: [联系]\n      companions: [CN_MOBLE]\n"),
    )
    message = _config_error(tmp_path, cache=tmp_path)
    assert f"{file}: rule tiny_rule: companion entity CN_MOBLE is no rule's entity" in message


def test_a_refiner_lexicon_becomes_words_not_expressions(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_text("张\n欧阳\n", encoding="utf-8")
    extra = "    boundary: none\n    refine_lexicon: names\n"
    _pack(tmp_path, _rule(expression="[a-z]+", extra=extra), lexicons="lexicons:\n  names: words.txt\n")
    rule = load_rule_pack(tmp_path).rule("tiny_rule")
    assert rule.expressions == ("[a-z]+",)
    assert set(rule.refine_words) == {"张", "欧阳"}


def test_an_unknown_refiner_lexicon_names_file_and_rule(tmp_path: Path) -> None:
    file = _pack(tmp_path, _rule(extra="    refine_lexicon: no_such_words\n"))
    message = _config_error(tmp_path, cache=tmp_path)
    assert f"{file}: rule tiny_rule: refine_lexicon names unknown lexicon 'no_such_words'" in message
