"""Crews' tasks in DynamoDB, with their timelines (the `tasks` and `task_timeline` tables: models, index
and items), each change in one transaction.

- add: put the task if its id is new + its "created" timeline entry + append its id to the incident
  (which bumps the incident's version: a concurrent correlation re-reads and keeps the task).
- update: put the task's next version if the stored one is the version before + put the timeline
  entry of that version if absent. A stale writer gets Conflict with the current version, and the
  timeline holds exactly the accepted changes.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.constants import KEY
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.conditions import item_condition_failed
from chalicelib.adapters.dynamodb.incidents.incidents import IncidentModel
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.response.tasks import TASK_CLOSED, CrewTask, TaskStatus, TimelineEntry, created_entry


class TasksByCrewIndex(GlobalSecondaryIndex["TaskModel"]):
    """Sparse: only tasks assigned to a crew."""

    class Meta:
        index_name = "by_crew"
        projection = AllProjection()

    crew_id = UnicodeAttribute(hash_key=True)
    incident_id = UnicodeAttribute(range_key=True)


class TaskModel(Model):
    """`version` is compared by hand in conditions (not a VersionAttribute): the update and its timeline
    entry go in one TransactWriteItems."""

    class Meta:
        table_name = "tasks"

    task_id = UnicodeAttribute(hash_key=True)
    incident_id = UnicodeAttribute()
    agency = UnicodeAttribute()
    crew_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="open")
    title = UnicodeAttribute(default="")
    due_at = UTCDateTimeAttribute(null=True)
    depends_on = ListAttribute(of=UnicodeAttribute, default=list)
    version = NumberAttribute(default=1)
    created_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    lat = NumberAttribute(null=True)
    lon = NumberAttribute(null=True)
    source = UnicodeAttribute(default="")
    by_crew = TasksByCrewIndex()


class TimelineModel(Model):
    """One item per accepted change of a task, keyed by the version it produced (so at most one)."""

    class Meta:
        table_name = "task_timeline"

    task_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute(range_key=True)
    at = UTCDateTimeAttribute()
    actor = UnicodeAttribute()
    actor_agency = UnicodeAttribute()
    action = UnicodeAttribute()
    status = UnicodeAttribute()
    lat = NumberAttribute(null=True)
    lon = NumberAttribute(null=True)
    detail = UnicodeAttribute(default="")


def task_to_item(task: CrewTask) -> TaskModel:
    return TaskModel(
        task.task_id,
        incident_id=task.incident_id,
        agency=task.agency,
        crew_id=task.crew_id,
        status=task.status.value,
        title=task.title,
        due_at=task.due_at,
        depends_on=list(task.depends_on),
        version=task.version,
        created_at=task.created_at,
        updated_at=task.updated_at,
        lat=task.lat,
        lon=task.lon,
        source=task.source,
    )


def task_from_item(item: TaskModel) -> CrewTask:
    return CrewTask(
        task_id=item.task_id,
        incident_id=item.incident_id,
        agency=item.agency,
        crew_id=item.crew_id,
        status=TaskStatus(item.status or TaskStatus.OPEN),
        title=item.title or "",
        due_at=item.due_at,
        depends_on=tuple(str(task) for task in item.depends_on or ()),
        version=int(item.version or 1),
        created_at=item.created_at,
        updated_at=item.updated_at,
        lat=float(item.lat) if item.lat is not None else None,
        lon=float(item.lon) if item.lon is not None else None,
        source=item.source or "",
    )


def entry_to_item(entry: TimelineEntry) -> TimelineModel:
    return TimelineModel(
        entry.task_id,
        entry.version,
        at=entry.at,
        actor=entry.actor,
        actor_agency=entry.actor_agency,
        action=entry.action,
        status=entry.status,
        lat=entry.lat,
        lon=entry.lon,
        detail=entry.detail,
    )


def entry_from_item(item: TimelineModel) -> TimelineEntry:
    return TimelineEntry(
        item.task_id,
        int(item.version),
        item.at,
        item.actor,
        item.actor_agency,
        item.action,
        item.status,
        float(item.lat) if item.lat is not None else None,
        float(item.lon) if item.lon is not None else None,
        item.detail or "",
    )


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
            if item_condition_failed(reasons[0]):
                raise Conflict(f"a task with id {task.task_id} already exists") from None
            if item_condition_failed(reasons[len(puts)]):
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
            if item_condition_failed((list(error.cancellation_reasons) + [None])[0]):
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
