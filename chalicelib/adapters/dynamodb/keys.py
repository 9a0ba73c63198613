"""The keys and the feed rule that a DynamoDB adapter shares with its in-memory fake.

They live here, free of PynamoDB, so that the in-memory adapters order and deduplicate exactly as
DynamoDB does without importing PynamoDB (the in-memory container never loads it). Every other key is
built by its entity's module. Instants in keys are `format_instant` strings (RFC 3339 UTC, milliseconds),
so keys sort as strings. The incidents' seen_key lives in the domain (`chalicelib.domain.incidents.incident.seen_key`):
services page by it.
"""

from __future__ import annotations

from chalicelib.domain.access.audit import AuditEntry
from chalicelib.domain.access.decisions import is_embargoed
from chalicelib.domain.incidents.incident import Incident, IncidentStatus
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.instants import format_instant


def on_public_feed(incident: Incident) -> bool:
    """Not embargoed (sensitive and unresolved) and not dismissed: whether the incident carries the
    sparse `public_feed` key (incidents.py) and is listed by list_public."""
    return not is_embargoed(incident) and incident.status != IncidentStatus.DISMISSED


def note_key(note: Note) -> str:
    """Range key of an incident's notes (notes.py): oldest first, ties broken by id."""
    return f"{format_instant(note.created_at)}#{note.note_id}"


def audit_key(entry: AuditEntry, position: int) -> str:
    """Range key of an incident's audit trail (audit.py): unique per request, subject and position in the
    request, so a retried request overwrites its own entries instead of adding new ones."""
    return f"{format_instant(entry.at)}#{entry.request_id}#{entry.subject}#{position:04d}"
