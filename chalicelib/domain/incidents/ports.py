"""Incidents ports: stored incidents with their events and outbox, notes, and who owns what.

Adapters implement them; the services need them from the outside world.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the ports costs a cold start nothing
    from chalicelib.domain.incidents.events import DetectionEvent
    from chalicelib.domain.incidents.incident import Incident, IncidentStatus
    from chalicelib.domain.incidents.notes import Note
    from chalicelib.domain.incidents.outbox import OutboxEntry


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


class NoteRepository(Protocol):
    def add(self, note: Note) -> None: ...

    def notes_of(self, incident_id: str) -> list[Note]:
        """Oldest first."""
