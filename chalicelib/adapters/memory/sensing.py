"""In-memory devices, nonces, readings and baselines: the fakes of the sensing ports, with the contracts of
adapters/dynamodb/sensing/ (conditional adds, forward-only last_seen, optimistic baselines)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.errors import Conflict
from chalicelib.domain.sensing.baseline import BaselineState
from chalicelib.domain.sensing.detection import silence_deadline
from chalicelib.domain.sensing.devices import Device
from chalicelib.domain.sensing.readings import Reading


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
            and silence_deadline(d.last_seen, d.expected_interval_s) < now
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
