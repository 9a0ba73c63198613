"""The image behind a camera event, by the rule of evidence: the original never leaves the owning
agency. The owner's staff at RESTRICTED get the original; everyone else who may read the event
(OPERATIONAL and up) gets the redacted derivative, faces blurred. Every view is audited."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.cameras.ports import MediaStore
from chalicelib.domain.errors import NotFound
from chalicelib.domain.incidents import DetectionEvent, IncidentRepository
from chalicelib.services.access.access_resolver import AccessResolver
from chalicelib.services.access.audit_reads import ReadAudit

LINK_SECONDS = 300


@dataclass(frozen=True)
class EventImage:
    url: str
    redacted: bool
    expires_in_s: int


def event_image(
    incident_id: str,
    event_id: str,
    resolver: AccessResolver,
    incidents: IncidentRepository,
    media: MediaStore,
    audit: ReadAudit,
) -> EventImage:
    incident = incidents.get(incident_id)
    decision = resolver.decide(incident) if incident else None
    if incident is None or decision is None or decision.level < AccessLevel.OPERATIONAL:
        raise NotFound(f"no event {event_id!r} you may read on incident {incident_id!r}", "NOT_FOUND")
    event = _find(incident_id, event_id, incident.recent_events, incidents)
    media_keys = event.details.get("media") if event else None
    if not isinstance(media_keys, dict) or "redacted" not in media_keys:
        raise NotFound(f"event {event_id!r} has no image", "NO_IMAGE")
    original = decision.basis == "owner" and decision.level >= AccessLevel.RESTRICTED
    key = str(media_keys["frame"] if original else media_keys["redacted"])
    audit.read(incident, decision, ["eventImage.original" if original else "eventImage.redacted"], original)
    return EventImage(media.presign_download(key, LINK_SECONDS), not original, LINK_SECONDS)


def _find(
    incident_id: str, event_id: str, recent: list[DetectionEvent], incidents: IncidentRepository
) -> DetectionEvent | None:
    for event in recent:
        if event.event_id == event_id:
            return event
    return next((e for e in incidents.events_of(incident_id) if e.event_id == event_id), None)
