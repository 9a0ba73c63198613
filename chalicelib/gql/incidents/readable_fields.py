"""Which fields of a protected type a caller at a given level may read: FIELD_LEVELS, precomputed.

Objects are built already redacted: a field the caller may not read is set to None when the object is
built, so no field of the result pays for a permission check.
"""

from __future__ import annotations

from typing import TypeVar

from chalicelib.domain.access import FIELD_LEVELS
from chalicelib.domain.access_levels import AccessLevel

V = TypeVar("V")

_READABLE: dict[tuple[str, AccessLevel], frozenset[str]] = {
    (type_name, level): frozenset(name for name, required in fields.items() if required <= level)
    for type_name, fields in FIELD_LEVELS.items()
    for level in AccessLevel
}


class Redactor:
    """`redactor("location", value)` is `value` when the caller may read `location`, else None."""

    def __init__(self, type_name: str, level: AccessLevel) -> None:
        self.readable = _READABLE[(type_name, level)]

    def __call__(self, name: str, value: V) -> V | None:
        return value if name in self.readable else None


def required_level(type_name: str, field_name: str) -> AccessLevel | None:
    """The level a field requires; None for fields outside the table (such as __typename)."""
    return FIELD_LEVELS[type_name].get(field_name)
