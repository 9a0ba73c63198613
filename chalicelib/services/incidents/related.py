"""What hangs off an incident the caller sees, as far as the caller's level on it reaches: the notes
written at or below that level, and the grants (which the field levels show from their own level)."""

from __future__ import annotations

from chalicelib.domain.access import Grant, SharingRepository
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.incidents.ports import NoteRepository
from chalicelib.services.incidents.query_incidents import VisibleIncident


def readable_notes(item: VisibleIncident, notes: NoteRepository) -> list[Note]:
    """Oldest first."""
    level = item.access.level
    return [note for note in notes.notes_of(item.incident.incident_id) if note.visibility <= level]


def grants_of(item: VisibleIncident, sharing: SharingRepository) -> list[Grant]:
    return sharing.grants_of_incident(item.incident.incident_id)
