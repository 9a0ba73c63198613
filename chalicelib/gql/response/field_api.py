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
from chalicelib.services.response.client_mutations import ClientMutation


def _mutation(info: Info, operation: str, task_id: strawberry.ID, client_mutation_id: str) -> ClientMutation:
    info.context.signed_in()
    return ClientMutation(operation, str(task_id), client_mutation_id)


def _location(given: ft.LocationInput | None) -> Location | None:
    return given.to_domain() if given else None


def _status_change(
    info: Info, input: ft.AcknowledgeTaskInput | ft.UpdateTaskStatusInput, status: TaskStatus, operation: str
) -> ft.FieldTaskPayload:
    use = info.context.use
    mutation = _mutation(info, operation, input.task_id, input.client_mutation_id)
    outcome = use.change_task_status(mutation, status, input.expected_version, _location(input.location))
    task = ft.FieldTask.from_domain(outcome.task, use.now())
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
        info.context.signed_in()
        use = info.context.use
        now = use.now()
        return [ft.FieldTask.from_domain(task, now) for task in use.my_tasks()]

    @strawberry.field(description="A task you may work on; null when it does not exist or is not yours.")
    def task(self, info: Info, id: strawberry.ID) -> ft.FieldTask | None:
        info.context.signed_in()
        use = info.context.use
        found = use.task(str(id))
        return ft.FieldTask.from_domain(found, use.now()) if found else None

    @strawberry.field(
        description="What changed since `since` (a cursor from the last call; none: everything)."
    )
    def changes(self, info: Info, since: str | None = None) -> ft.ChangeSet:
        context = info.context
        context.signed_in()
        found = context.use.changes(since)
        now = context.use.now()
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
        use = info.context.use
        mutation = _mutation(info, "assignTask", input.task_id, input.client_mutation_id)
        outcome = use.assign_task(mutation, input.crew_id, input.expected_version)
        task = ft.FieldTask.from_domain(outcome.task, use.now())
        return ft.FieldTaskPayload(client_mutation_id=input.client_mutation_id, task=task)

    @strawberry.mutation(description="Add a field note to the task's timeline and its incident.")
    def add_field_note(self, info: Info, input: ft.AddFieldNoteInput) -> ft.AddFieldNotePayload:
        use = info.context.use
        mutation = _mutation(info, "addFieldNote", input.task_id, input.client_mutation_id)
        outcome = use.add_field_note(mutation, input.text, input.expected_version, _location(input.location))
        assert outcome.note is not None
        return ft.AddFieldNotePayload(
            client_mutation_id=input.client_mutation_id,
            task=ft.FieldTask.from_domain(outcome.task, use.now()),
            note=ft.FieldNote.from_domain(outcome.note),
        )

    @strawberry.mutation(description="A presigned form for one photo, kept as evidence of the incident.")
    def request_photo_upload(
        self, info: Info, input: ft.RequestPhotoUploadInput
    ) -> ft.RequestPhotoUploadPayload:
        use = info.context.use
        mutation = _mutation(info, "requestPhotoUpload", input.task_id, input.client_mutation_id)
        outcome = use.request_photo_upload(
            mutation, input.content_type, input.expected_version, _location(input.location)
        )
        upload = outcome.upload or {}
        return ft.RequestPhotoUploadPayload(
            client_mutation_id=input.client_mutation_id,
            task=ft.FieldTask.from_domain(outcome.task, use.now()),
            upload=ft.PhotoUpload(
                key=upload["key"],
                url=upload["url"],
                fields=JSON(upload["fields"]),
                expires_in_s=upload["expiresInS"],
            ),
        )
