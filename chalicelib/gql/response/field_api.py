"""The field-crew mobile API: a crew's tasks, its change feed, and its changes to tasks.

Every mutation names a clientMutationId and is applied at most once per caller
(services/response/client_mutations.py): a retry gets the first answer and applies nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.scalars import JSON

from chalicelib.domain.response.tasks import Location, TaskStatus
from chalicelib.gql.context import Info
from chalicelib.gql.incidents.serving import Placement, present_incidents
from chalicelib.gql.response import field_types as ft
from chalicelib.gql.selection import requested, response_path, selections_below
from chalicelib.services.response import manage_tasks as tasks
from chalicelib.services.response.client_mutations import ClientMutation, TaskChange, apply_once
from chalicelib.services.response.crew_changes import crew_changes


def _once(
    info: Info, operation: str, task_id: str, client_mutation_id: str, apply: Callable[[], TaskChange]
) -> TaskChange:
    context = info.context
    principal, c = context.signed_in(), context.container
    mutation = ClientMutation(operation, task_id, client_mutation_id)
    return apply_once(mutation, apply, principal, c.task_deps, c.mutations, c.clock())


def _location(given: ft.LocationInput | None) -> Location | None:
    return given.to_domain() if given else None


def _status_change(
    info: Info, input: ft.AcknowledgeTaskInput | ft.UpdateTaskStatusInput, status: TaskStatus, operation: str
) -> ft.FieldTaskPayload:
    task_id, location = str(input.task_id), _location(input.location)

    context = info.context
    principal, c = context.signed_in(), context.container

    def apply() -> TaskChange:
        changed = tasks.change_status(
            task_id, status, input.expected_version, location, principal, c.task_deps, c.clock()
        )
        return TaskChange(changed)

    outcome = _once(info, operation, task_id, input.client_mutation_id, apply)
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
        return [
            ft.FieldTask.from_domain(task, now) for task in tasks.my_tasks(context.signed_in(), c.task_deps)
        ]

    @strawberry.field(description="A task you may work on; null when it does not exist or is not yours.")
    def task(self, info: Info, id: strawberry.ID) -> ft.FieldTask | None:
        context = info.context
        c = context.container
        found = tasks.task_of(str(id), context.signed_in(), c.task_deps)
        return ft.FieldTask.from_domain(found, c.clock()) if found else None

    @strawberry.field(
        description="What changed since `since` (a cursor from the last call; none: everything)."
    )
    def changes(self, info: Info, since: str | None = None) -> ft.ChangeSet:
        context = info.context
        context.signed_in()
        c = context.container
        found = crew_changes(since, context.resolver, c.task_deps, c.cursors)
        now = c.clock()
        return ft.ChangeSet(
            tasks=[ft.FieldTask.from_domain(t, now) for t in found.tasks],
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
        principal, c = info.context.signed_in(), info.context.container

        def apply() -> TaskChange:
            return TaskChange(
                tasks.assign_crew(
                    task_id, input.crew_id, input.expected_version, principal, c.task_deps, c.clock()
                )
            )

        outcome = _once(info, "assignTask", task_id, input.client_mutation_id, apply)
        task = ft.FieldTask.from_domain(outcome.task, info.context.container.clock())
        return ft.FieldTaskPayload(client_mutation_id=input.client_mutation_id, task=task)

    @strawberry.mutation(description="Add a field note to the task's timeline and its incident.")
    def add_field_note(self, info: Info, input: ft.AddFieldNoteInput) -> ft.AddFieldNotePayload:
        task_id, location = str(input.task_id), _location(input.location)
        principal, c = info.context.signed_in(), info.context.container

        def apply() -> TaskChange:
            changed, note = tasks.add_field_note(
                task_id, input.text, input.expected_version, location, principal, c.task_deps, c.clock()
            )
            return TaskChange(changed, note)

        outcome = _once(info, "addFieldNote", task_id, input.client_mutation_id, apply)
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
        principal, c = info.context.signed_in(), info.context.container

        def apply() -> TaskChange:
            changed, key, form = tasks.request_photo_upload(
                task_id,
                input.content_type,
                input.expected_version,
                location,
                principal,
                c.task_deps,
                c.clock(),
            )
            upload = {"key": key, "url": form["url"], "fields": form["fields"]}
            return TaskChange(changed, upload=upload | {"expiresInS": tasks.PHOTO_LINK_SECONDS})

        outcome = _once(info, "requestPhotoUpload", task_id, input.client_mutation_id, apply)
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
