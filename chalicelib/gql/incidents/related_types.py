"""What hangs off an incident: its detection events, tasks and notes, built already redacted."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.response import CrewTask
from chalicelib.gql.access_directive import AccessLevelEnum, protected
from chalicelib.gql.common import GeoPoint
from chalicelib.gql.incidents.readable_fields import Redactor


@protected("DetectionEvent")
@strawberry.type(
    name="DetectionEvent", description="One observation from one source (sensor, camera, report)."
)
class DetectionEventType:
    id: strawberry.ID | None
    sub_category: str | None
    severity: Severity | None
    confidence: float | None = strawberry.field(description="0 to 1: how sure this source is.")
    magnitude: float | None = strawberry.field(
        description="Comparable within a family (AQI, dB over limit…)."
    )
    observed_at: datetime | None
    detector: str | None = strawberry.field(description="threshold, baseline, silence, model or report.")
    description: str | None
    location: GeoPoint | None
    sensor_values: JSON | None = strawberry.field(
        description="What the detector saw, as a JSON object (metric, value, unit, limits, z-score …)."
    )
    device_id: strawberry.ID | None = strawberry.field(description="The device or camera that observed it.")

    @classmethod
    def from_domain(cls, event: DetectionEvent, level: AccessLevel) -> DetectionEventType:
        shown = Redactor("DetectionEvent", level)
        return cls(
            id=shown("id", strawberry.ID(event.event_id)),
            sub_category=shown("subCategory", event.sub_category),
            severity=shown("severity", event.severity),
            confidence=shown("confidence", event.confidence),
            magnitude=shown("magnitude", event.magnitude),
            observed_at=shown("observedAt", event.observed_at),
            detector=shown("detector", event.detector),
            description=shown("description", event.description),
            location=shown("location", GeoPoint(lat=event.lat, lon=event.lon)),
            sensor_values=shown(
                "sensorValues", JSON({k: v for k, v in event.details.items() if k != "media"})
            ),
            device_id=shown("deviceId", strawberry.ID(event.source_id)),
        )


@protected("Task")
@strawberry.type(name="Task", description="Work a crew does on an incident.")
class TaskType:
    id: strawberry.ID | None
    agency: str | None
    crew_id: str | None
    status: str | None = strawberry.field(
        description="open, acknowledged, en_route, on_scene, done or cancelled."
    )

    @classmethod
    def from_domain(cls, task: CrewTask, level: AccessLevel) -> TaskType:
        shown = Redactor("Task", level)
        return cls(
            id=shown("id", strawberry.ID(task.task_id)),
            agency=shown("agency", task.agency),
            crew_id=shown("crewId", task.crew_id),
            status=shown("status", task.status),
        )


@protected("Note")
@strawberry.type(name="Note", description="A note on an incident, readable from its visibility level up.")
class NoteType:
    id: strawberry.ID
    text: str
    author_agency: str
    created_at: datetime
    visibility: AccessLevelEnum
    author: str | None = strawberry.field(description="The writer's subject (OPERATIONAL readers only).")

    @classmethod
    def from_domain(cls, note: Note, level: AccessLevel) -> NoteType:
        shown = Redactor("Note", level)
        return cls(
            id=strawberry.ID(note.note_id),
            text=note.text,
            author_agency=note.author_agency,
            created_at=note.created_at,
            visibility=AccessLevelEnum.of(note.visibility),
            author=shown("author", note.author),
        )
