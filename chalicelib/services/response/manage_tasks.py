"""Tasks: created by playbooks or supervisors; moved along their lifecycle by crews and staff, with
an expected version (stale → Conflict with the current version) and a location; field notes and
photo uploads recorded on the task's timeline.

Who may act on a task: its crew (field crews whose crew id is the task's), and the operators,
supervisors and admins of the task's agency; only supervisors and admins cancel.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.cameras import MEDIA_TYPES, MediaStore, evidence_key
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.incidents import MAX_NOTE_LENGTH, IncidentRepository, Note, NoteRepository
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.response.ports import TaskRepository
from chalicelib.domain.response.tasks import (
    CrewTask,
    Location,
    TaskStatus,
    TimelineEntry,
    changed,
    check_version,
    move,
)

CREW_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
STAFF = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN})
CANCELLERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_LINK_SECONDS = 600


@dataclass(frozen=True)
class TaskDependencies:
    tasks: TaskRepository
    incidents: IncidentRepository
    notes: NoteRepository
    media: MediaStore


@dataclass(frozen=True)
class NewTask:
    incident_id: str
    agency: str
    title: str
    sla_minutes: int
    crew_id: str | None = None
    depends_on: tuple[str, ...] = ()
    task_id: str | None = None  # deterministic ids make creation idempotent (playbook actions)


def create_task(command: NewTask, source: str, deps: TaskDependencies, now: datetime) -> CrewTask:
    if not 1 <= command.sla_minutes <= 7 * 24 * 60:
        raise InvalidInput("slaMinutes must be 1 to 10080", "INVALID_TASK")
    if not command.title.strip() or len(command.title) > 200:
        raise InvalidInput("a task title holds 1 to 200 characters", "INVALID_TASK")
    task = CrewTask(
        task_id=command.task_id or f"tsk_{uuid.uuid4().hex[:20]}",
        incident_id=command.incident_id,
        agency=command.agency,
        crew_id=command.crew_id,
        title=command.title.strip(),
        due_at=now + timedelta(minutes=command.sla_minutes),
        depends_on=command.depends_on,
        created_at=now,
        updated_at=now,
        source=source,
    )
    deps.tasks.add(task)
    return task


def change_status(
    task_id: str,
    status: TaskStatus,
    expected_version: int | None,
    location: Location | None,
    principal: Principal,
    deps: TaskDependencies,
    now: datetime,
) -> CrewTask:
    task = _task_for(task_id, principal, deps)
    if status is TaskStatus.CANCELLED and not (
        principal.roles & CANCELLERS and principal.agency == task.agency
    ):
        raise Forbidden("only supervisors and admins of the task's agency cancel tasks", "FORBIDDEN")
    check_version(task, expected_version)
    move(task, status, deps.tasks.get_many(list(task.depends_on)))
    updated, entry = changed(task, now, principal.subject, principal.agency, "status", location, status)
    return deps.tasks.update(updated, entry)


def assign_crew(
    task_id: str,
    crew_id: str,
    expected_version: int | None,
    principal: Principal,
    deps: TaskDependencies,
    now: datetime,
) -> CrewTask:
    """A supervisor, operator or admin of the task's agency gives it to one of the agency's crews (or
    another): the crew then sees it in myTasks, and its incident at OPERATIONAL."""
    task = _task_for(task_id, principal, deps)
    if principal.agency != task.agency or not principal.roles & STAFF:
        raise Forbidden(
            "only the operators, supervisors and admins of the task's agency assign crews", "FORBIDDEN"
        )
    if not CREW_ID.match(crew_id):
        raise InvalidInput("crewId must be 1-64 letters, digits, '.', '_' or '-'", "INVALID_CREW")
    check_version(task, expected_version)
    if not task.is_open:
        raise InvalidInput(f"task {task.task_id} is {task.status}: it cannot change any more", "TASK_CLOSED")
    updated, entry = changed(task, now, principal.subject, principal.agency, "assigned", None, detail=crew_id)
    return deps.tasks.update(replace(updated, crew_id=crew_id), entry)


def add_field_note(
    task_id: str,
    text: str,
    expected_version: int | None,
    location: Location | None,
    principal: Principal,
    deps: TaskDependencies,
    now: datetime,
) -> tuple[CrewTask, Note]:
    """The note goes on the incident (OPERATIONAL: the responders read it) and on the task's timeline."""
    task = _task_for(task_id, principal, deps)
    check_version(task, expected_version)
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"a field note holds 1 to {MAX_NOTE_LENGTH} characters", "INVALID_NOTE")
    updated, entry = changed(task, now, principal.subject, principal.agency, "note", location, detail=cleaned)
    stored = deps.tasks.update(updated, entry)  # first: a stale writer is refused before the note exists
    note_id = "note_" + hashlib.sha256(f"{task.task_id}|{updated.version}".encode()).hexdigest()[:24]
    note = Note(
        note_id, task.incident_id, principal.subject, principal.agency, cleaned, AccessLevel.OPERATIONAL, now
    )
    deps.notes.add(note)
    return stored, note


def request_photo_upload(
    task_id: str,
    content_type: str,
    expected_version: int | None,
    location: Location | None,
    principal: Principal,
    deps: TaskDependencies,
    now: datetime,
) -> tuple[CrewTask, str, dict[str, object]]:
    """A presigned POST for one photo, kept as evidence of the incident under
    evidence/{incident}/{task}/…; the task's timeline records its key."""
    task = _task_for(task_id, principal, deps)
    check_version(task, expected_version)
    if content_type not in MEDIA_TYPES:
        raise InvalidInput(f"contentType must be one of {', '.join(MEDIA_TYPES)}", "UNSUPPORTED_MEDIA_TYPE")
    key = evidence_key(task.incident_id, task.task_id, content_type, uuid.uuid4().hex)
    updated, entry = changed(task, now, principal.subject, principal.agency, "photo", location, detail=key)
    stored = deps.tasks.update(updated, entry)
    metadata = {"task-id": task.task_id, "incident-id": task.incident_id, "taken-by": principal.subject}
    form = deps.media.presign_upload(key, content_type, PHOTO_MAX_BYTES, PHOTO_LINK_SECONDS, metadata)
    return stored, key, form


def my_tasks(principal: Principal, deps: TaskDependencies) -> list[CrewTask]:
    crew = principal.acting_crew
    if crew is None:
        raise Forbidden(
            "myTasks is for field crews: your token is not a field crew's naming a crew", "FORBIDDEN"
        )
    return deps.tasks.open_tasks_of_crew(crew)


def task_of(task_id: str, principal: Principal, deps: TaskDependencies) -> CrewTask | None:
    """The task if the caller may work on it; None when it does not exist or is not theirs."""
    task = deps.tasks.get(task_id)
    return task if task is not None and may_work_on(principal, task) else None


def timeline_of(task: CrewTask, deps: TaskDependencies) -> list[TimelineEntry]:
    """Every accepted change of a task the caller was given, up to the version they hold, oldest first."""
    return [entry for entry in deps.tasks.timeline(task.task_id) if entry.version <= task.version]


def _task_for(task_id: str, principal: Principal, deps: TaskDependencies) -> CrewTask:
    task = deps.tasks.get(task_id)
    if task is None or not may_work_on(principal, task):
        raise NotFound(f"no task {task_id!r} of yours", "UNKNOWN_TASK")
    return task


def may_work_on(principal: Principal, task: CrewTask) -> bool:
    crew = task.crew_id is not None and principal.acting_crew == task.crew_id
    staff = principal.agency == task.agency and bool(principal.roles & STAFF)
    return crew or staff
