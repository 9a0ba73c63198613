"""Ports: what the services need from the outside world. Adapters implement them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.baseline import BaselineState
from chalicelib.domain.devices import Device
from chalicelib.domain.events import DetectionEvent
from chalicelib.domain.incidents import Incident, IncidentStatus
from chalicelib.domain.principal import Principal
from chalicelib.domain.readings import Reading


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


class ReadingStore(Protocol):
    def add_if_new(self, reading: Reading) -> bool:
        """Store the reading once; False if it was already stored."""


class BaselineRepository(Protocol):
    def get(self, device_id: str, metric: str) -> BaselineState | None: ...

    def save(self, device_id: str, metric: str, state: BaselineState, previous: BaselineState | None) -> bool:
        """Save unless someone else moved the state since `previous`; False on a lost race."""


class ReadingQueue(Protocol):
    def send(self, device_id: str, batch_id: str, readings: list[Reading]) -> None: ...


class RoutingTable(Protocol):
    def owner_of(self, sub_category: str, device_agency: str) -> str:
        """The agency that owns incidents of this sub-category (the device's agency if unrouted)."""


@dataclass(frozen=True)
class IncidentPage:
    incidents: list[Incident]
    next_cursor: str | None


class IncidentRepository(Protocol):
    def get(self, incident_id: str) -> Incident | None: ...

    def get_many(self, incident_ids: list[str]) -> dict[str, Incident]: ...

    def active_near(self, family: str, cells: set[str]) -> list[Incident]:
        """Active incidents of a family whose cell is one of `cells`."""

    def record_event(self, event: DetectionEvent, incident: Incident, is_new: bool) -> Incident:
        """Atomically store the event and the incident (version-checked); returns the stored incident.

        Raises DuplicateEvent if the event was already recorded, Conflict if the incident moved on.
        """

    def list_for_agency(
        self,
        agency: str,
        status: IncidentStatus | None,
        category: str | None,
        limit: int,
        cursor: str | None,
    ) -> IncidentPage:
        """Incidents owned by `agency`, most recently seen first; `category` is the Alert category."""


class TokenVerifier(Protocol):
    def verify(self, token: str) -> Principal:
        """The principal of a valid bearer token; raises AuthenticationFailed otherwise."""
