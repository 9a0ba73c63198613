"""Notes on incidents and audit entries of sensitive reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.access.levels import AccessLevel

MAX_NOTE_LENGTH = 4000


@dataclass(frozen=True)
class Agency:
    agency_id: str
    name: str


@dataclass(frozen=True)
class Note:
    note_id: str
    incident_id: str
    author: str  # principal subject
    author_agency: str
    text: str
    visibility: AccessLevel  # readers need at least this level on the incident
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One principal's read of one incident in one request."""

    incident_id: str
    at: datetime
    request_id: str
    subject: str
    agency: str
    fields: tuple[str, ...]  # the fields read, as Type.field
    basis: str  # owner, policy:<id>, grant:<id>, task:<id>, public
    level: AccessLevel
