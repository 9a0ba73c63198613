"""In-memory sharing policies, grants, tasks (with timelines), notes and audit log."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

from chalicelib.adapters.dynamodb.keys import audit_key, note_key
from chalicelib.adapters.memory.incidents import MemoryIncidentRepository
from chalicelib.domain.access.audit import AuditEntry
from chalicelib.domain.access.sharing import CrewTask, Grant, SharingPolicy
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.response.tasks import TimelineEntry, created_entry


class MemorySharingRepository:
    def __init__(self) -> None:
        self.policies: dict[str, SharingPolicy] = {}
        self.grants: dict[str, Grant] = {}

    def policies_for_grantee(self, agency: str) -> list[SharingPolicy]:
        return [p for _, p in sorted(self.policies.items()) if p.grantee_agency == agency]

    def policies_of_owner(self, agency: str) -> list[SharingPolicy]:
        return [p for _, p in sorted(self.policies.items()) if p.owner_agency == agency]

    def get_policy(self, policy_id: str) -> SharingPolicy | None:
        return self.policies.get(policy_id)

    def put_policy(self, policy: SharingPolicy, expected_version: int | None) -> SharingPolicy:
        self._check_version(policy.policy_id, expected_version)
        self.policies[policy.policy_id] = replace(policy, version=(expected_version or 0) + 1)
        return self.policies[policy.policy_id]

    def delete_policy(self, policy_id: str, expected_version: int) -> None:
        self._check_version(policy_id, expected_version)
        del self.policies[policy_id]

    def _check_version(self, policy_id: str, expected_version: int | None) -> None:
        current = self.policies.get(policy_id)
        if current is None and expected_version is not None:
            raise NotFound(f"sharing policy {policy_id} does not exist")
        if current is not None and current.version != expected_version:
            raise Conflict(f"sharing policy {policy_id} is at version {current.version}", current.version)

    def grants_for_grantee(self, agency: str) -> list[Grant]:
        return [
            g for _, g in sorted(self.grants.items()) if g.grantee_agency == agency and g.revoked_at is None
        ]

    def grants_of_incident(self, incident_id: str) -> list[Grant]:
        return [g for _, g in sorted(self.grants.items()) if g.incident_id == incident_id]

    def get_grant(self, grant_id: str) -> Grant | None:
        return self.grants.get(grant_id)

    def add_grant(self, grant: Grant) -> None:
        if grant.grant_id in self.grants:
            raise Conflict(f"a grant with id {grant.grant_id} already exists")
        self.grants[grant.grant_id] = grant

    def revoke_grant(self, grant_id: str, revoked_by: str, revoked_at: datetime) -> Grant:
        grant = self.grants.get(grant_id)
        if grant is None:
            raise NotFound(f"grant {grant_id} does not exist")
        if grant.revoked_at is not None:
            raise Conflict(f"grant {grant_id} is already revoked")
        self.grants[grant_id] = replace(grant, revoked_at=revoked_at, revoked_by=revoked_by)
        return self.grants[grant_id]


class MemoryTaskRepository:
    def __init__(self, incidents: MemoryIncidentRepository) -> None:
        self.items: dict[str, CrewTask] = {}
        self.entries: dict[str, list[TimelineEntry]] = {}
        self._incidents = incidents
        self._lock = threading.Lock()

    def add(self, task: CrewTask, entry: TimelineEntry | None = None) -> None:
        with self._lock:
            if task.task_id in self.items:
                raise Conflict(f"a task with id {task.task_id} already exists")
            self._incidents.append_task(task.incident_id, task.task_id)
            self.items[task.task_id] = task
            first = entry or (created_entry(task, task.source, task.agency) if task.created_at else None)
            self.entries[task.task_id] = [first] if first else []

    def get(self, task_id: str) -> CrewTask | None:
        return self.items.get(task_id)

    def update(self, task: CrewTask, entry: TimelineEntry) -> CrewTask:
        with self._lock:
            current = self.items.get(task.task_id)
            if current is None:
                raise NotFound(f"task {task.task_id} does not exist", "UNKNOWN_TASK")
            if current.version != task.version - 1:
                raise Conflict(f"task {task.task_id} changed meanwhile", current.version)
            self.items[task.task_id] = task
            self.entries.setdefault(task.task_id, []).append(entry)
        return task

    def timeline(self, task_id: str) -> list[TimelineEntry]:
        return list(self.entries.get(task_id, []))

    def get_many(self, task_ids: list[str]) -> dict[str, CrewTask]:
        return {i: self.items[i] for i in task_ids if i in self.items}

    def open_tasks_of_crew(self, crew_id: str) -> list[CrewTask]:
        mine = [t for t in self.items.values() if t.crew_id == crew_id and t.is_open]
        return sorted(mine, key=lambda t: (t.incident_id, t.task_id))


class MemoryNoteRepository:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Note] = {}

    def add(self, note: Note) -> None:
        key = (note.incident_id, note_key(note))
        if key in self.items:
            raise Conflict(f"note {note.note_id} already exists")
        self.items[key] = note

    def notes_of(self, incident_id: str) -> list[Note]:
        return [note for (owner, _), note in sorted(self.items.items()) if owner == incident_id]


class MemoryAuditLog:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], AuditEntry] = {}

    def record(self, entries: list[AuditEntry]) -> None:
        for position, entry in enumerate(entries):
            self.items[(entry.incident_id, audit_key(entry, position))] = entry

    def trail(self, incident_id: str, limit: int) -> list[AuditEntry]:
        newest_first = sorted(self.items.items(), reverse=True)
        return [entry for (owner, _), entry in newest_first if owner == incident_id][:limit]
