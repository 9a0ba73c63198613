"""Incidents and detection events as DynamoDB items, and back (keys as in docs/data-model.md)."""

from __future__ import annotations

from chalicelib.adapters.dynamodb.attributes import float_map
from chalicelib.adapters.dynamodb.incidents.models import EventModel, IncidentModel
from chalicelib.adapters.dynamodb.keys import PUBLIC_FEED, active_cell, on_public_feed
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import Incident, IncidentStatus, seen_key
from chalicelib.domain.instants import format_instant


def incident_to_item(incident: Incident, expected_version: int | None) -> IncidentModel:
    """The item to save; `expected_version` None means the incident must not exist yet."""
    item = IncidentModel(
        incident.incident_id,
        owner_agency=incident.owner_agency,
        sub_category=incident.sub_category,
        category=incident.category,
        status=incident.status.value,
        severity=incident.severity.value,
        confidence=incident.confidence,
        title=incident.title,
        lat=incident.lat,
        lon=incident.lon,
        h3_cell=incident.h3_cell,
        first_seen=incident.first_seen,
        last_seen=incident.last_seen,
        event_count=incident.event_count,
        peak_magnitude=incident.peak_magnitude,
        source_confidence=dict(incident.source_confidence),
        seen_key=seen_key(incident),
        active_cell=active_cell(incident.family, incident.h3_cell) if incident.status.is_active else None,
        public_feed=PUBLIC_FEED if on_public_feed(incident) else None,
        sensitive=incident.sensitive,
        description=incident.description,
        recent_events=[event.to_dict() for event in incident.recent_events],
        task_ids=list(incident.task_ids),
        fired_playbooks=list(incident.fired_playbooks),
    )
    if expected_version is not None:  # left unset, PynamoDB makes the save conditional on absence
        item.version = expected_version
    return item


def incident_from_item(item: IncidentModel) -> Incident:
    return Incident(
        incident_id=item.incident_id,
        owner_agency=item.owner_agency,
        sub_category=item.sub_category,
        status=IncidentStatus(item.status),
        severity=Severity(item.severity),
        confidence=float(item.confidence),
        title=item.title,
        lat=float(item.lat),
        lon=float(item.lon),
        h3_cell=item.h3_cell,
        first_seen=item.first_seen,
        last_seen=item.last_seen,
        event_count=int(item.event_count),
        peak_magnitude=float(item.peak_magnitude),
        source_confidence=float_map(item.source_confidence),
        version=int(item.version or 0),
        sensitive=bool(item.sensitive),
        description=item.description or "",
        recent_events=[DetectionEvent.from_dict(data) for data in item.recent_events or []],
        task_ids=[str(task_id) for task_id in item.task_ids or []],
        fired_playbooks=tuple(str(key) for key in item.fired_playbooks or []),
    )


def event_to_item(event: DetectionEvent, incident_id: str) -> EventModel:
    return EventModel(
        event.event_id,
        incident_id=incident_id,
        observed_at=format_instant(event.observed_at),
        source_id=event.source_id,
        sub_category=event.sub_category,
        severity=event.severity.value,
        confidence=event.confidence,
        magnitude=event.magnitude,
        lat=event.lat,
        lon=event.lon,
        detector=event.detector,
        description=event.description,
        details=dict(event.details),
    )


def event_from_item(item: EventModel) -> DetectionEvent:
    return DetectionEvent.from_dict(
        {
            "event_id": item.event_id,
            "source_id": item.source_id,
            "sub_category": item.sub_category,
            "severity": item.severity,
            "confidence": item.confidence,
            "magnitude": item.magnitude,
            "lat": item.lat,
            "lon": item.lon,
            "observed_at": item.observed_at,
            "detector": item.detector,
            "description": item.description,
            "details": item.details or {},
        }
    )
