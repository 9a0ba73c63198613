"""The audit trail of sensitive reads: who read which fields of an incident, on what basis, at what level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.access_levels import AccessLevel


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
