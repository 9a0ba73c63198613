"""Task lifecycle: open → acknowledged → en_route → on_scene → done, or cancelled; dependencies; the
timeline of every accepted change (who, when, where).

A crew moves forward only (steps may be skipped: a crew already on scene does not report en route);
`done` and `cancelled` are final. A task that depends on others cannot start (en_route, on_scene,
done) before every one of them is done or cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from chalicelib.domain.errors import Conflict, InvalidInput


class TaskStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    DONE = "done"
    CANCELLED = "cancelled"


TASK_FLOW = (
    TaskStatus.OPEN,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.EN_ROUTE,
    TaskStatus.ON_SCENE,
    TaskStatus.DONE,
)
STARTED = frozenset({TaskStatus.EN_ROUTE, TaskStatus.ON_SCENE, TaskStatus.DONE})
TASK_CLOSED = frozenset({TaskStatus.DONE, TaskStatus.CANCELLED})


@dataclass(frozen=True)
class CrewTask:
    """Work an agency (and optionally one of its crews) does on an incident. Its status moves along
    TASK_FLOW; `version` is the optimistic lock, and every accepted change is one entry of the task's
    timeline. A crew's access to an incident comes from its open tasks (domain/access/decisions.py
    reads them as CrewAssignment)."""

    task_id: str
    incident_id: str
    agency: str
    crew_id: str | None
    status: TaskStatus = TaskStatus.OPEN
    title: str = ""
    due_at: datetime | None = None  # the SLA: when it should be done
    depends_on: tuple[str, ...] = ()  # tasks that must be done before this one may start
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    lat: float | None = None  # where the crew last reported from
    lon: float | None = None
    source: str = ""  # who made it: "playbook:<id>@<version>/<action>" or a person's subject

    @property
    def is_open(self) -> bool:
        return self.status not in TASK_CLOSED


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise InvalidInput("location must have lat in -90..90 and lon in -180..180", "INVALID_LOCATION")


@dataclass(frozen=True)
class TimelineEntry:
    """One accepted change of a task: the version it produced, who, when, where, and what."""

    task_id: str
    version: int
    at: datetime
    actor: str
    actor_agency: str
    action: str  # "created", "status", "note", "photo", "escalated"
    status: str
    lat: float | None = None
    lon: float | None = None
    detail: str = ""


def check_version(task: CrewTask, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != task.version:
        raise Conflict(
            f"task {task.task_id} is at version {task.version}, not {expected_version}", task.version
        )


def move(task: CrewTask, target: TaskStatus, dependencies: dict[str, CrewTask]) -> None:
    """Refuse a move the lifecycle or the dependencies forbid (InvalidInput with a precise code)."""
    current = task.status
    if current in TASK_CLOSED:
        raise InvalidInput(
            f"task {task.task_id} is {current.value}: it cannot change any more", "TASK_CLOSED"
        )
    if target is TaskStatus.CANCELLED:
        return
    if TASK_FLOW.index(target) <= TASK_FLOW.index(current):
        raise InvalidInput(
            f"a task moves forward only: {current.value} → {target.value}", "INVALID_TRANSITION"
        )
    if target in STARTED:
        waiting = [d for d in task.depends_on if dependencies.get(d) is None or dependencies[d].is_open]
        if waiting:
            raise InvalidInput(
                f"task {task.task_id} waits for {', '.join(sorted(waiting))} to be done", "TASK_BLOCKED"
            )


def changed(
    task: CrewTask,
    at: datetime,
    actor: str,
    agency: str,
    action: str,
    location: Location | None,
    status: TaskStatus | None = None,
    detail: str = "",
) -> tuple[CrewTask, TimelineEntry]:
    """The task's next version and the timeline entry recording it."""
    updated = replace(
        task,
        version=task.version + 1,
        updated_at=at,
        status=status or task.status,
        lat=location.lat if location else task.lat,
        lon=location.lon if location else task.lon,
    )
    entry = TimelineEntry(
        task.task_id,
        updated.version,
        at,
        actor,
        agency,
        action,
        updated.status.value,
        location.lat if location else None,
        location.lon if location else None,
        detail,
    )
    return updated, entry


def created_entry(task: CrewTask, actor: str, agency: str) -> TimelineEntry:
    at = task.created_at or task.updated_at
    assert at is not None
    return TimelineEntry(
        task.task_id, task.version, at, actor, agency, "created", task.status.value, detail=task.title
    )


def is_overdue(task: CrewTask, now: datetime) -> bool:
    return task.is_open and task.due_at is not None and now > task.due_at
