"""GraphQL output types. They are views of domain objects, built with `from_domain`, never stored."""

from __future__ import annotations

from datetime import datetime

import strawberry

from chalicelib.domain.categories import Severity
from chalicelib.domain.devices import Device
from chalicelib.domain.incidents import Incident, IncidentStatus

# The domain vocabularies are the API's: one source of truth, values exposed by their upper-case names.
IncidentStatusEnum = strawberry.enum(IncidentStatus, name="IncidentStatus", description="Lifecycle state.")
SeverityEnum = strawberry.enum(Severity, name="Severity", description="Smart Data Models Alert severity.")


@strawberry.type(description="A WGS 84 position.")
class GeoPoint:
    lat: float
    lon: float


@strawberry.type(name="Incident", description="A qualified, correlated situation an agency owns.")
class IncidentType:
    id: strawberry.ID
    category: str = strawberry.field(description="Smart Data Models Alert category.")
    sub_category: str = strawberry.field(description="Smart Data Models Alert subCategory (or extension).")
    status: IncidentStatus
    severity: Severity
    confidence: float = strawberry.field(description="0 to 1.")
    title: str
    location: GeoPoint
    h3_cell: str
    first_seen: datetime
    last_seen: datetime
    event_count: int
    version: int = strawberry.field(description="Grows with every change; send it back to update.")
    incident: strawberry.Private[Incident]

    @classmethod
    def from_domain(cls, incident: Incident) -> IncidentType:
        return cls(
            id=strawberry.ID(incident.incident_id),
            category=incident.category,
            sub_category=incident.sub_category,
            status=incident.status,
            severity=incident.severity,
            confidence=incident.confidence,
            title=incident.title,
            location=GeoPoint(lat=incident.lat, lon=incident.lon),
            h3_cell=incident.h3_cell,
            first_seen=incident.first_seen,
            last_seen=incident.last_seen,
            event_count=incident.event_count,
            version=incident.version,
            incident=incident,
        )


@strawberry.type
class IncidentEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this incident.")
    node: IncidentType


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Incidents, most recently seen first.")
class IncidentConnection:
    edges: list[IncidentEdge]
    page_info: PageInfo


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
