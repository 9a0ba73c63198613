"""In-memory adapters: the fakes behind unit tests and the in-memory benchmark.

They keep the same contracts as the DynamoDB adapters (conditional writes, version checks,
idempotency), so services behave the same on both.
"""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.baseline import BaselineState
from chalicelib.domain.devices import SILENCE_FACTOR, Device
from chalicelib.domain.errors import Conflict, DuplicateEvent, InvalidInput
from chalicelib.domain.events import DetectionEvent
from chalicelib.domain.incidents import Incident, IncidentStatus
from chalicelib.domain.ports import IncidentPage
from chalicelib.domain.readings import Reading, format_instant


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
        self.items[incident.incident_id] = replace(incident)

    def get(self, incident_id: str) -> Incident | None:
        incident = self.items.get(incident_id)
        return replace(incident) if incident else None

    def get_many(self, incident_ids: list[str]) -> dict[str, Incident]:
        return {i: replace(self.items[i]) for i in incident_ids if i in self.items}

    def active_near(self, family: str, cells: set[str]) -> list[Incident]:
        return [
            replace(i)
            for i in self.items.values()
            if i.status.is_active and i.family == family and i.h3_cell in cells
        ]

    def record_event(self, event: DetectionEvent, incident: Incident, is_new: bool) -> Incident:
        if event.event_id in self.events:
            raise DuplicateEvent(f"event {event.event_id} was already recorded")
        stored = self.items.get(incident.incident_id)
        if (stored is not None) == is_new or (stored is not None and stored.version != incident.version):
            raise Conflict("the incident changed meanwhile", stored.version if stored else None)
        saved = replace(incident, version=incident.version + 1)
        self.items[saved.incident_id] = saved
        self.events[event.event_id] = (saved.incident_id, event)
        return replace(saved)

    def list_for_agency(
        self, agency: str, status: IncidentStatus | None, category: str | None, limit: int, cursor: str | None
    ) -> IncidentPage:
        ordered = sorted(
            (
                i
                for i in self.items.values()
                if i.owner_agency == agency
                and (status is None or i.status == status)
                and (category is None or i.category == category)
            ),
            key=_seen_key,
            reverse=True,
        )
        if cursor is not None:
            after = _decode_cursor(cursor)
            ordered = [i for i in ordered if _seen_key(i) < after]
        page = ordered[:limit]
        more = len(ordered) > limit
        next_cursor = (
            base64.urlsafe_b64encode(json.dumps(_seen_key(page[-1])).encode()).decode() if more else None
        )
        return IncidentPage([replace(i) for i in page], next_cursor)


def _seen_key(incident: Incident) -> str:
    return f"{format_instant(incident.last_seen)}#{incident.incident_id}"


def _decode_cursor(cursor: str) -> str:
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        raise InvalidInput("the cursor is not one this API issued", "INVALID_CURSOR") from None
    if not isinstance(value, str):
        raise InvalidInput("the cursor is not one this API issued", "INVALID_CURSOR")
    return value
