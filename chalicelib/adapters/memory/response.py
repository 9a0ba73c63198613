"""In-memory tasks (with timelines), clients' mutation answers, playbooks and the action log: the fakes of
the response ports, with the contracts of adapters/dynamodb/response/ (version checks, idempotency).

The outbox's fake is MemoryIncidentRepository (incidents.py): record_event writes incident and outbox
entries under one lock, as DynamoDB writes them in one transaction.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.memory.incidents import MemoryIncidentRepository
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.response.tasks import CrewTask, TimelineEntry, created_entry

if TYPE_CHECKING:
    from chalicelib.domain.response.playbooks import Playbook


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


class MemoryMutationLog:
    def __init__(self) -> None:
        self.answers: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def recall(self, subject: str, client_mutation_id: str) -> dict[str, Any] | None:
        return self.answers.get((subject, client_mutation_id))

    def remember(self, subject: str, client_mutation_id: str, answer: dict[str, Any], now: datetime) -> bool:
        with self._lock:
            if (subject, client_mutation_id) in self.answers:
                return False
            self.answers[(subject, client_mutation_id)] = answer
            return True


class MemoryPlaybookRepository:
    def __init__(self, playbooks: list[Playbook] | None = None) -> None:
        self.items: dict[str, Playbook] = {p.id: p for p in playbooks or []}
        self._lock = threading.Lock()

    def active(self) -> list[Playbook]:
        return sorted(self.items.values(), key=lambda playbook: playbook.id)

    def get(self, playbook_id: str) -> Playbook | None:
        return self.items.get(playbook_id)

    def save(self, playbook: Playbook, expected_version: int | None) -> Playbook:
        with self._lock:
            current = self.items.get(playbook.id)
            current_version = current.version if current else 0
            if (expected_version or 0) != current_version:
                raise Conflict(f"playbook {playbook.id} is at version {current_version}", current_version)
            saved = playbook.model_copy(update={"version": current_version + 1})
            self.items[playbook.id] = saved
            return saved


class MemoryActionLog:
    def __init__(self) -> None:
        self.done: dict[str, datetime] = {}

    def is_done(self, action_id: str) -> bool:
        return action_id in self.done

    def mark_done(self, action_id: str, now: datetime) -> None:
        self.done.setdefault(action_id, now)
