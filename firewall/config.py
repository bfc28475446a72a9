"""Settings: one typed model read from a YAML file and ``FIREWALL_*`` environment variables.

Environment variables win over the file; nested keys use ``__`` (``FIREWALL_KAFKA__GROUP_ID``).
Everything is validated at start; a bad value raises :class:`ConfigError` naming the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

REPO_PATTERNS = Path(__file__).resolve().parent.parent / "patterns"


class ConfigError(ValueError):
    """A setting, rule pack or policy is invalid; the message names the key and the problem."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KafkaSettings(_Section):
    bootstrap_servers: str = "127.0.0.1:19092"
    group_id: str = "pii-firewall"
    client_id: str = "pii-firewall"
    input_topics: list[str] = Field(default_factory=lambda: ["egress.events"], min_length=1)
    auto_offset_reset: Literal["earliest", "latest"] = "earliest"
    acks: Literal["1", "all"] = "all"

    @field_validator("bootstrap_servers")
    @classmethod
    def _host_port(cls, value: str) -> str:
        for server in value.split(","):
            host, _, port = server.strip().rpartition(":")
            if not host or not port.isdigit() or not 0 < int(port) < 65536:
                raise ValueError(f"expected host:port[,host:port...], got {server!r}")
        return value


class TopicSettings(_Section):
    audit: str = "pii-firewall.audit"
    quarantine: str = "pii-firewall.quarantine"


class RoutingSettings(_Section):
    """Where an event is going: a header names the destination, else its topic does."""

    destination_header: str = "pii-dest"
    topic_destinations: dict[str, str] = Field(default_factory=lambda: {"egress.events": "partner-analytics"})
    sink_topics: dict[str, str] = Field(
        default_factory=lambda: {
            "partner-analytics": "egress.partner-analytics",
            "ads-overseas": "egress.ads-overseas",
            "internal-crm": "egress.internal-crm",
        }
    )


class HotPathSettings(_Section):
    max_batch_records: int = Field(2000, ge=1, le=100_000)
    poll_timeout_ms: int = Field(50, ge=1, le=10_000)
    # The broker answers a fetch once this much is waiting, or after fetch_max_wait_ms: at a
    # moderate load, batches of a few dozen events instead of a few, at ~25% less CPU per event
    # (each batch pays for caches the broker and other processes emptied); docs/performance.md.
    fetch_min_bytes: int = Field(32_768, ge=1)
    fetch_max_wait_ms: int = Field(10, ge=0, le=10_000)
    max_payload_bytes: int = Field(1_048_576, ge=1024)
    linger_ms: int = Field(2, ge=0, le=1000)
    # Batches sent but not yet committed. 1: each batch waits for its acks and commit before the
    # next is read. More lets detection run while the broker acknowledges (docs/performance.md).
    max_batches_in_flight: int = Field(2, ge=1, le=16)
    # Delivered offsets are committed at most this often; a crash replays up to this much more.
    commit_interval_ms: int = Field(100, ge=0, le=60_000)


class WebSettings(_Section):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(6066, ge=1, lt=65536)


class Settings(BaseSettings):
    """Every knob of a worker. Rule packs and policies are data in ``patterns_dir``."""

    model_config = SettingsConfigDict(
        env_prefix="FIREWALL_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    topics: TopicSettings = Field(default_factory=TopicSettings)
    routing: RoutingSettings = Field(default_factory=RoutingSettings)
    hotpath: HotPathSettings = Field(default_factory=HotPathSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    patterns_dir: Path = REPO_PATTERNS
    policy_file: Path | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [env_settings, init_settings]
        yaml_file = init_settings.init_kwargs.pop("_config_file", None)  # type: ignore[attr-defined]
        if yaml_file is not None:
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=yaml_file))
        return tuple(sources)

    @property
    def resolved_policy_file(self) -> Path:
        return self.policy_file or self.patterns_dir / "policy.yaml"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read settings from ``config_file`` (optional) and the environment, or raise ConfigError."""
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"config file {config_file}: not found")
        try:
            content = yaml.safe_load(config_file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"config file {config_file}: not valid YAML: {exc}") from exc
        if content is not None and not isinstance(content, dict):
            kind = type(content).__name__
            raise ConfigError(f"config file {config_file}: expected a mapping of settings, got a {kind}")
        overrides["_config_file"] = config_file
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, config_file)) from None


def _describe(exc: ValidationError, config_file: Path | None) -> str:
    where = f" (file {config_file} or FIREWALL_* environment)" if config_file else ""
    lines = [f"invalid settings{where}:"]
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "<root>"
        lines.append(f"  {key}: {error['msg']}")
    return "\n".join(lines)
