"""Ports: what the services need from the outside world. Adapters implement them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: importing the ports costs a cold start nothing
    from datetime import datetime

    import numpy as np

    from chalicelib.domain.access.agencies import Agency
    from chalicelib.domain.access.audit import AuditEntry
    from chalicelib.domain.access.sharing import CrewTask, Grant, SharingPolicy
    from chalicelib.domain.cameras.config import CameraConfig
    from chalicelib.domain.cameras.state import CameraState
    from chalicelib.domain.cameras.vision import Box, ModelManifest
    from chalicelib.domain.incidents.events import DetectionEvent
    from chalicelib.domain.incidents.incident import Incident, IncidentStatus
    from chalicelib.domain.incidents.notes import Note
    from chalicelib.domain.principal import Principal
    from chalicelib.domain.response.outbox import OutboxEntry
    from chalicelib.domain.response.playbooks import Playbook
    from chalicelib.domain.response.tasks import TimelineEntry
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

    def events_of(self, incident_id: str, limit: int = 100) -> list[DetectionEvent]:
        """The incident's events, newest first."""

    def active_near(self, family: str, cells: set[str]) -> list[Incident]:
        """Active incidents of a family whose cell is one of `cells`."""

    def record_event(
        self, event: DetectionEvent, incident: Incident, is_new: bool, outbox: tuple[OutboxEntry, ...] = ()
    ) -> Incident:
        """Atomically store the event and the incident (version-checked); returns the stored incident.

        Raises DuplicateEvent if the event was already recorded, Conflict if the incident moved on.
        """

    def save(self, incident: Incident) -> Incident:
        """Store a changed incident if its version is still `incident.version`; returns it at version + 1.

        Raises Conflict carrying the current version otherwise."""

    def list_public(self, limit: int, cursor: str | None) -> IncidentPage:
        """Incidents on the public feed (not embargoed, not dismissed), ordered by id: the order reveals
        nothing above PUBLIC. `cursor` is the last incident id of the previous page."""

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
        """Incidents owned by `agency`, most recently seen first; `category` is the Alert category.

        `cursor`, when given, is the seen_key (f"{format_instant(last_seen)}#{incident_id}") after which
        to continue: only incidents with a smaller seen_key are returned."""


class TokenVerifier(Protocol):
    def verify(self, token: str) -> Principal:
        """The principal of a valid bearer token; raises AuthenticationFailed otherwise."""


class SharingRepository(Protocol):
    def policies_for_grantee(self, agency: str) -> list[SharingPolicy]: ...

    def policies_of_owner(self, agency: str) -> list[SharingPolicy]: ...

    def get_policy(self, policy_id: str) -> SharingPolicy | None: ...

    def put_policy(self, policy: SharingPolicy, expected_version: int | None) -> SharingPolicy:
        """Create (expected_version None) or replace at `expected_version`; returns it at version + 1 (new: 1).
        Raises Conflict with the current version."""

    def delete_policy(self, policy_id: str, expected_version: int) -> None: ...

    def grants_for_grantee(self, agency: str) -> list[Grant]:
        """Grants to `agency` that are not revoked (expired ones included: expiry is checked at read time)."""

    def grants_of_incident(self, incident_id: str) -> list[Grant]: ...

    def get_grant(self, grant_id: str) -> Grant | None: ...

    def add_grant(self, grant: Grant) -> None: ...

    def revoke_grant(self, grant_id: str, revoked_by: str, revoked_at: datetime) -> Grant:
        """Revoke once; raises NotFound if unknown, Conflict if already revoked."""


class TaskRepository(Protocol):
    def add(self, task: CrewTask, entry: TimelineEntry | None = None) -> None:
        """Store the task, its first timeline entry, and append its id to its incident's task_ids (one
        transaction); Conflict if the id is taken, NotFound if the incident is missing."""

    def get(self, task_id: str) -> CrewTask | None: ...

    def update(self, task: CrewTask, entry: TimelineEntry) -> CrewTask:
        """Store the task's next version with its timeline entry if the stored one is `task.version - 1`;
        Conflict(current_version) otherwise."""

    def timeline(self, task_id: str) -> list[TimelineEntry]:
        """Oldest first."""

    def get_many(self, task_ids: list[str]) -> dict[str, CrewTask]: ...

    def open_tasks_of_crew(self, crew_id: str) -> list[CrewTask]: ...


class Outbox(Protocol):
    def pending(self, limit: int = 50) -> list[OutboxEntry]:
        """Entries not yet relayed, oldest first."""

    def mark_relayed(self, entry_id: str) -> None: ...


class PlaybookRepository(Protocol):
    def active(self) -> list[Playbook]:
        """Every stored playbook (the latest version of each); the caller may cache."""

    def get(self, playbook_id: str) -> Playbook | None: ...

    def save(self, playbook: Playbook, expected_version: int | None) -> Playbook:
        """Store the next version (expected None: a new id); Conflict(current_version) if stale."""


class MutationLog(Protocol):
    def recall(self, subject: str, client_mutation_id: str) -> dict[str, Any] | None: ...

    def remember(self, subject: str, client_mutation_id: str, answer: dict[str, Any], now: datetime) -> bool:
        """Keep the answer unless one is kept already; False then."""


class NoteRepository(Protocol):
    def add(self, note: Note) -> None: ...

    def notes_of(self, incident_id: str) -> list[Note]:
        """Oldest first."""


class AuditLog(Protocol):
    def record(self, entries: list[AuditEntry]) -> None:
        """Write a request's entries in as few calls as possible."""

    def trail(self, incident_id: str, limit: int) -> list[AuditEntry]:
        """Newest first."""


class AgencyDirectory(Protocol):
    def list(self) -> list[Agency]:
        """Every agency of the city, by id."""


class MediaStore(Protocol):
    """The media bucket: camera uploads, redacted derivatives, quarantine and models."""

    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_s: int, metadata: dict[str, str]
    ) -> dict[str, object]:
        """A presigned POST (`url`, `fields`) that accepts only this key, type and size range."""

    def presign_download(self, key: str, expires_s: int) -> str: ...

    def head(self, key: str) -> StoredObject | None:
        """The object's size, type and metadata without its body; None if absent."""

    def read(self, key: str) -> bytes: ...

    def sha256(self, key: str) -> str | None:
        """The hex SHA-256 of the object's body, read as a stream; None if absent."""

    def write(self, key: str, body: bytes, content_type: str, metadata: dict[str, str]) -> None: ...

    def quarantine(self, key: str, reason: str) -> str:
        """Move the object under quarantine/ with the reason in its metadata; the new key."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    content_type: str
    etag: str
    metadata: dict[str, str]


class CameraRepository(Protocol):
    def get_config(self, camera_id: str) -> CameraConfig | None: ...

    def save_config(self, config: CameraConfig, expected_version: int | None) -> CameraConfig:
        """Store the next version; raises Conflict(current_version) if someone saved since."""

    def get_state(self, camera_id: str) -> CameraState: ...

    def save_state(self, state: CameraState) -> bool:
        """Save unless the state moved since it was read (its version); False on a lost race."""


class Detector(Protocol):
    @property
    def manifest(self) -> ModelManifest: ...

    def detect(self, pixels: np.ndarray) -> list[Box]: ...


class DetectorRegistry(Protocol):
    def detector(self, name: str) -> Detector:
        """The current version of a model, fetched and verified once per container."""
