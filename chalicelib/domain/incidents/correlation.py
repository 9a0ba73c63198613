"""Correlation v1: which incident an event joins, and how an incident absorbs an event.

An event joins an active incident of the same family in the same or a neighbouring H3 cell
(resolution 8, about 0.7 km²) within the family's time window; otherwise it opens a new one.
Absorbing is commutative: count, first/last seen, peak and per-source confidence do not depend on
the order events arrive in, so redelivered or reordered batches converge to the same incident.
"""

from __future__ import annotations

import math
from dataclasses import replace

import h3

from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import RECENT_EVENTS, Incident, IncidentStatus

CORRELATION_RESOLUTION = 8


def cell_of(lat: float, lon: float) -> str:
    return str(h3.latlng_to_cell(lat, lon, CORRELATION_RESOLUTION))


def neighbourhood(cell: str) -> set[str]:
    """The cell and its direct neighbours."""
    return {str(c) for c in h3.grid_disk(cell, 1)}


def noisy_or(confidences: list[float]) -> float:
    """P(at least one source is right), sources taken as independent."""
    return 1.0 - math.prod(1.0 - min(max(c, 0.0), 1.0) for c in confidences)


def choose_incident(event: DetectionEvent, candidates: list[Incident]) -> Incident | None:
    """The best open incident for the event: the most recently active among those that accept it."""
    cells = neighbourhood(cell_of(event.lat, event.lon))
    matching = [incident for incident in candidates if incident.accepts(event, cells)]
    return max(matching, key=lambda incident: (incident.last_seen, incident.incident_id), default=None)


def open_incident(event: DetectionEvent, incident_id: str, owner_agency: str) -> Incident:
    spec = event.spec
    return Incident(
        incident_id=incident_id,
        owner_agency=owner_agency,
        sub_category=event.sub_category,
        status=IncidentStatus.OPEN,
        severity=event.severity,
        confidence=round(event.confidence, 6),
        title=f"{spec.title}: {event.description}",
        lat=event.lat,
        lon=event.lon,
        h3_cell=cell_of(event.lat, event.lon),
        first_seen=event.observed_at,
        last_seen=event.observed_at,
        event_count=1,
        peak_magnitude=event.magnitude,
        source_confidence={event.source_id: event.confidence},
        version=0,
        description=event.description,
        recent_events=[event],
    )


def absorb(incident: Incident, event: DetectionEvent) -> Incident:
    """The incident after taking in one more (new, never before seen) event."""
    sources = dict(incident.source_confidence)
    sources[event.source_id] = max(sources.get(event.source_id, 0.0), event.confidence)
    peak_event = event.magnitude > incident.peak_magnitude
    return replace(
        incident,
        severity=Severity.highest(incident.severity, event.severity),
        confidence=round(noisy_or(list(sources.values())), 6),
        title=f"{event.spec.title}: {event.description}" if peak_event else incident.title,
        first_seen=min(incident.first_seen, event.observed_at),
        last_seen=max(incident.last_seen, event.observed_at),
        event_count=incident.event_count + 1,
        peak_magnitude=max(incident.peak_magnitude, event.magnitude),
        source_confidence=sources,
        description=event.description if event.observed_at >= incident.last_seen else incident.description,
        recent_events=newest_events([*incident.recent_events, event]),
    )


def newest_events(events: list[DetectionEvent]) -> list[DetectionEvent]:
    """The RECENT_EVENTS newest events, newest first (the same whatever order they arrived in)."""
    ordered = sorted(events, key=lambda e: (e.observed_at, e.event_id), reverse=True)
    return ordered[:RECENT_EVENTS]
