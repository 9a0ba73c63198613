"""The field-crew mobile API's types: a crew's task with its timeline, its notes, a photo upload form, the
change feed, and the inputs of the crew's mutations (each with a clientMutationId and the version seen).

`FieldTask` is not a protected type: it is built only for callers who may work on the task (its crew,
its agency's staff), who read all of it.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from chalicelib.domain.incidents import MAX_NOTE_LENGTH, Note
from chalicelib.domain.response.tasks import CrewTask, Location, TaskStatus, TimelineEntry, is_overdue
from chalicelib.gql.common import GeoPoint
from chalicelib.gql.context import Info
from chalicelib.gql.incidents.types import IncidentType

# The domain vocabulary is the API's: registered once, used by its own name below.
strawberry.enum(
    TaskStatus,
    name="TaskStatus",
    description="open → acknowledged → en_route → on_scene → done, or cancelled.",
)
CLIENT_MUTATION_ID = (
    "Your id of this change (1 to 64 printable characters): a retry with it gets the first answer."
)
EXPECTED_VERSION = "The task's version you saw; a stale one answers CONFLICT with extensions.currentVersion."


def _point(lat: float | None, lon: float | None) -> GeoPoint | None:
    return GeoPoint(lat=lat, lon=lon) if lat is not None and lon is not None else None


@strawberry.type(name="TimelineEntry", description="One accepted change of a task.")
class TimelineEntryType:
    version: int = strawberry.field(description="The task version this change produced.")
    at: datetime
    actor: str = strawberry.field(description="Who made the change (a subject, or the playbook's source).")
    action: str = strawberry.field(description="created, status, note, photo or escalated.")
    status: TaskStatus
    location: GeoPoint | None = strawberry.field(description="Where it was reported from, if sent.")
    detail: str = strawberry.field(description="The title, the note's text or the photo's key.")

    @classmethod
    def from_domain(cls, entry: TimelineEntry) -> TimelineEntryType:
        return cls(
            version=entry.version,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            status=TaskStatus(entry.status),
            location=_point(entry.lat, entry.lon),
            detail=entry.detail,
        )


@strawberry.type(name="FieldTask", description="A task as its crew and its agency's staff see it.")
class FieldTask:
    id: strawberry.ID
    incident_id: strawberry.ID
    agency: str
    crew_id: str | None
    title: str
    status: TaskStatus
    due_at: datetime | None = strawberry.field(description="The SLA: when it should be done.")
    overdue: bool = strawberry.field(description="Still open after dueAt.")
    depends_on: list[strawberry.ID] = strawberry.field(description="Tasks to be done before this one starts.")
    version: int = strawberry.field(description="Grows with every change; send it back as expectedVersion.")
    updated_at: datetime | None
    location: GeoPoint | None = strawberry.field(description="Where the crew last reported from.")
    task: strawberry.Private[CrewTask]

    @strawberry.field(description="Every accepted change up to this version, oldest first.")
    def timeline(self, info: Info) -> list[TimelineEntryType]:
        entries = info.context.use.timeline(self.task)
        return [TimelineEntryType.from_domain(entry) for entry in entries]

    @classmethod
    def from_domain(cls, task: CrewTask, now: datetime) -> FieldTask:
        return cls(
            id=strawberry.ID(task.task_id),
            incident_id=strawberry.ID(task.incident_id),
            agency=task.agency,
            crew_id=task.crew_id,
            title=task.title,
            status=task.status,
            due_at=task.due_at,
            overdue=is_overdue(task, now),
            depends_on=[strawberry.ID(task_id) for task_id in task.depends_on],
            version=task.version,
            updated_at=task.updated_at,
            location=_point(task.lat, task.lon),
            task=task,
        )


@strawberry.type(name="FieldNote", description="A note on a task's incident, as the crew reads it.")
class FieldNote:
    id: strawberry.ID
    incident_id: strawberry.ID
    text: str
    author_agency: str
    created_at: datetime

    @classmethod
    def from_domain(cls, note: Note) -> FieldNote:
        return cls(
            id=strawberry.ID(note.note_id),
            incident_id=strawberry.ID(note.incident_id),
            text=note.text,
            author_agency=note.author_agency,
            created_at=note.created_at,
        )


@strawberry.type(description="A presigned POST for one photo: send every field of `fields`, then `file`.")
class PhotoUpload:
    key: str = strawberry.field(description="evidence/{incident}/{task}/….")
    url: str
    fields: JSON
    expires_in_s: int


@strawberry.type(description="What changed since your cursor; keep `cursor` for the next call.")
class ChangeSet:
    tasks: list[FieldTask] = strawberry.field(description="Your tasks that changed (a closed one once).")
    incidents: list[IncidentType] = strawberry.field(
        description="Their incidents that changed, at your level."
    )
    notes: list[FieldNote] = strawberry.field(description="Notes you may read added since, oldest first.")
    cursor: str = strawberry.field(description="Signed version vector of what you now hold.")


@strawberry.input(description="A WGS 84 position: lat -90..90, lon -180..180.")
class LocationInput:
    lat: float
    lon: float

    def to_domain(self) -> Location:
        return Location(self.lat, self.lon)


@strawberry.input(description="Acknowledge a task: the crew has seen it.")
class AcknowledgeTaskInput:
    task_id: strawberry.ID
    expected_version: int = strawberry.field(description=EXPECTED_VERSION)
    client_mutation_id: str = strawberry.field(description=CLIENT_MUTATION_ID)
    location: LocationInput | None = None


@strawberry.input(description="Give a task to a crew (operators, supervisors, admins of its agency).")
class AssignTaskInput:
    task_id: strawberry.ID
    crew_id: str
    expected_version: int = strawberry.field(description=EXPECTED_VERSION)
    client_mutation_id: str = strawberry.field(description=CLIENT_MUTATION_ID)


@strawberry.input(description="Move a task forward (crews), or cancel it (supervisors, admins).")
class UpdateTaskStatusInput:
    task_id: strawberry.ID
    status: TaskStatus
    expected_version: int = strawberry.field(description=EXPECTED_VERSION)
    client_mutation_id: str = strawberry.field(description=CLIENT_MUTATION_ID)
    location: LocationInput | None = None


@strawberry.input(description="A field note: on the task's timeline and on its incident (OPERATIONAL).")
class AddFieldNoteInput:
    task_id: strawberry.ID
    text: str = strawberry.field(description=f"1 to {MAX_NOTE_LENGTH} characters.")
    expected_version: int = strawberry.field(description=EXPECTED_VERSION)
    client_mutation_id: str = strawberry.field(description=CLIENT_MUTATION_ID)
    location: LocationInput | None = None


@strawberry.input(description="Ask for a form to upload one photo of the task's incident.")
class RequestPhotoUploadInput:
    task_id: strawberry.ID
    content_type: str = strawberry.field(description="image/jpeg, image/png or image/webp.")
    expected_version: int = strawberry.field(description=EXPECTED_VERSION)
    client_mutation_id: str = strawberry.field(description=CLIENT_MUTATION_ID)
    location: LocationInput | None = None


@strawberry.type(description="The task after your change.")
class FieldTaskPayload:
    client_mutation_id: str
    task: FieldTask


@strawberry.type(description="The task after your note, and the note.")
class AddFieldNotePayload:
    client_mutation_id: str
    task: FieldTask
    note: FieldNote


@strawberry.type(description="The task after your request (its timeline holds the key), and the form.")
class RequestPhotoUploadPayload:
    client_mutation_id: str
    task: FieldTask
    upload: PhotoUpload
