"""Child processes of the harnesses, the demo and the tests: stopped politely, then for sure."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import Any


def stop_gracefully(processes: Sequence[subprocess.Popen[Any]], timeout_s: float = 20.0) -> None:
    """SIGTERM every running process (a worker commits and leaves its group), wait up to
    ``timeout_s`` each, then kill what is left."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
