"""In-memory incidents (with their events and outbox entries), routing and notes: the fakes of the incidents
ports, with the contracts of adapters/dynamodb/incidents/ (version checks, cursors, public feed, note keys).

MemoryIncidentRepository is also the outbox's fake: record_event stores the outbox entries with the
incident under one lock, as DynamoDB writes them in one transaction.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from chalicelib.adapters.dynamodb.keys import note_key, on_public_feed
from chalicelib.domain.errors import Conflict, DuplicateEvent, InvalidInput, NotFound
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import Incident, IncidentStatus, seen_key
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.incidents.outbox import OutboxEntry
from chalicelib.domain.incidents.ports import IncidentPage

T = TypeVar("T")


def _locked(method: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(method)
    def locked(self: MemoryIncidentRepository, *args: Any, **kwargs: Any) -> T:
        with self.lock:
            return method(self, *args, **kwargs)

    return locked


class MemoryIncidentRepository:
    def __init__(self) -> None:
        self.items: dict[str, Incident] = {}
        self.events: dict[str, tuple[str, DetectionEvent]] = {}
        self.outbox: dict[str, tuple[OutboxEntry, bool]] = {}  # entry id → (entry, still pending)
        self.lock = threading.RLock()  # check-then-write is atomic, as DynamoDB's conditions are

    def put(self, incident: Incident) -> None:
        """Store an incident as is (test set-up)."""
        self.items[incident.incident_id] = _copy(incident)

    def get(self, incident_id: str) -> Incident | None:
        incident = self.items.get(incident_id)
        return _copy(incident) if incident else None

    def get_many(self, incident_ids: list[str]) -> dict[str, Incident]:
        return {i: _copy(self.items[i]) for i in incident_ids if i in self.items}

    def active_near(self, family: str, cells: set[str]) -> list[Incident]:
        return [
            _copy(i)
            for i in self.items.values()
            if i.status.is_active and i.family == family and i.h3_cell in cells
        ]

    @_locked
    def record_event(
        self, event: DetectionEvent, incident: Incident, is_new: bool, outbox: tuple[OutboxEntry, ...] = ()
    ) -> Incident:
        if event.event_id in self.events:
            raise DuplicateEvent(f"event {event.event_id} was already recorded")
        stored = self.items.get(incident.incident_id)
        if (stored is not None) == is_new or (stored is not None and stored.version != incident.version):
            raise Conflict("the incident changed meanwhile", stored.version if stored else None)
        saved = replace(_copy(incident), version=incident.version + 1)
        self.items[saved.incident_id] = saved
        self.events[event.event_id] = (saved.incident_id, event)
        for entry in outbox:
            self.outbox.setdefault(entry.entry_id, (entry, True))
        return _copy(saved)

    def pending(self, limit: int = 50) -> list[OutboxEntry]:
        """The outbox's entries not yet relayed, oldest first (the memory outbox lives here)."""
        waiting = [entry for entry, pending in self.outbox.values() if pending]
        return sorted(waiting, key=lambda e: (e.created_at, e.entry_id))[:limit]

    def mark_relayed(self, entry_id: str) -> None:
        if entry_id in self.outbox:
            self.outbox[entry_id] = (self.outbox[entry_id][0], False)

    @_locked
    def save(self, incident: Incident) -> Incident:
        stored = self.items.get(incident.incident_id)
        if stored is None:
            raise NotFound(f"incident {incident.incident_id} does not exist")
        if stored.version != incident.version:
            raise Conflict("the incident changed meanwhile", stored.version)
        self.items[incident.incident_id] = replace(_copy(incident), version=incident.version + 1)
        return _copy(self.items[incident.incident_id])

    @_locked
    def append_task(self, incident_id: str, task_id: str) -> None:
        """What a task's creation does to its incident: its id appended, the version moved on."""
        stored = self.items.get(incident_id)
        if stored is None:
            raise NotFound(f"incident {incident_id} does not exist")
        self.items[incident_id] = replace(
            stored, task_ids=[*stored.task_ids, task_id], version=stored.version + 1
        )

    def list_public(self, limit: int, cursor: str | None) -> IncidentPage:
        _check_page(limit, cursor)
        shown = [
            i for i in self.items.values() if on_public_feed(i) and (cursor is None or i.incident_id > cursor)
        ]
        return _page(sorted(shown, key=lambda i: i.incident_id), limit, lambda i: i.incident_id)

    def list_for_agency(
        self,
        agency: str,
        status: IncidentStatus | None,
        category: str | None,
        limit: int,
        cursor: str | None,
        *,
        sub_category: str | None = None,
    ) -> IncidentPage:
        _check_page(limit, cursor)
        shown = [
            i
            for i in self.items.values()
            if i.owner_agency == agency
            and (status is None or i.status == status)
            and (category is None or i.category == category)
            and (sub_category is None or i.sub_category == sub_category)
            and (cursor is None or seen_key(i) < cursor)
        ]
        return _page(sorted(shown, key=seen_key, reverse=True), limit, seen_key)

    def events_of(self, incident_id: str, limit: int = 100) -> list[DetectionEvent]:
        mine = [event for owner, event in self.events.values() if owner == incident_id]
        return sorted(mine, key=lambda e: e.observed_at, reverse=True)[:limit]


def _copy(incident: Incident) -> Incident:
    """A copy whose lists and maps are its own: callers cannot change what is stored."""
    return replace(
        incident,
        source_confidence=dict(incident.source_confidence),
        recent_events=list(incident.recent_events),
        task_ids=list(incident.task_ids),
    )


def _check_page(limit: int, cursor: str | None) -> None:
    if limit < 1:
        raise InvalidInput("a page holds at least one incident", "INVALID_PAGE_SIZE")
    if cursor == "":
        raise InvalidInput("a cursor is not empty", "INVALID_CURSOR")


def _page(ordered: list[Incident], limit: int, key: Callable[[Incident], str]) -> IncidentPage:
    page = ordered[:limit]
    return IncidentPage([_copy(i) for i in page], key(page[-1]) if len(ordered) > limit else None)


class MemoryRoutingTable:
    def __init__(self, owners: dict[str, str] | None = None) -> None:
        self.owners = dict(owners or {})

    def owner_of(self, sub_category: str, device_agency: str) -> str:
        return self.owners.get(sub_category, device_agency)


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
