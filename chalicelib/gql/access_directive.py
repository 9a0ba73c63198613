"""`@access(level: …)`: each field of a protected type declares in the schema the level it requires.

The level comes from `FIELD_LEVELS` (the single source); `protected(...)` attaches the directive to every
field of a Strawberry type and refuses, at import, a type whose fields and table disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.schema_directive import Location
from strawberry.types.base import get_object_definition
from strawberry.types.private import is_private
from strawberry.utils.str_converters import to_camel_case

from chalicelib.domain.access.field_levels import FIELD_LEVELS
from chalicelib.domain.access_levels import AccessLevel


@strawberry.enum(
    name="AccessLevel",
    description="What a caller may read of an incident: PUBLIC < SUMMARY < OPERATIONAL < RESTRICTED.",
)
class AccessLevelEnum(Enum):
    PUBLIC = AccessLevel.PUBLIC
    SUMMARY = AccessLevel.SUMMARY
    OPERATIONAL = AccessLevel.OPERATIONAL
    RESTRICTED = AccessLevel.RESTRICTED

    @classmethod
    def of(cls, level: AccessLevel) -> AccessLevelEnum:
        return cls(level)

    @property
    def level(self) -> AccessLevel:
        return AccessLevel(self.value)


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="access",
    description="The caller's level on the incident must reach `level`, or the field is null.",
)
class Access:
    level: AccessLevelEnum


T = TypeVar("T", bound=type)


def protected(type_name: str) -> Callable[[T], T]:
    """Class decorator (outside `@strawberry.type`): `@access` on every field, levels from FIELD_LEVELS."""
    levels = FIELD_LEVELS[type_name]

    def declare(cls: T) -> T:
        definition = get_object_definition(cls, strict=True)
        names = {
            field.graphql_name or to_camel_case(field.python_name): field
            for field in definition.fields
            if not is_private(field.type)
        }
        if set(names) != set(levels):
            missing, unknown = sorted(set(levels) - set(names)), sorted(set(names) - set(levels))
            raise TypeError(
                f"{type_name}: fields without a level {unknown}, levels without a field {missing}"
            )
        for name, field in names.items():
            field.directives = [*field.directives, Access(level=AccessLevelEnum.of(levels[name]))]
        return cls

    return declare
