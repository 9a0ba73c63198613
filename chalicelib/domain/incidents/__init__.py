"""Incidents: detection events, incidents and their lifecycle, correlation, notes and the outbox.

Other contexts import the names below from the package, never from its modules; each is imported
from its module on first use (chalicelib/domain/exports.py), so importing the package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.domain.exports import lazy_exports

if TYPE_CHECKING:
    from chalicelib.domain.incidents.correlation import CORRELATION_RESOLUTION
    from chalicelib.domain.incidents.events import DetectionEvent, event_id_for
    from chalicelib.domain.incidents.incident import Incident, IncidentStatus
    from chalicelib.domain.incidents.notes import MAX_NOTE_LENGTH, Note
    from chalicelib.domain.incidents.outbox import OutboxEntry
    from chalicelib.domain.incidents.ports import (
        IncidentPage,
        IncidentRepository,
        NoteRepository,
        RoutingTable,
    )

__all__ = [
    "CORRELATION_RESOLUTION",
    "MAX_NOTE_LENGTH",
    "DetectionEvent",
    "event_id_for",
    "Incident",
    "IncidentPage",
    "IncidentRepository",
    "IncidentStatus",
    "Note",
    "NoteRepository",
    "OutboxEntry",
    "RoutingTable",
]

_HOMES = {
    "CORRELATION_RESOLUTION": "correlation",
    "DetectionEvent": "events",
    "event_id_for": "events",
    "Incident": "incident",
    "IncidentStatus": "incident",
    "MAX_NOTE_LENGTH": "notes",
    "Note": "notes",
    "OutboxEntry": "outbox",
    "IncidentPage": "ports",
    "IncidentRepository": "ports",
    "NoteRepository": "ports",
    "RoutingTable": "ports",
}

if not TYPE_CHECKING:  # the type checker reads the imports above
    __getattr__ = lazy_exports(__name__, _HOMES)
