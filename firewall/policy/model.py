"""The destination policy (``patterns/policy.yaml``) as frozen, validated models."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from firewall.config import ConfigError


class Action(StrEnum):
    """What happens to an event. ``PRECEDENCE`` orders them from strongest to weakest."""

    BLOCK = "block"
    QUARANTINE = "quarantine"
    REDACT = "redact"
    ALLOW = "allow"


PRECEDENCE = (Action.BLOCK, Action.QUARANTINE, Action.REDACT, Action.ALLOW)


class Operator(StrEnum):
    MASK = "mask"  # keep the first/last characters, star the rest: 138****5678
    TAG = "tag"  # replace by the entity id: <CN_RESIDENT_ID>
    DROP = "drop"  # remove the value (an empty string)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DestinationPolicy(_Strict):
    kind: str = Field(pattern="^(internal|third_party|public)$")
    region: str = Field(pattern="^(mainland|outside)$")
    mode: str = Field("enforce", pattern="^(enforce|dry_run)$")
    allowed_entities: frozenset[str] = frozenset()
    on_sensitive: Action = Action.BLOCK
    on_general: Action = Action.REDACT


class OperatorSpec(_Strict):
    operator: Operator
    keep_first: int = Field(0, ge=0, le=32)
    keep_last: int = Field(0, ge=0, le=32)


class RedactionPolicy(_Strict):
    default: OperatorSpec = OperatorSpec(operator=Operator.TAG)
    entities: dict[str, OperatorSpec] = Field(default_factory=dict)

    def operator_for(self, entity: str) -> OperatorSpec:
        return self.entities.get(entity, self.default)


class Policy(_Strict):
    version: str
    unknown_destination: Action = Action.QUARANTINE
    destinations: dict[str, DestinationPolicy]
    unreadable_payload: Action = Action.QUARANTINE
    oversize_payload: Action = Action.QUARANTINE
    scan_destination: str | None = None  # what `pii-firewall scan` decides for, by default
    redaction: RedactionPolicy = Field(default_factory=RedactionPolicy)

    @model_validator(mode="after")
    def _fail_closed(self) -> Policy:
        for field in ("unknown_destination", "unreadable_payload", "oversize_payload"):
            if getattr(self, field) in (Action.ALLOW, Action.REDACT):
                raise ValueError(f"{field}: must be block or quarantine (nothing leaves unscanned)")
        return self


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file, or raise ConfigError naming file, key and problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read policy: {exc}") from exc
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{path}: {'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()
        ]
        raise ConfigError("\n".join(problems)) from None
