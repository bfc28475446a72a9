"""Settings: defaults, YAML file, FIREWALL_* environment (which wins), errors that name the key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from firewall.config import REPO_PATTERNS, ConfigError, load_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own FIREWALL_* variables must not leak into these tests."""
    for name in list(os.environ):
        if name.startswith("FIREWALL_"):
            monkeypatch.delenv(name)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_point_at_the_local_broker_and_the_bundled_patterns() -> None:
    settings = load_settings()
    assert settings.kafka.bootstrap_servers == "127.0.0.1:19092"
    assert settings.kafka.group_id == "pii-firewall"
    assert settings.kafka.input_topics == ["egress.events"]
    assert settings.kafka.acks == "all"
    assert settings.hotpath.max_payload_bytes == 1_048_576
    assert settings.patterns_dir == REPO_PATTERNS
    assert settings.resolved_policy_file == REPO_PATTERNS / "policy.yaml"
    assert settings.log_level == "INFO"


def test_yaml_file_sets_values_and_keeps_the_other_defaults(tmp_path: Path) -> None:
    config = _write(tmp_path, "kafka:\n  group_id: from-file\nhotpath:\n  max_batch_records: 100\n")
    settings = load_settings(config)
    assert settings.kafka.group_id == "from-file"
    assert settings.hotpath.max_batch_records == 100
    assert settings.kafka.client_id == "pii-firewall"  # untouched sibling keeps its default


def test_environment_wins_over_the_file_key_by_nested_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _write(
        tmp_path, "kafka:\n  group_id: from-file\n  bootstrap_servers: '10.0.0.1:9092'\n"
    )
    monkeypatch.setenv("FIREWALL_KAFKA__GROUP_ID", "from-env")
    settings = load_settings(config)
    assert settings.kafka.group_id == "from-env"
    # Only the nested key named by the variable is overridden, not the whole section.
    assert settings.kafka.bootstrap_servers == "10.0.0.1:9092"


def test_environment_sets_top_level_and_list_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIREWALL_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("FIREWALL_KAFKA__INPUT_TOPICS", '["a.events", "b.events"]')
    settings = load_settings()
    assert settings.log_level == "DEBUG"
    assert settings.kafka.input_topics == ["a.events", "b.events"]


def test_policy_file_overrides_the_one_in_patterns(tmp_path: Path) -> None:
    config = _write(tmp_path, f"policy_file: {tmp_path / 'p.yaml'}\n")
    assert load_settings(config).resolved_policy_file == tmp_path / "p.yaml"


@pytest.mark.parametrize(
    ("yaml_text", "key"),
    [
        ("kafka:\n  bootstrap_servers: no-port-here\n", "kafka.bootstrap_servers"),
        ("kafka:\n  bootstrap_servers: 'host:99999'\n", "kafka.bootstrap_servers"),
        ("kafka:\n  input_topics: []\n", "kafka.input_topics"),
        ("kafka:\n  acks: '0'\n", "kafka.acks"),
        ("hotpath:\n  max_batch_records: 0\n", "hotpath.max_batch_records"),
        ("web:\n  port: 70000\n", "web.port"),
        ("log_level: LOUD\n", "log_level"),
    ],
)
def test_a_bad_value_in_the_file_names_its_key(tmp_path: Path, yaml_text: str, key: str) -> None:
    config = _write(tmp_path, yaml_text)
    with pytest.raises(ConfigError) as raised:
        load_settings(config)
    assert f"  {key}:" in str(raised.value)
    assert str(config) in str(raised.value)


def test_a_bad_value_in_the_environment_names_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIREWALL_KAFKA__BOOTSTRAP_SERVERS", "nonsense")
    with pytest.raises(ConfigError, match=r"kafka\.bootstrap_servers"):
        load_settings()


@pytest.mark.parametrize(
    ("yaml_text", "key"),
    [("kafka:\n  grop_id: typo\n", "kafka.grop_id"), ("patterns: /tmp\n", "patterns")],
)
def test_unknown_keys_in_the_file_are_rejected(tmp_path: Path, yaml_text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=rf"{key}: Extra inputs are not permitted"):
        load_settings(_write(tmp_path, yaml_text))


def test_unknown_nested_key_in_the_environment_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIREWALL_KAFKA__GROP_ID", "typo")
    with pytest.raises(ConfigError, match=r"kafka\.grop_id"):
        load_settings()


def test_missing_and_unparsable_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.yaml")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(_write(tmp_path, "kafka: [\n"))


def test_an_empty_file_means_all_defaults(tmp_path: Path) -> None:
    assert load_settings(_write(tmp_path, "")).kafka.group_id == "pii-firewall"


def test_a_file_that_is_not_a_mapping_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_settings(_write(tmp_path, "- kafka\n- web\n"))


def test_settings_are_frozen() -> None:
    settings = load_settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.kafka.__setattr__("group_id", "changed")


def test_the_documented_sample_config_is_valid_and_states_every_default() -> None:
    """docs/firewall.sample.yaml is what operators copy: it must load, and say the defaults."""
    sample = Path(__file__).resolve().parents[2] / "docs" / "firewall.sample.yaml"
    loaded = load_settings(sample)
    defaults = load_settings()
    assert loaded.kafka == defaults.kafka
    assert loaded.topics == defaults.topics
    assert loaded.routing == defaults.routing
    assert loaded.hotpath == defaults.hotpath
    assert loaded.web == defaults.web
