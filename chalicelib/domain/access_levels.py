"""The four access levels, in increasing order; NONE means the caller may not know the incident exists."""

from __future__ import annotations

from enum import IntEnum


class AccessLevel(IntEnum):
    NONE = 0
    PUBLIC = 1
    SUMMARY = 2
    OPERATIONAL = 3
    RESTRICTED = 4
