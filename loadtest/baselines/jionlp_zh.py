"""jionlp, a widely used Chinese NLP toolkit, used as a PII detector the way its users do.

Each string leaf goes through jionlp's regex extractors (phone numbers typed mobile or landline,
resident ids, emails, IPv4, licence plates, QQ and WeChat ids); overlapping answers on one leaf
(jionlp reports `+86 138-...` as a mobile and its tail again as a landline) are reduced to the
longest. jionlp has no bank-card, USCC, passport, HK/TW id, VIN, IMEI, IPv6 or MAC extractor.

Needs the `jionlp` package (not a project dependency: install it into the venv to get this row);
runs offline, its dictionaries ship in the wheel.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Sequence
from typing import Any

from loadtest.baselines import FindingRow, TextLeaf, drop_contained, iter_leaves

_PHONE_TYPES = {"cell_phone": "CN_MOBILE", "landline_phone": "CN_LANDLINE"}


def is_available() -> bool:
    """True when jionlp can be imported."""
    try:
        _import_jionlp()
    except ImportError:
        return False
    return True


def _import_jionlp() -> Any:
    # jionlp prints a banner on import; keep the benchmark's output a clean table.
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

    return jionlp


class JionlpDetector:
    """Scans events leaf by leaf with jionlp's extractors, answering in the scan contract."""

    name = "jionlp"

    def __init__(self) -> None:
        jio = _import_jionlp()
        # (extractor, entity id or None when the extractor types each answer itself)
        self._extractors: tuple[tuple[Callable[..., list[dict[str, Any]]], str | None], ...] = (
            (jio.extract_phone_number, None),
            (jio.extract_id_card, "CN_RESIDENT_ID"),
            (jio.extract_email, "EMAIL"),
            (jio.extract_ip_address, "IPV4"),
            (jio.extract_motor_vehicle_licence_plate, "CN_LICENSE_PLATE"),
            (jio.extract_qq, "QQ"),
            (jio.extract_wechat_id, "WECHAT_ID"),
        )

    def scan_payloads(self, payloads: Sequence[bytes]) -> list[list[FindingRow]]:
        return [
            [row for leaf in iter_leaves(payload) for row in self._scan_leaf(leaf)]
            for payload in payloads
        ]

    def _scan_leaf(self, leaf: TextLeaf) -> list[FindingRow]:
        rows: list[FindingRow] = []
        for extract, entity in self._extractors:
            for answer in extract(leaf.text, detail=True):
                entity_id = entity or _PHONE_TYPES.get(answer.get("type", ""))
                if entity_id is None:
                    continue
                start, end = answer["offset"]
                rows.append(FindingRow(entity=entity_id, path=leaf.path, start=start, end=end))
        return drop_contained(rows)
