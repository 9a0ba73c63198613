"""The field-crew mobile API: a crew's tasks, its change feed, and its changes to tasks, each idempotent.

Every mutation names a clientMutationId. Its first answer is kept (MutationLog, by the caller's subject):
a retry gets that answer, rebuilt as it was (the task at the version the change produced), and applies
nothing. A CONFLICT met while a concurrent retry of the same id succeeded answers like that retry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from chalicelib.domain.access.levels import AccessLevel
from chalicelib.domain.access.principal import Principal
from chalicelib.domain.access.records import Note
from chalicelib.domain.access.sharing import CrewTask
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.response.tasks import Location, TaskStatus
from chalicelib.gql.context import Info
from chalicelib.gql.incidents.present_incidents import Placement, present_incidents
from chalicelib.gql.response import field_types as ft
from chalicelib.gql.selection import requested, response_path, selections_below
from chalicelib.services.response import manage_tasks as tasks
from chalicelib.services.response.crew_changes import crew_changes

MAX_CLIENT_MUTATION_ID = 64


@dataclass(frozen=True)
class Outcome:
    task: CrewTask
    note: Note | None = None
    upload: dict[str, Any] | None = None  # key, url, fields, expiresInS


Apply = Callable[[Principal, tasks.TaskDependencies, datetime], Outcome]


def _answer(operation: str, outcome: Outcome) -> dict[str, Any]:
    """What the log keeps: enough to rebuild the same payload later."""
    task, note = outcome.task, outcome.note
    state = {
        "version": task.version,
        "status": task.status,
        "lat": task.lat,
        "lon": task.lon,
        "crewId": task.crew_id,
    }
    kept: dict[str, Any] = {"operation": operation, "taskId": task.task_id, "task": state}
    kept["task"]["updatedAt"] = task.updated_at.isoformat() if task.updated_at else None
    if note is not None:
        kept["note"] = [note.note_id, note.author_agency, note.text, note.created_at.isoformat()]
    if outcome.upload is not None:
        kept["upload"] = outcome.upload
    return kept


def _replayed(
    kept: dict[str, Any], operation: str, task_id: str, principal: Principal, deps: tasks.TaskDependencies
) -> Outcome:
    """The kept answer as first given: the task at the version, status, crew, time and place the change
    left it (its title and dependencies as they are now: no operation changes them)."""
    if (kept.get("operation"), kept.get("taskId")) != (operation, task_id):
        raise InvalidInput("this clientMutationId was used for another change", "CLIENT_MUTATION_ID_REUSED")
    current = deps.tasks.get(task_id)
    if current is None or not tasks.may_work_on(principal, current):
        raise NotFound(f"no task {task_id!r} of yours", "UNKNOWN_TASK")
    state = kept["task"]
    updated_at = datetime.fromisoformat(state["updatedAt"]) if state["updatedAt"] else None
    task = replace(current, version=state["version"], status=state["status"], updated_at=updated_at)
    task = replace(task, lat=state["lat"], lon=state["lon"], crew_id=state.get("crewId", current.crew_id))
    note = None
    if "note" in kept:
        note_id, agency, text, created_at = kept["note"]
        created = datetime.fromisoformat(created_at)
        note = Note(
            note_id, task.incident_id, principal.subject, agency, text, AccessLevel.OPERATIONAL, created
        )
    return Outcome(task, note, kept.get("upload"))


def _idempotent(info: Info, operation: str, task_id: str, client_mutation_id: str, apply: Apply) -> Outcome:
    context = info.context
    principal = context.signed_in()
    if not (0 < len(client_mutation_id) <= MAX_CLIENT_MUTATION_ID and client_mutation_id.isprintable()):
        raise InvalidInput("clientMutationId must hold 1 to 64 printable characters")
    c = context.container
    deps = tasks.TaskDependencies(c.tasks, c.incidents, c.notes, c.media)
    if (kept := c.mutations.recall(principal.subject, client_mutation_id)) is not None:
        return _replayed(kept, operation, task_id, principal, deps)
    try:
        outcome = apply(principal, deps, c.clock())
    except Conflict:
        if (kept := c.mutations.recall(principal.subject, client_mutation_id)) is not None:
            return _replayed(kept, operation, task_id, principal, deps)
        raise
    if not c.mutations.remember(
        principal.subject, client_mutation_id, _answer(operation, outcome), c.clock()
    ):
        kept = c.mutations.recall(principal.subject, client_mutation_id)  # the first answer wins
        return _replayed(kept, operation, task_id, principal, deps) if kept else outcome
    return outcome


def _location(given: ft.LocationInput | None) -> Location | None:
    return given.to_domain() if given else None


def _status_change(
    info: Info, input: ft.AcknowledgeTaskInput | ft.UpdateTaskStatusInput, status: TaskStatus, operation: str
) -> ft.FieldTaskPayload:
    task_id, location = str(input.task_id), _location(input.location)

    def apply(principal: Principal, deps: tasks.TaskDependencies, now: datetime) -> Outcome:
        changed = tasks.change_status(task_id, status, input.expected_version, location, principal, deps, now)
        return Outcome(changed)

    outcome = _idempotent(info, operation, task_id, input.client_mutation_id, apply)
    task = ft.FieldTask.from_domain(outcome.task, info.context.container.clock())
    return ft.FieldTaskPayload(client_mutation_id=input.client_mutation_id, task=task)


def _incident_placements(info: Info) -> list[Placement]:
    """Where ChangeSet.incidents appears (each alias), with what is selected on its incidents."""
    root = response_path(info)

    def at(key: str) -> Callable[[int], list[str | int]]:
        return lambda index: [*root, key, index]

    return [
        Placement(at(wanted.key), wanted.below("Incident"))
        for wanted in requested(selections_below(info), "ChangeSet").values()
        if wanted.name == "incidents"
    ]


@strawberry.type
class FieldQueries:
    @strawberry.field(description="Your crew's open tasks (field crews only), by incident.")
    def my_tasks(self, info: Info) -> list[ft.FieldTask]:
        context = info.context
        c, now = context.container, context.container.clock()
        deps = tasks.TaskDependencies(c.tasks, c.incidents, c.notes, c.media)
        return [ft.FieldTask.from_domain(task, now) for task in tasks.my_tasks(context.signed_in(), deps)]

    @strawberry.field(description="A task you may work on; null when it does not exist or is not yours.")
    def task(self, info: Info, id: strawberry.ID) -> ft.FieldTask | None:
        context = info.context
        found = context.container.tasks.get(str(id))
        if found is None or not tasks.may_work_on(context.signed_in(), found):
            return None
        return ft.FieldTask.from_domain(found, context.container.clock())

    @strawberry.field(
        description="What changed since `since` (a cursor from the last call; none: everything)."
    )
    def changes(self, info: Info, since: str | None = None) -> ft.ChangeSet:
        context = info.context
        principal, c = context.signed_in(), context.container
        deps = tasks.TaskDependencies(c.tasks, c.incidents, c.notes, c.media)
        found = crew_changes(since, context.resolver, deps, c.cursors)
        now = c.clock()
        return ft.ChangeSet(
            tasks=[ft.FieldTask.from_domain(t, now) for t in found.tasks if tasks.may_work_on(principal, t)],
            incidents=present_incidents(context, found.incidents, _incident_placements(info)),
            notes=[ft.FieldNote.from_domain(note) for note in found.notes],
            cursor=found.cursor,
        )


@strawberry.type
class FieldMutations:
    @strawberry.mutation(description="Acknowledge a task (its crew, its agency's staff).")
    def acknowledge_task(self, info: Info, input: ft.AcknowledgeTaskInput) -> ft.FieldTaskPayload:
        return _status_change(info, input, TaskStatus.ACKNOWLEDGED, "acknowledgeTask")

    @strawberry.mutation(description="Move a task forward; TASK_BLOCKED while a dependency is open.")
    def update_task_status(self, info: Info, input: ft.UpdateTaskStatusInput) -> ft.FieldTaskPayload:
        return _status_change(info, input, input.status, f"updateTaskStatus:{input.status.value}")

    @strawberry.mutation(description="Give a task to a crew (operators, supervisors, admins of its agency).")
    def assign_task(self, info: Info, input: ft.AssignTaskInput) -> ft.FieldTaskPayload:
        task_id = str(input.task_id)

        def apply(principal: Principal, deps: tasks.TaskDependencies, now: datetime) -> Outcome:
            return Outcome(
                tasks.assign_crew(task_id, input.crew_id, input.expected_version, principal, deps, now)
            )

        outcome = _idempotent(info, "assignTask", task_id, input.client_mutation_id, apply)
        task = ft.FieldTask.from_domain(outcome.task, info.context.container.clock())
        return ft.FieldTaskPayload(client_mutation_id=input.client_mutation_id, task=task)

    @strawberry.mutation(description="Add a field note to the task's timeline and its incident.")
    def add_field_note(self, info: Info, input: ft.AddFieldNoteInput) -> ft.AddFieldNotePayload:
        task_id, location = str(input.task_id), _location(input.location)

        def apply(principal: Principal, deps: tasks.TaskDependencies, now: datetime) -> Outcome:
            changed, note = tasks.add_field_note(
                task_id, input.text, input.expected_version, location, principal, deps, now
            )
            return Outcome(changed, note)

        outcome = _idempotent(info, "addFieldNote", task_id, input.client_mutation_id, apply)
        assert outcome.note is not None
        return ft.AddFieldNotePayload(
            client_mutation_id=input.client_mutation_id,
            task=ft.FieldTask.from_domain(outcome.task, info.context.container.clock()),
            note=ft.FieldNote.from_domain(outcome.note),
        )

    @strawberry.mutation(description="A presigned form for one photo, kept as evidence of the incident.")
    def request_photo_upload(
        self, info: Info, input: ft.RequestPhotoUploadInput
    ) -> ft.RequestPhotoUploadPayload:
        task_id, location = str(input.task_id), _location(input.location)

        def apply(principal: Principal, deps: tasks.TaskDependencies, now: datetime) -> Outcome:
            changed, key, form = tasks.request_photo_upload(
                task_id, input.content_type, input.expected_version, location, principal, deps, now
            )
            upload = {"key": key, "url": form["url"], "fields": form["fields"]}
            return Outcome(changed, upload=upload | {"expiresInS": tasks.PHOTO_LINK_SECONDS})

        outcome = _idempotent(info, "requestPhotoUpload", task_id, input.client_mutation_id, apply)
        upload = outcome.upload or {}
        return ft.RequestPhotoUploadPayload(
            client_mutation_id=input.client_mutation_id,
            task=ft.FieldTask.from_domain(outcome.task, info.context.container.clock()),
            upload=ft.PhotoUpload(
                key=upload["key"],
                url=upload["url"],
                fields=JSON(upload["fields"]),
                expires_in_s=upload["expiresInS"],
            ),
        )
