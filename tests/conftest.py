"""Session-wide access to a real Kafka broker.

Set KAFKA_BOOTSTRAP=host:port to test against a broker that is already running (for example one
started with `scripts/kafka.sh start`); otherwise the session starts its own broker on a free
port with scripts/kafka.sh, and stops and deletes it at the end.
"""

from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka_helpers import TEST_PORT_RANGE, create_topics, port_pair_is_free

__all__ = ["create_topics", "kafka_bootstrap"]

KAFKA_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "kafka.sh"
# Install (first run on a fresh machine), format and start-up under CPU contention.
START_TIMEOUT_S = 180
START_ATTEMPTS = 3


def _kafka_sh(
    command: str, env: dict[str, str], timeout_s: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KAFKA_SCRIPT), command],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )


def _pick_free_port() -> int:
    candidates = random.sample(TEST_PORT_RANGE, 200)
    for port in candidates:
        if port_pair_is_free(port):
            return port
    pytest.fail(f"no free port pair for the test broker in {TEST_PORT_RANGE}")


def _start_broker(state_root: Path) -> dict[str, str]:
    """Start a broker; returns the environment that addresses it through kafka.sh."""
    failures: list[str] = []
    for attempt in range(START_ATTEMPTS):
        port = _pick_free_port()
        env = {
            **os.environ,
            "KAFKA_PORT": str(port),
            "KAFKA_STATE_DIR": str(state_root / f"broker-{port}"),
        }
        started = _kafka_sh("start", env, START_TIMEOUT_S)
        if started.returncode == 0:
            return env
        failures.append(f"attempt {attempt + 1}, port {port}:\n{started.stderr}")
        _kafka_sh("clean", env, 60)
        # Only a port taken between the probe and the broker's bind is worth another try.
        if "Address already in use" not in started.stderr and "is taken" not in started.stderr:
            break
    pytest.fail("the Kafka test broker did not start:\n" + "\n".join(failures), pytrace=False)


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bootstrap address "127.0.0.1:PORT" of a running broker, for the whole session.

    While the session's own broker runs, KAFKA_PORT and KAFKA_STATE_DIR in os.environ point at
    it, so `scripts/kafka.sh status|logs|topics` run by a test address the same broker.
    """
    external = os.environ.get("KAFKA_BOOTSTRAP")
    if external:
        yield external
        return
    env = _start_broker(tmp_path_factory.mktemp("kafka"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KAFKA_PORT", env["KAFKA_PORT"])
        patch.setenv("KAFKA_STATE_DIR", env["KAFKA_STATE_DIR"])
        try:
            yield f"127.0.0.1:{env['KAFKA_PORT']}"
        finally:
            _kafka_sh("clean", env, 60)
