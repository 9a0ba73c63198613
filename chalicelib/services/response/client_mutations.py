"""Changes to tasks named by a clientMutationId, each applied at most once per caller.

A mobile app retries a change when the network drops. The first answer to a clientMutationId is kept
(MutationLog, by the caller's subject, kept 7 days): a retry gets that answer, rebuilt as it was (the
task at the version the change produced), and applies nothing. A CONFLICT met while a concurrent retry
of the same id succeeded answers like that retry. An id used for another change is refused
(CLIENT_MUTATION_ID_REUSED).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.incidents import Note
from chalicelib.domain.principal import Principal
from chalicelib.domain.response.ports import MutationLog
from chalicelib.domain.response.tasks import CrewTask, TaskStatus
from chalicelib.services.response.manage_tasks import TaskDependencies, task_of

MAX_CLIENT_MUTATION_ID = 64


@dataclass(frozen=True)
class TaskChange:
    """What a change to a task answers: the task as it left it, and the note or upload form it made."""

    task: CrewTask
    note: Note | None = None
    upload: dict[str, Any] | None = None  # key, url, fields, expiresInS


@dataclass(frozen=True)
class ClientMutation:
    """One change named by a client: which operation, on which task, under which id."""

    operation: str
    task_id: str
    client_mutation_id: str


Apply = Callable[[], TaskChange]


def apply_once(
    mutation: ClientMutation,
    apply: Apply,
    principal: Principal,
    deps: TaskDependencies,
    log: MutationLog,
    now: datetime,
) -> TaskChange:
    """Apply the change unless this caller's clientMutationId already has an answer; answer as first."""
    cmid = mutation.client_mutation_id
    if not (0 < len(cmid) <= MAX_CLIENT_MUTATION_ID and cmid.isprintable()):
        raise InvalidInput("clientMutationId must hold 1 to 64 printable characters")
    if (kept := log.recall(principal.subject, cmid)) is not None:
        return _replayed(kept, mutation, principal, deps)
    try:
        outcome = apply()
    except Conflict:
        if (kept := log.recall(principal.subject, cmid)) is not None:
            return _replayed(kept, mutation, principal, deps)
        raise
    if not log.remember(principal.subject, cmid, _answer(mutation, outcome), now):
        kept = log.recall(principal.subject, cmid)  # the first answer wins
        return _replayed(kept, mutation, principal, deps) if kept else outcome
    return outcome


def _answer(mutation: ClientMutation, outcome: TaskChange) -> dict[str, Any]:
    """What the log keeps: enough to rebuild the same payload later."""
    task, note = outcome.task, outcome.note
    state = {
        "version": task.version,
        "status": task.status.value,
        "lat": task.lat,
        "lon": task.lon,
        "crewId": task.crew_id,
        "updatedAt": task.updated_at.isoformat() if task.updated_at else None,
    }
    kept: dict[str, Any] = {"operation": mutation.operation, "taskId": task.task_id, "task": state}
    if note is not None:
        kept["note"] = [note.note_id, note.author_agency, note.text, note.created_at.isoformat()]
    if outcome.upload is not None:
        kept["upload"] = outcome.upload
    return kept


def _replayed(
    kept: dict[str, Any], mutation: ClientMutation, principal: Principal, deps: TaskDependencies
) -> TaskChange:
    """The kept answer as first given: the task at the version, status, crew, time and place the change
    left it (its title and dependencies as they are now: no operation changes them)."""
    if (kept.get("operation"), kept.get("taskId")) != (mutation.operation, mutation.task_id):
        raise InvalidInput("this clientMutationId was used for another change", "CLIENT_MUTATION_ID_REUSED")
    current = task_of(mutation.task_id, principal, deps)
    if current is None:
        raise NotFound(f"no task {mutation.task_id!r} of yours", "UNKNOWN_TASK")
    state = kept["task"]
    updated_at = datetime.fromisoformat(state["updatedAt"]) if state["updatedAt"] else None
    task = replace(
        current, version=state["version"], status=TaskStatus(state["status"]), updated_at=updated_at
    )
    task = replace(task, lat=state["lat"], lon=state["lon"], crew_id=state.get("crewId", current.crew_id))
    note = None
    if "note" in kept:
        note_id, agency, text, created_at = kept["note"]
        created = datetime.fromisoformat(created_at)
        note = Note(
            note_id, task.incident_id, principal.subject, agency, text, AccessLevel.OPERATIONAL, created
        )
    return TaskChange(task, note, kept.get("upload"))
