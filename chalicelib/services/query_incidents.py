"""Read incidents as a principal may see them (v1: own agency only; sharing comes later)."""

from __future__ import annotations

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.incidents import Incident, IncidentStatus
from chalicelib.domain.ports import IncidentPage, IncidentRepository
from chalicelib.domain.principal import Principal

MAX_PAGE_SIZE = 100


def get_incident(incident_id: str, principal: Principal, incidents: IncidentRepository) -> Incident | None:
    """The incident, or None when it does not exist or the principal may not see it (no existence leak)."""
    incident = incidents.get(incident_id)
    if incident is None or incident.owner_agency != principal.agency:
        return None
    return incident


def list_incidents(
    principal: Principal,
    incidents: IncidentRepository,
    status: IncidentStatus | None = None,
    category: str | None = None,
    first: int = 20,
    after: str | None = None,
) -> IncidentPage:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput(f"first must lie between 1 and {MAX_PAGE_SIZE}", "INVALID_PAGE_SIZE")
    return incidents.list_for_agency(principal.agency, status, category, first, after)
