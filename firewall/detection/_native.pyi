"""Types of the C extension built from _native.c (see there for what each does)."""

from collections.abc import Sequence
from typing import TypeVar

_Leaf = TypeVar("_Leaf", bound=tuple[object, ...])

FLAG_CASELESS: int
FLAG_SINGLEMATCH: int
FLAG_UTF8: int
FLAG_SOM_LEFTMOST: int
CHECK_LUHN: int
CHECK_IMEI: int
CHECK_USCC: int
CHECK_RESIDENT_ID: int

class CompileError(ValueError): ...  # args: (message, index of the expression or -1)

class Database:
    def serialize(self) -> bytes: ...

class Scanner:
    def __init__(
        self,
        database: Database,
        plans: Sequence[tuple[bool, bool, int, bool, int]],
        recovery: Database | None = None,
    ) -> None: ...
    def scan(self, buffer: bytes) -> list[tuple[int, int, int]] | None: ...  # ValueError: not UTF-8
    def scan_texts(self, texts: list[str]) -> list[tuple[int, int, int, int]]: ...
    def count(self, buffer: bytes) -> int: ...

def compile(expressions: list[bytes], flags: list[int], ids: list[int]) -> Database: ...
def deserialize(data: bytes) -> Database: ...
def certainly_invalid(check: int, value: bytes) -> bool: ...
def walk(document: object, max_depth: int, leaf_type: type[_Leaf]) -> tuple[list[_Leaf], bool] | None: ...
def enclosing_opener(buffer: bytes, position: int, low: int) -> int: ...
def version() -> str: ...
