"""Microsoft Presidio set up for Chinese events the way a user would on this machine.

No spaCy model can be downloaded here, so a blank `zh` pipeline (character tokens, no NER) stands
in for one: Presidio then detects only through its recognizers. The registry holds Presidio's own
email, IP, credit-card and phone (region CN, through libphonenumber) recognizers, plus pattern
recognizers for the Chinese identifiers Presidio lacks, written the way a user would write them
from commonly published expressions: word-boundary anchored, no checksums. That is the point of
the comparison, so do not tune these expressions against our corpus.

Needs `presidio-analyzer` (the `bench` extra); runs offline.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from loadtest.baselines import FindingRow, TextLeaf, iter_leaves

LANGUAGE = "zh"

# Presidio entity name -> our entity id, where the id does not depend on the matched text.
ENTITY_IDS: dict[str, str] = {
    "CREDIT_CARD": "CN_BANK_CARD",
    "EMAIL_ADDRESS": "EMAIL",
    "CN_ID_CARD": "CN_RESIDENT_ID",
    "CN_USCC": "CN_USCC",
    "CN_PASSPORT": "CN_PASSPORT",
    "CN_HK_MACAU_PERMIT": "CN_HK_MACAU_PERMIT",
    "CN_LICENSE_PLATE": "CN_LICENSE_PLATE",
    "HK_ID_CARD": "HK_ID",
    "MO_ID_CARD": "MO_ID",
    "TW_ID_CARD": "TW_ID",
    "VIN": "VIN",
    "IMEI": "IMEI",
    "MAC_ADDRESS": "MAC",
}

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Z"

# (Presidio entity, pattern name, expression, score, context words)
_CHINESE_PATTERNS: tuple[tuple[str, str, str, float, tuple[str, ...]], ...] = (
    (
        "CN_ID_CARD",
        "resident id (18 digits)",
        r"\b[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b",
        0.5,
        ("身份证", "身份证号", "证件号", "id"),
    ),
    (
        "CN_ID_CARD",
        "resident id (15 digits)",
        r"\b[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}\b",
        0.3,
        ("身份证", "id"),
    ),
    (
        "CN_USCC",
        "unified social credit code",
        r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b",
        0.5,
        ("统一社会信用代码", "信用代码", "uscc"),
    ),
    (
        "CN_PASSPORT",
        "passport",
        r"\b(?:E[A-HJ-NP-Z\d]\d{7}|G\d{8}|[DSP]E\d{7}|K\d{8}|MA\d{7})\b",
        0.4,
        ("护照", "passport"),
    ),
    (
        "CN_HK_MACAU_PERMIT",
        "travel permit",
        r"\b(?:[HM]\d{8}(?:\d{2})?|C[A-HJ-NP-Z\d]\d{7})\b",
        0.3,
        ("通行证", "回乡证", "permit"),
    ),
    (
        "CN_LICENSE_PLATE",
        "licence plate",
        rf"[{_PROVINCES}][{_PLATE_LETTER}]"
        rf"(?:[DF][{_PLATE_LETTER}\d]\d{{4}}|\d{{5}}[DF]|[{_PLATE_LETTER}\d]{{4}}[{_PLATE_LETTER}\d挂学警港澳])",
        0.5,
        ("车牌", "plate"),
    ),
    (
        "HK_ID_CARD",
        "hong kong id",
        r"\b[A-Z]{1,2}\d{6}(?:\([0-9A]\)|[0-9A]\b)",
        0.4,
        ("香港身份证", "hkid"),
    ),
    ("MO_ID_CARD", "macau id", r"\b[157]\d{6}(?:\(\d\)|\d\b)", 0.2, ("澳门身份证",)),
    ("TW_ID_CARD", "taiwan id", r"\b[A-Z][12]\d{8}\b", 0.4, ("台湾身份证", "身分證")),
    ("VIN", "vehicle identification number", r"\b[A-HJ-NPR-Z\d]{17}\b", 0.3, ("vin", "车架号")),
    ("IMEI", "imei", r"\b\d{15}\b", 0.2, ("imei", "设备号")),
    ("MAC_ADDRESS", "mac address", r"\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b", 0.5, ("mac",)),
)

_NON_DIGITS = re.compile(r"\D")


def use_bundled_suffix_list() -> None:
    """Stop tldextract (called by Presidio's email recognizer) from fetching the suffix list."""
    import tldextract

    offline = tldextract.TLDExtract(suffix_list_urls=())
    tldextract.extract = offline  # type: ignore[assignment]  # same call signature


def blank_zh_model(cache_dir: Path | None = None) -> Path:
    """Save a blank spaCy `zh` pipeline to disk (once) so Presidio can load it by path."""
    import spacy

    target = (cache_dir or Path(tempfile.gettempdir())) / "pii-firewall-spacy-blank-zh"
    if not (target / "config.cfg").exists():
        spacy.blank(LANGUAGE).to_disk(target)
    return target


def chinese_pattern_recognizers() -> list[Any]:
    """Pattern recognizers for the Chinese identifiers Presidio has no recognizer for."""
    from presidio_analyzer import Pattern, PatternRecognizer

    by_entity: dict[str, list[tuple[str, str, float, tuple[str, ...]]]] = {}
    for entity, name, expression, score, context in _CHINESE_PATTERNS:
        by_entity.setdefault(entity, []).append((name, expression, score, context))
    recognizers = []
    for entity, specs in by_entity.items():
        context_words = sorted({word for spec in specs for word in spec[3]})
        recognizers.append(
            PatternRecognizer(
                supported_entity=entity,
                patterns=[Pattern(name, expression, score) for name, expression, score, _ in specs],
                context=context_words,
                supported_language=LANGUAGE,
            )
        )
    return recognizers


def build_presidio_analyzer(cache_dir: Path | None = None) -> Any:
    """An `AnalyzerEngine` for Chinese text: built-in recognizers + Chinese id patterns."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IpRecognizer,
        PhoneRecognizer,
    )

    use_bundled_suffix_list()
    nlp_engine = SpacyNlpEngine(
        models=[{"lang_code": LANGUAGE, "model_name": str(blank_zh_model(cache_dir))}]
    )
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in (
        EmailRecognizer(supported_language=LANGUAGE),
        IpRecognizer(supported_language=LANGUAGE),
        CreditCardRecognizer(supported_language=LANGUAGE),
        PhoneRecognizer(supported_language=LANGUAGE, supported_regions=("CN",)),
        *chinese_pattern_recognizers(),
    ):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE])


def to_entity_id(presidio_entity: str, matched: str) -> str:
    """Our entity id for a Presidio result; phones and IPs are split by the matched shape."""
    if presidio_entity == "PHONE_NUMBER":
        digits = _NON_DIGITS.sub("", matched)
        if matched.lstrip().startswith("+86") or digits.startswith("0086"):
            digits = digits[2:] if digits.startswith("86") else digits[4:]
        return "CN_MOBILE" if len(digits) == 11 and digits.startswith("1") else "CN_LANDLINE"
    if presidio_entity == "IP_ADDRESS":
        return "IPV6" if ":" in matched else "IPV4"
    return ENTITY_IDS.get(presidio_entity, presidio_entity)


def _resolve_conflicts(results: list[Any]) -> list[Any]:
    # Roughly what Presidio's anonymizer does before masking: a result inside a longer one, or on
    # the same span as a higher-scoring one, is dropped (the analyzer only does this per type).
    kept = []
    for result in results:
        beaten = any(
            other is not result
            and other.start <= result.start
            and result.end <= other.end
            and (other.end - other.start, other.score) > (result.end - result.start, result.score)
            for other in results
        )
        if not beaten:
            kept.append(result)
    return kept


class PresidioDetector:
    """Scans events leaf by leaf with a Presidio `AnalyzerEngine`; answers in the scan contract."""

    name = "Presidio"

    def __init__(self, analyzer: Any | None = None, score_threshold: float | None = None) -> None:
        self.analyzer = analyzer if analyzer is not None else build_presidio_analyzer()
        # None keeps Presidio's default: every result whatever its score.
        self.score_threshold = score_threshold

    def scan_payloads(self, payloads: Sequence[bytes]) -> list[list[FindingRow]]:
        leaves_per_payload = [list(iter_leaves(payload)) for payload in payloads]
        flat = [leaf for leaves in leaves_per_payload for leaf in leaves]
        # One spaCy pipe over all leaves of the batch, as BatchAnalyzerEngine does; the key is
        # passed as context, as BatchAnalyzerEngine.analyze_dict does.
        artifacts = self.analyzer.nlp_engine.process_batch(
            [leaf.text for leaf in flat], language=LANGUAGE
        )
        rows_per_leaf = [
            self._analyze_leaf(leaf, nlp_artifacts)
            for leaf, (_, nlp_artifacts) in zip(flat, artifacts, strict=True)
        ]
        answer: list[list[FindingRow]] = []
        cursor = 0
        for leaves in leaves_per_payload:
            rows = [
                row
                for leaf_rows in rows_per_leaf[cursor : cursor + len(leaves)]
                for row in leaf_rows
            ]
            cursor += len(leaves)
            answer.append(rows)
        return answer

    def _analyze_leaf(self, leaf: TextLeaf, nlp_artifacts: Any) -> list[FindingRow]:
        results = self.analyzer.analyze(
            text=leaf.text,
            language=LANGUAGE,
            nlp_artifacts=nlp_artifacts,
            context=[leaf.key] if leaf.key else None,
            score_threshold=self.score_threshold,
        )
        return [
            FindingRow(
                entity=to_entity_id(result.entity_type, leaf.text[result.start : result.end]),
                path=leaf.path,
                start=result.start,
                end=result.end,
            )
            for result in sorted(_resolve_conflicts(results), key=lambda r: (r.start, r.end))
        ]
