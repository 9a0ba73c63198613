"""Notes on incidents: written by agencies' staff, field crews and playbooks, each readable from a level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.access_levels import AccessLevel

MAX_NOTE_LENGTH = 4000


@dataclass(frozen=True)
class Note:
    note_id: str
    incident_id: str
    author: str  # principal subject
    author_agency: str
    text: str
    visibility: AccessLevel  # readers need at least this level on the incident
    created_at: datetime
