"""Sensing ports: stored devices, nonces, device keys, readings, baselines and the readings queue.

Adapters implement them; the services need them from the outside world.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the ports costs a cold start nothing
    from datetime import datetime

    from chalicelib.domain.sensing.baseline import BaselineState
    from chalicelib.domain.sensing.devices import Device
    from chalicelib.domain.sensing.readings import Reading


class DeviceRepository(Protocol):
    def get(self, device_id: str) -> Device | None: ...

    def add(self, device: Device) -> None:
        """Store a new device; raises Conflict if the id is taken."""

    def mark_seen(self, device_id: str, seen_at: datetime, expected_interval_s: int) -> None:
        """Move last_seen forward (never back) and clear the offline flag."""

    def silent_since(self, now: datetime) -> list[Device]:
        """Enabled, online devices whose silence deadline (last_seen + 3 × interval) has passed."""

    def mark_offline(self, device_id: str, last_seen: datetime) -> bool:
        """Flag the device offline unless it has been seen since `last_seen`; True if this call flagged it."""


class NonceStore(Protocol):
    def remember(self, device_id: str, nonce: str, expires_at: datetime) -> bool:
        """Record the nonce; False if it was already used (a replay)."""


class DeviceKeyring(Protocol):
    def secret_for(self, device_id: str, key_version: int) -> bytes:
        """The device's signing secret (derived, never stored)."""

    def derive(self, purpose: str) -> bytes:
        """A key for another purpose (cursor signing, webhook targets), derived from the same master key."""


class ReadingStore(Protocol):
    def add_if_new(self, reading: Reading) -> bool:
        """Store the reading once; False if it was already stored."""


class BaselineRepository(Protocol):
    def get(self, device_id: str, metric: str) -> BaselineState | None: ...

    def save(self, device_id: str, metric: str, state: BaselineState, previous: BaselineState | None) -> bool:
        """Save unless someone else moved the state since `previous`; False on a lost race."""


class ReadingQueue(Protocol):
    def send(self, device_id: str, batch_id: str, readings: list[Reading]) -> None: ...
