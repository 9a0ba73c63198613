"""Shared GraphQL vocabulary: the enums every context uses and GeoPoint.

Output types are views of domain objects, built with `from_domain`, never stored.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.incident import IncidentStatus

# The domain vocabularies are the API's: one source of truth, values exposed by their upper-case names.
IncidentStatusEnum = strawberry.enum(IncidentStatus, name="IncidentStatus", description="Lifecycle state.")
SeverityEnum = strawberry.enum(Severity, name="Severity", description="Smart Data Models Alert severity.")


@strawberry.enum(description="What the public may know of an incident's state.")
class PublicStatus(Enum):
    ACTIVE = "active"  # open or verified
    CLOSED = "closed"  # dismissed or resolved

    @classmethod
    def of(cls, status: IncidentStatus) -> PublicStatus:
        return cls.ACTIVE if status.is_active else cls.CLOSED


@strawberry.type(description="A WGS 84 position.")
class GeoPoint:
    lat: float
    lon: float
