"""`changes(since)` for offline-first crew apps: the crew's tasks, the incidents they work on (at the
crew's level) and the notes they may read, that changed since the client's cursor.

The cursor is a version vector, not a clock: the versions of the tasks and incidents the client holds
and a short digest of each note it has (notes are append-only; a note written at the same instant as,
or with a clock behind, notes already seen is still new by its id). Clock skew between writers cannot
hide a change, and a task that closed since is still reported once (its last state). The codec signs
the cursor and binds it to the caller; it grows by about 15 bytes per note a crew can read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.incidents import Note
from chalicelib.domain.response.tasks import CrewTask
from chalicelib.services.access.access_resolver import AccessResolver
from chalicelib.services.cursors import CursorCodec
from chalicelib.services.incidents.query_incidents import VisibleIncident
from chalicelib.services.response.manage_tasks import TaskDependencies, may_work_on, my_tasks


@dataclass
class ChangeSet:
    tasks: list[CrewTask] = field(default_factory=list)
    incidents: list[VisibleIncident] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    cursor: str = ""


def crew_changes(
    since: str | None, resolver: AccessResolver, deps: TaskDependencies, codec: CursorCodec
) -> ChangeSet:
    principal = resolver.principal
    seen = _decode(since, codec, principal.subject)
    current = {task.task_id: task for task in my_tasks(principal, deps)}
    closed = deps.tasks.get_many([task_id for task_id in seen["t"] if task_id not in current])
    tasks = {**closed, **current}
    changed = [t for t in tasks.values() if seen["t"].get(t.task_id) != t.version]
    changes = ChangeSet(tasks=[t for t in changed if may_work_on(principal, t)])
    state: dict[str, dict[str, Any]] = {
        "t": {t.task_id: t.version for t in current.values()},
        "i": {},
        "n": {},
    }
    incident_ids = sorted({task.incident_id for task in current.values()})
    for incident in deps.incidents.get_many(incident_ids).values():
        decision = resolver.decide(incident)
        if not decision.visible:
            continue
        state["i"][incident.incident_id] = incident.version
        if seen["i"].get(incident.incident_id) != incident.version:
            changes.incidents.append(VisibleIncident(incident, decision))
        readable = [n for n in deps.notes.notes_of(incident.incident_id) if n.visibility <= decision.level]
        known = set(seen["n"].get(incident.incident_id) or [])
        changes.notes.extend(note for note in readable if _digest(note.note_id) not in known)
        state["n"][incident.incident_id] = sorted(_digest(note.note_id) for note in readable)
    changes.tasks.sort(key=lambda t: t.task_id)
    changes.cursor = codec.encode(
        json.dumps(state, separators=(",", ":"), sort_keys=True), _scope(principal.subject)
    )
    return changes


def _decode(since: str | None, codec: CursorCodec, subject: str) -> dict[str, dict[str, Any]]:
    if not since:
        return {"t": {}, "i": {}, "n": {}}
    state = json.loads(codec.decode(since, _scope(subject)))
    if not isinstance(state, dict) or not all(isinstance(state.get(k), dict) for k in ("t", "i", "n")):
        raise InvalidInput("this cursor was not issued by changes()", "INVALID_CURSOR")
    return state


def _digest(note_id: str) -> str:
    return hashlib.blake2b(note_id.encode(), digest_size=6).hexdigest()


def _scope(subject: str) -> dict[str, Any]:
    return {"query": "changes", "subject": subject}
