"""Crews' tasks in DynamoDB, with their timelines, each change in one transaction.

- add: put the task if its id is new + its "created" timeline entry + append its id to the incident
  (which bumps the incident's version: a concurrent correlation re-reads and keeps the task).
- update: put the task's next version if the stored one is the version before + put the timeline
  entry of that version if absent. A stale writer gets Conflict with the current version, and the
  timeline holds exactly the accepted changes.
"""

from __future__ import annotations

from typing import Any

from pynamodb.constants import KEY  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives
from pynamodb.exceptions import TransactWriteError  # noqa: TID251

from chalicelib.adapters.dynamodb.access.items import (
    entry_from_item,
    entry_to_item,
    task_from_item,
    task_to_item,
)
from chalicelib.adapters.dynamodb.access.models import TaskModel, TimelineModel
from chalicelib.adapters.dynamodb.incidents.incidents import IncidentModel
from chalicelib.domain.access.sharing import TASK_CLOSED, CrewTask
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.response.tasks import TimelineEntry, created_entry


class DynamoTaskRepository:
    def add(self, task: CrewTask, entry: TimelineEntry | None = None) -> None:
        """PynamoDB's TransactWrite would condition an update of a versioned model on the version it holds
        (unknown here, and not needed): the incident's update is built without that condition."""
        put = task_to_item(task).get_save_kwargs_from_instance(condition=TaskModel.task_id.does_not_exist())
        first = entry or (created_entry(task, task.source, task.agency) if task.created_at else None)
        puts = [put] + ([_entry_put(first)] if first else [])
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
                condition_check_items=[], delete_items=[], put_items=puts, update_items=[update]
            )
        except TransactWriteError as error:
            reasons = list(error.cancellation_reasons) + [None] * 3
            if _failed(reasons[0]):
                raise Conflict(f"a task with id {task.task_id} already exists") from None
            if _failed(reasons[len(puts)]):
                raise NotFound(f"incident {task.incident_id} does not exist") from None
            raise

    def get(self, task_id: str) -> CrewTask | None:
        try:
            return task_from_item(TaskModel.get(task_id, consistent_read=True))
        except TaskModel.DoesNotExist:
            return None

    def update(self, task: CrewTask, entry: TimelineEntry) -> CrewTask:
        previous = task.version - 1
        put = task_to_item(task).get_save_kwargs_from_instance(condition=TaskModel.version == previous)
        connection = TaskModel._get_connection()
        try:
            connection.connection.transact_write_items(
                condition_check_items=[], delete_items=[], put_items=[put, _entry_put(entry)], update_items=[]
            )
        except TransactWriteError as error:
            if _failed((list(error.cancellation_reasons) + [None])[0]):
                current = self.get(task.task_id)
                if current is None:
                    raise NotFound(f"task {task.task_id} does not exist", "UNKNOWN_TASK") from None
                raise Conflict(f"task {task.task_id} changed meanwhile", current.version) from None
            raise
        return task

    def timeline(self, task_id: str) -> list[TimelineEntry]:
        """Oldest first."""
        return [entry_from_item(item) for item in TimelineModel.query(task_id, consistent_read=True)]

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


def _entry_put(entry: TimelineEntry) -> dict[str, Any]:
    item = entry_to_item(entry)
    return item.get_save_kwargs_from_instance(condition=TimelineModel.version.does_not_exist())


def _failed(reason: Any) -> bool:
    return reason is not None and reason.code == "ConditionalCheckFailed"
