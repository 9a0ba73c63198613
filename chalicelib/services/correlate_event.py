"""Correlate one DetectionEvent into an incident: join an active one nearby or open a new one."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.correlation import absorb, cell_of, choose_incident, neighbourhood, open_incident
from chalicelib.domain.errors import Conflict, DuplicateEvent
from chalicelib.domain.events import DetectionEvent
from chalicelib.domain.incidents import Incident
from chalicelib.domain.ports import IncidentRepository, RoutingTable

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class CorrelationOutcome:
    incident_id: str | None
    opened: bool
    duplicate: bool


def correlate_event(
    event: DetectionEvent, device_agency: str, incidents: IncidentRepository, routing: RoutingTable
) -> CorrelationOutcome:
    """Record the event exactly once. Retries on a lost optimistic-locking race; a redelivered event
    (same id) is recognised inside the same transaction and changes nothing."""
    for _ in range(MAX_ATTEMPTS):
        candidates = incidents.active_near(event.family, neighbourhood(cell_of(event.lat, event.lon)))
        chosen = choose_incident(event, candidates)
        incident: Incident
        if chosen is None:
            owner = routing.owner_of(event.sub_category, device_agency)
            incident = open_incident(event, incident_id_for(event), owner)
        else:
            incident = absorb(chosen, event)
        try:
            stored = incidents.record_event(event, incident, is_new=chosen is None)
        except DuplicateEvent:
            return CorrelationOutcome(None, opened=False, duplicate=True)
        except Conflict:
            continue
        return CorrelationOutcome(stored.incident_id, opened=chosen is None, duplicate=False)
    raise Conflict(f"could not correlate {event.event_id} after {MAX_ATTEMPTS} attempts")


def incident_id_for(event: DetectionEvent) -> str:
    return "inc_" + event.event_id.removeprefix("evt_")[:24]
