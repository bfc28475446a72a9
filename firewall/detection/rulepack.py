"""Rule packs: YAML files in ``patterns/`` validated into frozen models.

A pack file holds ``pack``, ``version``, optional ``lexicons`` (word lists usable in expressions as
``{{name}}``) and ``rules``. Every problem is reported as ``ConfigError`` naming file, rule and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from firewall.checksums import VALIDATORS
from firewall.config import ConfigError

ENTITY_ID = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
RULE_ID = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
_LEXICON_REF = re.compile(r"\{\{([a-z_]+)\}\}")


class Category(StrEnum):
    """PIPL / GB/T 35273 categories; the sensitive ones are Art. 28 sensitive PI."""

    IDENTITY = "identity"
    FINANCIAL = "financial"
    BIOMETRIC = "biometric"
    HEALTH = "health"
    WHEREABOUTS = "whereabouts"
    MINORS = "minors"
    ONLINE_IDENTIFIER = "online_identifier"
    CONTACT = "contact"
    DEVICE = "device"
    VEHICLE = "vehicle"
    ORGANISATION = "organisation"
    DEMOGRAPHIC = "demographic"


class Boundary(StrEnum):
    """What may not touch a match on either side (Hyperscan has no lookaround)."""

    DIGIT = "digit"  # no digit immediately before or after
    ALNUM = "alnum"  # no ASCII letter or digit before or after
    DOTTED = "dotted"  # no digit or dot (IPv4, coordinates: 1.2.3.4.5 is not an IP)
    HEX_COLON = "hex_colon"  # no letter, digit, colon or dash (IPv6, MAC)
    WORD = "word"  # no letter, digit, dash or underscore (account ids)
    EMAIL = "email"  # no character an email address may contain
    BLOB = "blob"  # starts after a non-base64 character; may run on (templates are long)
    # A word of its own in Chinese text: no Han character, digit or letter before it but a word
    # that opens a name (由, 请, 和…), no Han character after it but the first of a verb (在, 住…).
    CLAUSE = "clause"
    NONE = "none"


class Refiner(StrEnum):
    """Span post-processing for entities whose extent a pattern cannot fix by itself."""

    PERSON_NAME = "person_name"
    SUBJECT_NAME = "subject_name"  # a name opening a clause: 王芳住在…
    LATIN_TEXT_NAME = "latin_text_name"  # a Chinese name in English text: Thanks 王芳!
    ADDRESS = "address"
    WHOLE_LEAF = "whole_leaf"
    BORN_DATE = "born_date"
    STREET_ADDRESS = "street_address"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Context(_Strict):
    keywords: tuple[str, ...] = ()  # cue words in the text before/after the match
    keys: tuple[str, ...] = ()  # JSON key fragments (normalised); of 3 chars or fewer: whole key words
    key_excludes: tuple[str, ...] = ()  # key fragments that veto a key match (product_name)
    parent_excludes: tuple[str, ...] = ()  # enclosing-object keys that veto it (merchant.name)
    deny_keys: tuple[str, ...] = ()  # key fragments under which the rule never reports (sku)
    deny_keywords: tuple[str, ...] = ()  # cue words that veto a match within the window
    window: int = Field(24, ge=1, le=300)  # characters between cue and match
    # The longest value of a context-only rule, in characters: how far past its window the gated
    # scan looks after a trigger cue (a value cut by that reach is not reported).
    value_length: int = Field(24, ge=1, le=1000)
    boost: float = Field(0.15, ge=0.0, le=1.0)
    required: bool = False  # without context the rule never reports
    # Cue words too common to send a text down the full path by themselves (请联系在线客服 is in
    # every support text): they count only in a text that also holds a candidate of one of
    # ``companions`` (请联系王芳，电话138…), entities that rules reporting alone find. Companions
    # without companion cue words make the whole text the context: the rule is looked for in any
    # non-ASCII text where one of them was found, other than as the whole text (王芳住在…，手机138…).
    companion_keywords: tuple[str, ...] = ()
    companions: tuple[ENTITY_ID, ...] = ()

    @model_validator(mode="after")
    def _companions_named(self) -> Context:
        if self.companion_keywords and not self.companions:
            raise ValueError("companion_keywords need companions, the entities they count beside")
        return self

    @property
    def in_companion_texts(self) -> bool:
        """Whether any text holding a companion's finding is the rule's context (no cue word)."""
        return bool(self.companions) and not self.companion_keywords


class RecoverStart(_Strict):
    """Find a rule's matches by their end first, then their start.

    Hyperscan's start-of-match tracking makes the whole database several times slower when an
    expression opens with an unbounded repeat (an email's local part). Such a rule has Hyperscan
    report only where matches end — scanning for ``suffix`` alone when given, a part every match
    ends with (``@domain.tld``) — and a small second database confirms the whole expression over at
    most ``within`` characters before each end, where the match starts.
    """

    within: int = Field(ge=8, le=1024)  # the longest match, in characters
    suffix: str | None = None


class Examples(_Strict):
    match: tuple[str, ...] = ()  # the rule's entity is found in each (any span)
    whole: tuple[str, ...] = ()  # plain text found as one finding of the entity, end to end
    no_match: tuple[str, ...] = ()


class Rule(_Strict):
    id: RULE_ID
    entity: ENTITY_ID
    sensitive: bool
    category: Category
    expressions: tuple[str, ...] = Field(min_length=1)
    boundary: Boundary = Boundary.DIGIT
    caseless: bool = False
    validator: str | None = None
    refine: Refiner | None = None
    # A lexicon the refiner reads as words (the surnames a name must open with), where expanding
    # it into expressions would cost a database one expression per word.
    refine_lexicon: str | None = None
    refine_words: tuple[str, ...] = ()  # set by the loader from refine_lexicon
    confidence: float = Field(0.8, ge=0.0, le=1.0)
    recover_start: RecoverStart | None = None
    context: Context = Field(default_factory=Context)
    description: str = ""
    examples: Examples = Field(default_factory=Examples)
    source: str = ""  # the pack file it came from (set by the loader, for error messages)


class PackFile(_Strict):
    pack: str
    version: str
    lexicons: dict[str, str] = Field(default_factory=dict)  # name -> file relative to the pack
    rules: tuple[Rule, ...] = ()


class RulePack(_Strict):
    """All rules of a pack directory, lexicons expanded into the expressions."""

    name: str
    version: str
    rules: tuple[Rule, ...]
    min_confidence: float = 0.5

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(sorted({rule.entity for rule in self.rules}))


def load_rule_pack(path: Path) -> RulePack:
    """Load every ``*.yaml`` pack file under ``path`` (or one file); ``policy.yaml`` is skipped."""
    files = [path] if path.is_file() else sorted(_pack_files(path))
    if not files:
        raise ConfigError(f"{path}: no rule pack files (*.yaml with a 'rules' list)")
    rules: list[Rule] = []
    names: set[str] = set()
    versions: set[str] = set()
    for file in files:
        pack = _read_pack_file(file)
        names.add(pack.pack)
        versions.add(pack.version)
        lexicons = {name: _read_lexicon(file, name, rel) for name, rel in pack.lexicons.items()}
        rules.extend(_expand(file, rule, lexicons) for rule in pack.rules)
    _check_unique(rules)
    _check_companions(rules)
    return RulePack(name="+".join(sorted(names)), version="+".join(sorted(versions)), rules=tuple(rules))


def _pack_files(directory: Path) -> Iterable[Path]:
    for file in directory.rglob("*.yaml"):
        if file.name != "policy.yaml" and "rules:" in file.read_text(encoding="utf-8"):
            yield file


def _read_pack_file(file: Path) -> PackFile:
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{file}: not valid YAML: {exc}") from exc
    try:
        pack = PackFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = list(error["loc"])
            where = ".".join(str(p) for p in loc)
            if len(loc) >= 2 and loc[0] == "rules" and isinstance(raw, dict):
                rule_raw = raw.get("rules", [])[int(loc[1])]
                rule_id = rule_raw.get("id", "?") if isinstance(rule_raw, dict) else "?"
                where = f"rule {rule_id}: " + ".".join(str(p) for p in loc[2:])
            problems.append(f"{file}: {where}: {error['msg']}")
        raise ConfigError("\n".join(problems)) from None
    for rule in pack.rules:
        if rule.validator is not None and rule.validator not in VALIDATORS:
            known = ", ".join(sorted(VALIDATORS))
            raise ConfigError(
                f"{file}: rule {rule.id}: validator {rule.validator!r} unknown (known: {known})"
            )
    return pack


def _read_lexicon(file: Path, name: str, relative: str) -> tuple[str, ...]:
    lexicon_file = file.parent / relative
    if not lexicon_file.is_file():
        raise ConfigError(f"{file}: lexicon {name}: file {lexicon_file} not found")
    words = []
    for line in lexicon_file.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    if not words:
        raise ConfigError(f"{file}: lexicon {name}: {lexicon_file} is empty")
    # Longest first so that alternation order never matters for engines that stop at the first.
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def _expand(file: Path, rule: Rule, lexicons: dict[str, tuple[str, ...]]) -> Rule:
    """Replace ``{{lexicon}}`` by each of its words in turn: one expression per word.

    Hyperscan caps the length of one expression far below a 3,000-name alternation, while it
    matches many thousands of expressions at once at no extra cost per byte.
    """
    _check_not_empty(file, rule)
    expressions: list[str] = []
    for expression in rule.expressions:
        names = _LEXICON_REF.findall(expression)
        for name in names:
            if name not in lexicons:
                raise ConfigError(f"{file}: rule {rule.id}: expression uses unknown lexicon {name!r}")
        if len(names) > 1:
            raise ConfigError(f"{file}: rule {rule.id}: one lexicon per expression at most")
        if not names:
            expressions.append(expression)
            continue
        placeholder = "{{" + names[0] + "}}"
        expressions.extend(expression.replace(placeholder, re.escape(w)) for w in lexicons[names[0]])
    update: dict[str, object] = {"expressions": tuple(expressions), "source": str(file)}
    if rule.refine_lexicon is not None:
        if rule.refine_lexicon not in lexicons:
            raise ConfigError(
                f"{file}: rule {rule.id}: refine_lexicon names unknown lexicon {rule.refine_lexicon!r}"
            )
        update["refine_words"] = lexicons[rule.refine_lexicon]
    return rule.model_copy(update=update)


def _check_unique(rules: list[Rule]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise ConfigError(f"rule id {rule.id!r} is defined twice: in {seen[rule.id]} and {rule.source}")
        seen[rule.id] = rule.source


def _check_companions(rules: list[Rule]) -> None:
    entities = {rule.entity for rule in rules}
    for rule in rules:
        unknown = sorted(set(rule.context.companions) - entities)
        if unknown:
            raise ConfigError(
                f"{rule.source}: rule {rule.id}: companion entity {', '.join(unknown)} is no rule's entity"
            )


def _check_not_empty(file: Path, rule: Rule) -> None:
    """Reject an expression that matches the empty string (Hyperscan would report it everywhere
    once a boundary wraps it). Python's ``re`` answers this for the syntax both engines share."""
    from firewall.detection.backends import to_python_regex

    for expression in rule.expressions:
        try:
            pattern = re.compile(to_python_regex(_LEXICON_REF.sub("x", expression), Boundary.NONE))
        except re.error:
            continue  # Hyperscan-only syntax: the Hyperscan compile judges it
        if pattern.fullmatch(""):
            raise ConfigError(f"{file}: rule {rule.id}: expression {expression!r} matches the empty string")
