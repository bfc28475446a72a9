"""Detection: rule packs compiled into Hyperscan databases, JSON-aware scanning, findings."""

import hashlib
import json
from pathlib import Path


def _refuse_stale_build(here: Path = Path(__file__).parent) -> None:
    """setup.py compiles some of these modules with mypyc, and a compiled module shadows its .py;
    the C extension is built from _native.c. An edit without a rebuild would silently run the old
    code (or, for the C walk, make leaves the Python side no longer reads)."""
    record = here / "_compiled.json"
    if not record.is_file():
        return
    for name, digest in json.loads(record.read_text()).items():
        source = here / (name if "." in name else f"{name}.py")  # older builds recorded modules
        if not source.is_file() or hashlib.sha256(source.read_bytes()).hexdigest() != digest:
            raise ImportError(
                f"firewall/detection/{source.name} changed after it was compiled: "
                "rebuild with scripts/setup.sh (or pip install -e .)"
            )


_refuse_stale_build()

from firewall.detection.engine import Detector  # noqa: E402
from firewall.detection.findings import Finding, Leaf  # noqa: E402
from firewall.detection.payload import ParsedPayload, PayloadKind, parse_payload, texts_at_paths  # noqa: E402
from firewall.detection.rulepack import RulePack, load_rule_pack  # noqa: E402

__all__ = [
    "Detector",
    "Finding",
    "Leaf",
    "ParsedPayload",
    "PayloadKind",
    "RulePack",
    "load_rule_pack",
    "parse_payload",
    "texts_at_paths",
]
