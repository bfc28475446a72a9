"""The cyclic garbage collector around batch work (paused) and long-lived rule sets (frozen)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (synchronous batch work only).

    A batch keeps thousands of decoded documents, leaves and findings alive at once, so the
    collector's allocation-count thresholds fire hundreds of times per batch and promote the batch
    into the older generations, whose collections then walk it (and every object loaded at start)
    again: 25-45 µs per event of ``Detector.scan_parsed`` alone, ~40 in the worker. Reference
    counting frees the batch when it is done; any reference cycle it made waits for the next
    collection after the block. Nested blocks, and callers that disabled the collector themselves
    (tests, a debugger), keep the state they found.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def freeze_long_lived() -> None:
    """Leave everything alive now (rule pack, lexicons, Faust, aiokafka) out of later collections,
    instead of having every full collection walk it again."""
    gc.freeze()


def refreeze() -> None:
    """After long-lived objects were replaced (a rule or policy reload): thaw, collect the cycles
    the old ones leave behind, and freeze what is alive again. A no-op if nothing was frozen."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
        gc.freeze()
