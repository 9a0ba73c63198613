"""The Incident type, built already redacted for the caller's level on that incident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import h3
import strawberry

from chalicelib.domain.access import Grant
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.incident import RECENT_EVENTS, Incident, IncidentStatus
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.response import CrewTask
from chalicelib.gql.access.types import GrantType
from chalicelib.gql.access_directive import AccessLevelEnum, protected
from chalicelib.gql.common import GeoPoint, PublicStatus
from chalicelib.gql.incidents.readable_fields import Redactor
from chalicelib.gql.incidents.related_types import DetectionEventType, NoteType, TaskType
from chalicelib.services.incidents.query_incidents import VisibleIncident

AREA_RESOLUTION = 7


@dataclass(frozen=True)
class Related:
    """What an incident's object shows besides the incident itself; None where it was not requested."""

    tasks: list[CrewTask] | None = None
    notes: list[Note] | None = None
    grants: list[Grant] | None = None
    events: bool = False  # whether `events` was requested (they come with the incident itself)


def events_shown(first: int | None) -> int:
    """How many of the recent events `events(first:)` returns."""
    return max(0, min(RECENT_EVENTS if first is None else first, RECENT_EVENTS))


def area_of(incident: Incident) -> str:
    """The H3 resolution-7 cell (about 5 km²) around the incident: all the public learns of its place."""
    if h3.get_resolution(incident.h3_cell) >= AREA_RESOLUTION:
        return str(h3.cell_to_parent(incident.h3_cell, AREA_RESOLUTION))
    return str(h3.latlng_to_cell(incident.lat, incident.lon, AREA_RESOLUTION))


@protected("Incident")
@strawberry.type(name="Incident", description="A qualified, correlated situation an agency owns.")
class IncidentType:
    id: strawberry.ID
    category: str = strawberry.field(description="Smart Data Models Alert category.")
    sub_category: str = strawberry.field(description="Smart Data Models Alert subCategory (or extension).")
    public_status: PublicStatus
    area: str = strawberry.field(description="The H3 resolution-7 cell around the incident.")
    owner_agency: str
    access_level: AccessLevelEnum = strawberry.field(description="Your level on this incident.")
    notes: list[NoteType] = strawberry.field(description="The notes your level reaches, oldest first.")
    title: str | None
    status: IncidentStatus | None
    severity: Severity | None
    confidence: float | None = strawberry.field(description="0 to 1.")
    first_seen: datetime | None
    last_seen: datetime | None
    approximate_location: GeoPoint | None = strawberry.field(description="The centre of `area`.")
    event_count: int | None
    version: int | None = strawberry.field(description="Grows with every change; send it back to update.")
    location: GeoPoint | None
    h3_cell: str | None
    description: str | None = strawberry.field(description="The latest event's description.")
    sensitive: bool | None = strawberry.field(description="Flagged: hidden from the public until resolved.")
    peak_magnitude: float | None
    tasks: list[TaskType] | None
    assigned_crews: list[str] | None
    device_ids: list[strawberry.ID] | None = strawberry.field(description="Devices and cameras that saw it.")
    grants: list[GrantType] | None
    recent_events: strawberry.Private[list[DetectionEventType] | None]

    @strawberry.field(description="The most recent detection events, newest first (at most 10).")
    def events(self, first: int = RECENT_EVENTS) -> list[DetectionEventType] | None:
        return None if self.recent_events is None else self.recent_events[: events_shown(first)]

    @classmethod
    def from_domain(cls, visible: VisibleIncident, related: Related) -> IncidentType:
        incident, level = visible.incident, visible.access.level
        shown = Redactor("Incident", level)
        area = area_of(incident)
        centre = h3.cell_to_latlng(area)
        tasks = related.tasks or []
        return cls(
            id=strawberry.ID(incident.incident_id),
            category=incident.category,
            sub_category=incident.sub_category,
            public_status=PublicStatus.of(incident.status),
            area=area,
            owner_agency=incident.owner_agency,
            access_level=AccessLevelEnum.of(level),
            notes=[
                NoteType.from_domain(note, level) for note in related.notes or [] if note.visibility <= level
            ],
            title=shown("title", incident.title),
            status=shown("status", incident.status),
            severity=shown("severity", incident.severity),
            confidence=shown("confidence", incident.confidence),
            first_seen=shown("firstSeen", incident.first_seen),
            last_seen=shown("lastSeen", incident.last_seen),
            approximate_location=shown("approximateLocation", GeoPoint(lat=centre[0], lon=centre[1])),
            event_count=shown("eventCount", incident.event_count),
            version=shown("version", incident.version),
            location=shown("location", GeoPoint(lat=incident.lat, lon=incident.lon)),
            h3_cell=shown("h3Cell", incident.h3_cell),
            description=shown("description", incident.description),
            sensitive=shown("sensitive", incident.sensitive),
            peak_magnitude=shown("peakMagnitude", incident.peak_magnitude),
            tasks=shown("tasks", [TaskType.from_domain(task, level) for task in tasks] if tasks else []),
            assigned_crews=shown("assignedCrews", list(dict.fromkeys(t.crew_id for t in tasks if t.crew_id))),
            device_ids=shown(
                "deviceIds", [strawberry.ID(device) for device in sorted(incident.source_confidence)]
            ),
            grants=shown("grants", [GrantType.from_domain(grant) for grant in related.grants or []]),
            recent_events=shown(
                "events", _events(incident, level) if related.events and "events" in shown.readable else []
            ),
        )


def _events(incident: Incident, level: AccessLevel) -> list[DetectionEventType]:
    return [DetectionEventType.from_domain(event, level) for event in incident.recent_events]
