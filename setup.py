"""The native part of the detector (everything else is declared in pyproject.toml).

``firewall.detection._native`` links Debian's ``libhyperscan-dev`` (Hyperscan 5.4): scripts/setup.sh
installs it with gcc when they are missing.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "firewall.detection._native",
            sources=["firewall/detection/_native.c"],
            libraries=["hs"],
            extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
        )
    ]
)
