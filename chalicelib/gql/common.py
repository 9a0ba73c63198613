"""Shared GraphQL vocabulary (enums, GeoPoint) and the device types.

Output types are views of domain objects, built with `from_domain`, never stored.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.incident import IncidentStatus
from chalicelib.domain.sensing.devices import Device

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


@strawberry.type(name="Device", description="A registered sensor.")
class DeviceType:
    device_id: strawberry.ID
    kind: str
    agency: str
    location: GeoPoint
    enabled: bool
    expected_interval_s: int
    device: strawberry.Private[Device]

    @classmethod
    def from_domain(cls, device: Device) -> DeviceType:
        return cls(
            device_id=strawberry.ID(device.device_id),
            kind=device.kind,
            agency=device.agency,
            location=GeoPoint(lat=device.lat, lon=device.lon),
            enabled=device.enabled,
            expected_interval_s=device.expected_interval_s,
            device=device,
        )


@strawberry.type
class RegisterDevicePayload:
    device: DeviceType
    secret: str = strawberry.field(
        description="The device's signing secret (hex). Returned only here, once: store it on the device."
    )
