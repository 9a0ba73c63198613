"""Change an incident as its owner: lifecycle actions, the sensitivity flag, notes.

Every change names the version the caller saw (`expected_version`); a stale one is refused with
CONFLICT carrying the current version, so a console can reload and retry deliberately.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.domain.incidents.incident import Incident
from chalicelib.domain.incidents.lifecycle import LifecycleAction, apply_action, flag_sensitive
from chalicelib.domain.incidents.notes import MAX_NOTE_LENGTH, Note
from chalicelib.domain.incidents.ports import IncidentRepository, NoteRepository
from chalicelib.services.access.access_resolver import AccessResolver


@dataclass(frozen=True)
class IncidentChange:
    incident_id: str
    expected_version: int


def change_status(
    change: IncidentChange, action: LifecycleAction, resolver: AccessResolver, incidents: IncidentRepository
) -> Incident:
    return _change(
        change, resolver, incidents, lambda incident: apply_action(incident, action, resolver.principal)
    )


def set_sensitive(
    change: IncidentChange, sensitive: bool, resolver: AccessResolver, incidents: IncidentRepository
) -> Incident:
    return _change(
        change, resolver, incidents, lambda incident: flag_sensitive(incident, sensitive, resolver.principal)
    )


def _change(
    change: IncidentChange,
    resolver: AccessResolver,
    incidents: IncidentRepository,
    apply: Callable[[Incident], Incident],
) -> Incident:
    incident = _visible(change.incident_id, resolver, incidents)
    if incident.version != change.expected_version:
        raise Conflict(
            f"incident {incident.incident_id} is at version {incident.version}, not {change.expected_version}",
            incident.version,
        )
    return incidents.save(apply(incident))


def add_note(
    incident_id: str,
    text: str,
    visibility: AccessLevel,
    resolver: AccessResolver,
    incidents: IncidentRepository,
    notes: NoteRepository,
) -> Note:
    """A note readable by whoever reads the incident at `visibility` or above; writers need OPERATIONAL
    and cannot write above their own level."""
    incident = _visible(incident_id, resolver, incidents)
    level = resolver.decide(incident).level
    if level < AccessLevel.OPERATIONAL:
        raise Forbidden("adding notes needs OPERATIONAL access to the incident", "FORBIDDEN")
    if not AccessLevel.PUBLIC <= visibility <= level:
        raise Forbidden(
            f"a note's visibility can range from PUBLIC to your level ({level.name})", "FORBIDDEN"
        )
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"a note holds 1 to {MAX_NOTE_LENGTH} characters", "INVALID_NOTE")
    principal = resolver.principal
    note = Note(
        f"note_{uuid.uuid4().hex}",
        incident.incident_id,
        principal.subject,
        principal.agency,
        cleaned,
        visibility,
        resolver.now,
    )
    notes.add(note)
    return note


def _visible(incident_id: str, resolver: AccessResolver, incidents: IncidentRepository) -> Incident:
    incident = incidents.get(incident_id)
    if incident is None or not resolver.decide(incident).visible:
        raise NotFound(f"no incident {incident_id}", "NOT_FOUND")
    return incident
