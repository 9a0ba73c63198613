"""Crews' tasks in DynamoDB; adding one also appends its id to its incident, in the same transaction.

The append bumps the incident's version: correlation and status changes replace the whole incident on
the condition that its version is the one they read, so a concurrent one gets Conflict, re-reads (now
with the task) and retries, instead of writing back a task list without the new task.
"""

from __future__ import annotations

from pynamodb.constants import KEY  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives
from pynamodb.exceptions import TransactWriteError  # noqa: TID251

from chalicelib.adapters.dynamodb.incident_models import IncidentModel
from chalicelib.adapters.dynamodb.sharing_items import task_from_item, task_to_item
from chalicelib.adapters.dynamodb.sharing_models import TaskModel
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.sharing import TASK_CLOSED, CrewTask


class DynamoTaskRepository:
    def add(self, task: CrewTask) -> None:
        """One TransactWriteItems: put the task if its id is new, append it to an existing incident.

        PynamoDB's TransactWrite would condition an update of a versioned model on the version it holds
        (unknown here, and not needed): the incident's update is built without that condition.
        """
        put = task_to_item(task).get_save_kwargs_from_instance(condition=TaskModel.task_id.does_not_exist())
        incidents = IncidentModel._get_connection()
        update = incidents.get_operation_kwargs(
            task.incident_id,
            key=KEY,
            actions=[
                IncidentModel.task_ids.set((IncidentModel.task_ids | []).append([task.task_id])),
                IncidentModel.version.add(1),
            ],
            condition=IncidentModel.incident_id.exists(),
        )
        try:
            incidents.connection.transact_write_items(
                condition_check_items=[], delete_items=[], put_items=[put], update_items=[update]
            )
        except TransactWriteError as error:
            task_reason, incident_reason = (list(error.cancellation_reasons) + [None, None])[:2]
            if task_reason is not None and task_reason.code == "ConditionalCheckFailed":
                raise Conflict(f"a task with id {task.task_id} already exists") from None
            if incident_reason is not None and incident_reason.code == "ConditionalCheckFailed":
                raise NotFound(f"incident {task.incident_id} does not exist") from None
            raise

    def get_many(self, task_ids: list[str]) -> dict[str, CrewTask]:
        """The tasks found (BatchGetItem); missing ids are simply absent."""
        unique = list(dict.fromkeys(task_ids))
        if not unique:
            return {}
        return {item.task_id: task_from_item(item) for item in TaskModel.batch_get(unique)}

    def open_tasks_of_crew(self, crew_id: str) -> list[CrewTask]:
        """The crew's tasks that are neither done nor cancelled, by incident id."""
        still_open = ~TaskModel.status.is_in(*sorted(TASK_CLOSED))
        return [
            task_from_item(item) for item in TaskModel.by_crew.query(crew_id, filter_condition=still_open)
        ]
