#!/usr/bin/env bash
# The main job from a fresh clone: set everything up, start the local broker, run the firewall on a
# generated outbound stream and print what it decided. Ctrl-C stops the worker; the broker keeps
# running (scripts/kafka.sh stop). Pass --once to stop after the summary, --events N for more.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
export KAFKA_PORT="${KAFKA_PORT:-19092}"
bootstrap="$(scripts/kafka.sh start | tail -n 1)"
PYTHONPATH=. exec .venv/bin/python scripts/demo.py --bootstrap "$bootstrap" "$@"
