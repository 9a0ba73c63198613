"""Sharing policies, grants and crew tasks as DynamoDB items, and back; levels are stored by name."""

from __future__ import annotations

from chalicelib.adapters.dynamodb.access.models import GrantModel, PolicyModel, TaskModel, TimelineModel
from chalicelib.domain.access.levels import AccessLevel
from chalicelib.domain.access.sharing import CrewTask, Grant, SharingPolicy
from chalicelib.domain.response.tasks import TimelineEntry


def policy_to_item(policy: SharingPolicy, expected_version: int | None) -> PolicyModel:
    """The item to save; `expected_version` None means the policy must not exist yet."""
    item = PolicyModel(
        policy.policy_id,
        owner_agency=policy.owner_agency,
        grantee_agency=policy.grantee_agency,
        category=policy.category,
        sub_category=policy.sub_category,
        level=policy.level.name,
        area_cells=set(policy.area_cells) or None,
        created_by=policy.created_by,
    )
    if expected_version is not None:  # PynamoDB conditions the save on it and stores it + 1
        item.version = expected_version  # left unset, the save is conditional on absence
    return item


def policy_from_item(item: PolicyModel) -> SharingPolicy:
    return SharingPolicy(
        policy_id=item.policy_id,
        owner_agency=item.owner_agency,
        grantee_agency=item.grantee_agency,
        category=item.category,
        sub_category=item.sub_category,
        level=AccessLevel[item.level],
        area_cells=frozenset(item.area_cells or ()),
        created_by=item.created_by or "",
        version=int(item.version or 1),
    )


def grant_to_item(grant: Grant) -> GrantModel:
    return GrantModel(
        grant.grant_id,
        incident_id=grant.incident_id,
        owner_agency=grant.owner_agency,
        grantee_agency=grant.grantee_agency,
        level=grant.level.name,
        expires_at=grant.expires_at,
        reason=grant.reason,
        created_by=grant.created_by,
        created_at=grant.created_at,
        revoked_at=grant.revoked_at,
        revoked_by=grant.revoked_by,
    )


def grant_from_item(item: GrantModel) -> Grant:
    return Grant(
        grant_id=item.grant_id,
        incident_id=item.incident_id,
        owner_agency=item.owner_agency,
        grantee_agency=item.grantee_agency,
        level=AccessLevel[item.level],
        expires_at=item.expires_at,
        reason=item.reason or "",
        created_by=item.created_by,
        created_at=item.created_at,
        revoked_at=item.revoked_at,
        revoked_by=item.revoked_by,
    )


def task_to_item(task: CrewTask) -> TaskModel:
    return TaskModel(
        task.task_id,
        incident_id=task.incident_id,
        agency=task.agency,
        crew_id=task.crew_id,
        status=task.status,
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
        status=item.status or "open",
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
