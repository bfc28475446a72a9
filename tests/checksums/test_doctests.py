"""Run the docstring examples of every module in firewall.checksums.

This keeps the doctests in the default ``pytest tests`` run without ``--doctest-modules``.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import firewall.checksums

MODULE_NAMES = sorted(
    [firewall.checksums.__name__]
    + [
        f"{firewall.checksums.__name__}.{info.name}"
        for info in pkgutil.iter_modules(firewall.checksums.__path__)
    ]
)


@pytest.mark.parametrize("module_name", MODULE_NAMES)
def test_module_doctests_pass(module_name: str) -> None:
    module: ModuleType = importlib.import_module(module_name)
    failures, _ = doctest.testmod(module)
    assert failures == 0


def test_every_validator_module_has_examples() -> None:
    finder = doctest.DocTestFinder()
    without = [
        name
        for name in MODULE_NAMES
        if not name.endswith(("cn_area_codes", "_area_codes_update", "exceptions"))
        and not any(test.examples for test in finder.find(importlib.import_module(name)))
    ]
    assert without == []
