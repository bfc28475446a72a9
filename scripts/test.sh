#!/usr/bin/env bash
# The whole test suite from a fresh clone: set everything up, then static checks, the rule pack's own
# examples, and every test — unit, property, and integration tests on a real Kafka broker (started
# and stopped by the test session itself on a free port; set KAFKA_BOOTSTRAP to reuse one).
# Extra arguments go to pytest (e.g. scripts/test.sh -k redaction).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
echo "== ruff" && .venv/bin/ruff check firewall loadtest tests scripts
echo "== mypy" && .venv/bin/mypy
echo "== rules lint" && .venv/bin/pii-firewall rules lint
echo "== pytest" && exec .venv/bin/pytest -q -p no:cacheprovider "$@"
