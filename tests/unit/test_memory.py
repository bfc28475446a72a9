"""The collector's state around batch work and rule reloads."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from firewall.memory import cyclic_gc_paused, freeze_long_lived, refreeze


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_batch_work_runs_without_the_collector_and_restores_it() -> None:
    gc.enable()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        with cyclic_gc_paused():  # nested: the outer block owns the state
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled() -> None:
    gc.disable()
    with cyclic_gc_paused():
        pass
    assert not gc.isenabled()


class _RulePack:
    def __init__(self) -> None:
        self.me = self  # a reference cycle, as compiled rule packs have


def test_a_replaced_rule_pack_frozen_at_start_is_collected_after_a_reload() -> None:
    old = _RulePack()
    alive = weakref.ref(old)
    freeze_long_lived()
    del old
    gc.collect()
    assert alive() is not None  # frozen: never collected
    refreeze()
    assert alive() is None
    assert gc.get_freeze_count() > 0  # what is alive stays frozen
