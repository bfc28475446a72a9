"""The line-rate harness runs end to end on the real broker and accounts for every event."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from confluent_kafka import KafkaError, KafkaException
from hypothesis import given
from hypothesis import strategies as st

from loadtest.linerate import _transient, percentile
from loadtest.loadgen import MAX_EVENT_BYTES, MIN_EVENT_BYTES, SizePlan, event_key

REPO_ROOT = Path(__file__).resolve().parents[2]
QUICK_EVENTS = 1500
CONTENDERS = ("aiokafka", "confluent", "firewall")


@pytest.mark.integration
def test_quick_run_gives_every_event_an_outcome(kafka_bootstrap: str, tmp_path: Path) -> None:
    report_file = tmp_path / "linerate.json"
    completed = subprocess.run(
        [sys.executable, "-m", "loadtest.linerate", "--quick", "--events", str(QUICK_EVENTS),
         "--latency-seconds", "1", "--bootstrap", kafka_bootstrap, "--json", str(report_file)],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True, text=True, timeout=280, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    report = json.loads(report_file.read_text())

    assert report["events"] == QUICK_EVENTS
    assert report["bytes"] > QUICK_EVENTS * MIN_EVENT_BYTES
    for key in ("passthrough_eps", "firewall_eps", "ratio", "p50_ms", "p99_ms"):
        assert isinstance(report[key], int | float), key
    assert set(report["contenders"]) == set(CONTENDERS)
    for name in ("aiokafka", "confluent"):
        assert report["contenders"][name]["outcomes"] == {"sink": QUICK_EVENTS}
    firewall = report["contenders"]["firewall"]["outcomes"]
    # One audit record per input event; sink and quarantine hold what the decisions say.
    assert firewall["audit"] == QUICK_EVENTS
    assert sum(firewall.get(d, 0) for d in ("allow", "redact", "quarantine", "block")) == (
        QUICK_EVENTS)
    assert firewall["sink"] == firewall.get("allow", 0) + firewall.get("redact", 0)
    assert firewall["quarantine_topic"] == firewall.get("quarantine", 0)
    assert report["outcomes_ok"] is True
    assert "firewall    " in completed.stdout  # the table was printed


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=300))
def test_percentile_is_an_observed_value_between_min_and_max(values: list[float]) -> None:
    ordered = sorted(values)
    for share in (0.5, 0.99, 0.999):
        value = percentile(ordered, share)
        assert value in ordered
        assert ordered[0] <= value <= ordered[-1]
    assert percentile(ordered, 0.5) <= percentile(ordered, 0.99) <= percentile(ordered, 0.999)


def test_percentile_uses_nearest_rank() -> None:
    ordered = [float(v) for v in range(1, 1001)]
    assert percentile(ordered, 0.5) == 500.0
    assert percentile(ordered, 0.99) == 990.0
    assert percentile(ordered, 0.999) == 999.0


def test_mixed_sizes_stay_in_range_and_are_mostly_small() -> None:
    rng = random.Random(7)
    sizes = [SizePlan(None).draw(rng) for _ in range(20_000)]
    assert min(sizes) >= MIN_EVENT_BYTES
    assert max(sizes) <= MAX_EVENT_BYTES
    assert 0.65 < sum(size < 1024 for size in sizes) / len(sizes) < 0.75
    assert any(size > 32 * 1024 for size in sizes)


def test_event_keys_are_distinct_across_indexes_and_runs() -> None:
    keys = {event_key(seed, index) for seed in (1, 2) for index in range(5000)}
    assert len(keys) == 10_000


def test_waiting_outlasts_a_coordinator_still_loading_or_a_leader_not_ready() -> None:
    # A broker or topic created a moment ago answers with these before it is ready.
    assert _transient(KafkaException(KafkaError(KafkaError.COORDINATOR_LOAD_IN_PROGRESS)))
    assert _transient(KafkaException(KafkaError(KafkaError.NOT_LEADER_FOR_PARTITION)))
    assert not _transient(KafkaException(KafkaError(KafkaError.GROUP_AUTHORIZATION_FAILED)))
