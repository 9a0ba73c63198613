"""In-memory adapters: the fakes behind unit tests and the in-memory benchmark.

They keep the same contracts as the DynamoDB adapters (conditional writes, version checks,
idempotency, key order, page cursors), so services behave the same on both; the contract tests in
tests/integration run the same assertions against both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from chalicelib.adapters.dynamodb.keys import audit_key, note_key, on_public_feed
from chalicelib.domain.baseline import BaselineState
from chalicelib.domain.devices import SILENCE_FACTOR, Device
from chalicelib.domain.errors import Conflict, DuplicateEvent, InvalidInput, NotFound
from chalicelib.domain.events import DetectionEvent
from chalicelib.domain.incidents import Incident, IncidentStatus, seen_key
from chalicelib.domain.ports import IncidentPage
from chalicelib.domain.readings import Reading
from chalicelib.domain.records import AuditEntry, Note
from chalicelib.domain.sharing import CrewTask, Grant, SharingPolicy


class MemoryDeviceRepository:
    def __init__(self) -> None:
        self.items: dict[str, Device] = {}

    def get(self, device_id: str) -> Device | None:
        device = self.items.get(device_id)
        return replace(device) if device else None

    def add(self, device: Device) -> None:
        if device.device_id in self.items:
            raise Conflict(f"device {device.device_id} already exists")
        self.items[device.device_id] = replace(device)

    def mark_seen(self, device_id: str, seen_at: datetime, expected_interval_s: int) -> None:
        device = self.items[device_id]
        if device.last_seen is None or seen_at > device.last_seen:
            device.last_seen, device.offline = seen_at, False

    def silent_since(self, now: datetime) -> list[Device]:
        return [
            replace(d)
            for d in self.items.values()
            if d.enabled
            and not d.offline
            and d.last_seen is not None
            and (now - d.last_seen).total_seconds() > SILENCE_FACTOR * d.expected_interval_s
        ]

    def mark_offline(self, device_id: str, last_seen: datetime) -> bool:
        device = self.items[device_id]
        if device.offline or device.last_seen != last_seen:
            return False
        device.offline = True
        return True


class MemoryNonceStore:
    def __init__(self) -> None:
        self.seen: set[str] = set()

    def remember(self, device_id: str, nonce: str, expires_at: datetime) -> bool:
        key = f"{device_id}#{nonce}"
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


class MemoryReadingStore:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Reading] = {}

    def add_if_new(self, reading: Reading) -> bool:
        key = (reading.device_id, reading.key)
        if key in self.items:
            return False
        self.items[key] = reading
        return True


class MemoryBaselineRepository:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], BaselineState] = {}

    def get(self, device_id: str, metric: str) -> BaselineState | None:
        return self.items.get((device_id, metric))

    def save(self, device_id: str, metric: str, state: BaselineState, previous: BaselineState | None) -> bool:
        if self.items.get((device_id, metric)) != previous:
            return False
        self.items[(device_id, metric)] = state
        return True


class MemoryReadingQueue:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str, list[Reading]]] = []

    def send(self, device_id: str, batch_id: str, readings: list[Reading]) -> None:
        self.messages.append((device_id, batch_id, list(readings)))


class MemoryRoutingTable:
    def __init__(self, owners: dict[str, str] | None = None) -> None:
        self.owners = dict(owners or {})

    def owner_of(self, sub_category: str, device_agency: str) -> str:
        return self.owners.get(sub_category, device_agency)


class MemoryIncidentRepository:
    def __init__(self) -> None:
        self.items: dict[str, Incident] = {}
        self.events: dict[str, tuple[str, DetectionEvent]] = {}

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

    def record_event(self, event: DetectionEvent, incident: Incident, is_new: bool) -> Incident:
        if event.event_id in self.events:
            raise DuplicateEvent(f"event {event.event_id} was already recorded")
        stored = self.items.get(incident.incident_id)
        if (stored is not None) == is_new or (stored is not None and stored.version != incident.version):
            raise Conflict("the incident changed meanwhile", stored.version if stored else None)
        saved = replace(_copy(incident), version=incident.version + 1)
        self.items[saved.incident_id] = saved
        self.events[event.event_id] = (saved.incident_id, event)
        return _copy(saved)

    def save(self, incident: Incident) -> Incident:
        stored = self.items.get(incident.incident_id)
        if stored is None:
            raise NotFound(f"incident {incident.incident_id} does not exist")
        if stored.version != incident.version:
            raise Conflict("the incident changed meanwhile", stored.version)
        self.items[incident.incident_id] = replace(_copy(incident), version=incident.version + 1)
        return _copy(self.items[incident.incident_id])

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
        self._incidents = incidents

    def add(self, task: CrewTask) -> None:
        if task.task_id in self.items:
            raise Conflict(f"a task with id {task.task_id} already exists")
        self._incidents.append_task(task.incident_id, task.task_id)
        self.items[task.task_id] = task

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
