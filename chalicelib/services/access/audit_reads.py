"""Audit of sensitive reads: every read of a RESTRICTED field and every read by a non-owning agency.

A request collects its entries and writes them once, at the end (one batch write per request).
"""

from __future__ import annotations

from chalicelib.domain.access.audit import AuditEntry
from chalicelib.domain.access.decisions import AccessDecision
from chalicelib.domain.access.ports import AuditLog
from chalicelib.domain.errors import Forbidden
from chalicelib.domain.incidents import Incident, IncidentRepository
from chalicelib.domain.principal import Principal, Role
from chalicelib.services.access.access_resolver import AccessResolver

TRAIL_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
MAX_TRAIL = 500


class ReadAudit:
    def __init__(self, resolver: AccessResolver, request_id: str) -> None:
        self._resolver = resolver
        self._request_id = request_id
        self._reads: dict[str, tuple[Incident, AccessDecision, set[str], bool]] = {}

    def read(self, incident: Incident, decision: AccessDecision, fields: list[str], restricted: bool) -> None:
        """Note that `fields` of `incident` were served; `restricted` when any of them is RESTRICTED."""
        _, _, seen, was_restricted = self._reads.get(incident.incident_id, (incident, decision, set(), False))
        seen.update(fields)
        self._reads[incident.incident_id] = (incident, decision, seen, was_restricted or restricted)

    def entries(self) -> list[AuditEntry]:
        principal = self._resolver.principal
        if principal.is_public:
            return []
        return [
            AuditEntry(
                incident.incident_id,
                self._resolver.now,
                self._request_id,
                principal.subject,
                principal.agency,
                tuple(sorted(fields)),
                decision.basis,
                decision.level,
            )
            for incident, decision, fields, restricted in self._reads.values()
            if restricted or incident.owner_agency != principal.agency
        ]

    def flush(self, log: AuditLog) -> int:
        entries = self.entries()
        if entries:
            log.record(entries)
        self._reads.clear()
        return len(entries)


def audit_trail(
    incident_id: str, principal: Principal, incidents: IncidentRepository, log: AuditLog, limit: int = 100
) -> list[AuditEntry]:
    """The trail of an incident, for supervisors and admins of its owning agency."""
    incident = incidents.get(incident_id)
    if incident is None or incident.owner_agency != principal.agency or not TRAIL_ROLES & principal.roles:
        raise Forbidden("the audit trail is for the owning agency's supervisors", "FORBIDDEN")
    return log.trail(incident_id, min(max(limit, 1), MAX_TRAIL))
