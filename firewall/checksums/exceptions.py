"""Why a value failed validation.

The hierarchy mirrors python-stdnum's (``stdnum.exceptions``) so the two read the same, but it is
our own: callers catch :class:`ValidationError` from any validator in this package. Each class
carries a bounded snake_case ``reason`` code that detection can copy into a finding or a metric
label (it never contains the value itself).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

__all__ = [
    "InvalidChecksum",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "ValidationError",
    "passes",
]


class ValidationError(ValueError):
    """A value is not a valid instance of the identifier it was checked against."""

    reason: ClassVar[str] = "invalid"
    message: ClassVar[str] = "The value is invalid."

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.message


class InvalidFormat(ValidationError):
    """Characters or separators that the identifier does not allow, or parts are missing."""

    reason = "invalid_format"
    message = "The value has an invalid format."


class InvalidLength(InvalidFormat):
    """The value has the wrong number of characters once separators are removed."""

    reason = "invalid_length"
    message = "The value has an invalid length."


class InvalidChecksum(ValidationError):
    """The check digit or checksum does not match the rest of the value."""

    reason = "invalid_checksum"
    message = "The value's check digit or checksum is invalid."


class InvalidComponent(ValidationError):
    """A part refers to something that does not exist: a date, a region, a prefix, a network."""

    reason = "invalid_component"
    message = "A part of the value is invalid or unknown."


def passes(validate: Callable[[str], object], text: object) -> bool:
    """Whether ``validate`` accepts ``text`` (any object); never raises: each module's ``is_valid``."""
    if not isinstance(text, str):
        return False
    try:
        validate(text)
    except ValidationError:
        return False
    return True
