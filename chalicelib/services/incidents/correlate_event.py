"""Correlate one DetectionEvent into an incident: join an active one nearby or open a new one."""

from __future__ import annotations

from dataclasses import dataclass, replace

from chalicelib.domain.errors import Conflict, DuplicateEvent
from chalicelib.domain.incidents.correlation import (
    absorb,
    cell_of,
    choose_incident,
    neighbourhood,
    open_incident,
)
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import Incident
from chalicelib.domain.incidents.outbox import OutboxEntry
from chalicelib.domain.incidents.ports import IncidentRepository, RoutingTable
from chalicelib.domain.response import PlaybookIndex, entry_for, fired_key, newly_triggered

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class CorrelationOutcome:
    incident_id: str | None
    opened: bool
    duplicate: bool
    fired: tuple[str, ...] = ()  # the playbooks (id@version) this event made fire


def correlate_event(
    event: DetectionEvent,
    device_agency: str,
    incidents: IncidentRepository,
    routing: RoutingTable,
    playbooks: PlaybookIndex | None = None,
) -> CorrelationOutcome:
    """Record the event exactly once. Retries on a lost optimistic-locking race; a redelivered event
    (same id) is recognised inside the same transaction and changes nothing.

    Playbooks the incident newly satisfies fire in the same transaction: their outbox entries are
    written with the incident, which remembers them (each playbook version fires once per incident)."""
    for _ in range(MAX_ATTEMPTS):
        candidates = incidents.active_near(event.family, neighbourhood(cell_of(event.lat, event.lon)))
        chosen = choose_incident(event, candidates)
        incident: Incident
        if chosen is None:
            owner = routing.owner_of(event.sub_category, device_agency)
            incident = open_incident(event, incident_id_for(event), owner)
        else:
            incident = absorb(chosen, event)
        incident, outbox = _fire(incident, playbooks, event)
        try:
            stored = incidents.record_event(event, incident, is_new=chosen is None, outbox=outbox)
        except DuplicateEvent:
            return CorrelationOutcome(None, opened=False, duplicate=True)
        except Conflict:
            continue
        fired = tuple(entry.playbook_id for entry in outbox)
        return CorrelationOutcome(stored.incident_id, opened=chosen is None, duplicate=False, fired=fired)
    raise Conflict(f"could not correlate {event.event_id} after {MAX_ATTEMPTS} attempts")


def _fire(
    incident: Incident, playbooks: PlaybookIndex | None, event: DetectionEvent
) -> tuple[Incident, tuple[OutboxEntry, ...]]:
    if playbooks is None:
        return incident, ()
    triggered = newly_triggered(playbooks, incident, frozenset(incident.fired_playbooks))
    if not triggered:
        return incident, ()
    keys = tuple(fired_key(playbook) for playbook in triggered)
    fired = replace(incident, fired_playbooks=incident.fired_playbooks + keys)
    return fired, tuple(entry_for(fired, playbook, event.observed_at) for playbook in triggered)


def incident_id_for(event: DetectionEvent) -> str:
    return "inc_" + event.event_id.removeprefix("evt_")[:24]
