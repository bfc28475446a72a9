"""The native parts of the detector (everything else is declared in pyproject.toml).

* ``firewall.detection._native`` (C) links Debian's ``libhyperscan-dev`` (Hyperscan 5.4);
  scripts/setup.sh installs it with gcc when they are missing.
* The detection engine's Python modules are compiled with mypyc: the same typed source, run as C
  (docs/performance.md). A compiled module shadows its ``.py``, so the build records each
  source's digest and ``firewall.detection`` refuses to import a build older than its source.
"""

import hashlib
import json
from pathlib import Path

from mypyc.build import mypycify
from setuptools import Extension, setup

DETECTION = Path("firewall/detection")
COMPILED = ["backends", "engine", "findings", "payload", "prefilter", "refiners", "words"]

sources = {name: DETECTION / f"{name}.py" for name in COMPILED}
# What the build was made from, by file: the compiled modules and the C extension's source,
# read before the build and recorded only once it succeeded (mypyc stops at a type error).
built_from = [*sources.values(), DETECTION / "_native.c"]
digests = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in built_from}

setup(
    ext_modules=[
        Extension(
            "firewall.detection._native",
            sources=[str(DETECTION / "_native.c")],
            libraries=["hs"],
            extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
        ),
        *mypycify(
            [str(path) for path in sources.values()],
            group_name="firewall_detection",
        ),
    ]
)
(DETECTION / "_compiled.json").write_text(json.dumps(digests) + "\n")
