"""The field photos of an incident, by the rule of evidence (as for camera frames): the owning
agency's RESTRICTED staff get the originals; everyone else who reads the incident at OPERATIONAL
gets the redacted derivatives, and only once they exist. Every view is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.cameras import MediaStore, redacted_key_of
from chalicelib.domain.errors import NotFound
from chalicelib.domain.incidents import IncidentRepository
from chalicelib.domain.response.ports import TaskRepository
from chalicelib.services.access.access_resolver import AccessResolver
from chalicelib.services.access.audit_reads import ReadAudit
from chalicelib.services.cameras.event_image import LINK_SECONDS


@dataclass(frozen=True)
class EvidencePhoto:
    task_id: str
    taken_by: str
    taken_at: datetime
    url: str
    redacted: bool


def evidence_photos(
    incident_id: str,
    resolver: AccessResolver,
    incidents: IncidentRepository,
    tasks: TaskRepository,
    media: MediaStore,
    audit: ReadAudit,
) -> list[EvidencePhoto]:
    incident = incidents.get(incident_id)
    decision = resolver.decide(incident) if incident else None
    if incident is None or decision is None or decision.level < AccessLevel.OPERATIONAL:
        raise NotFound(f"no incident {incident_id!r} whose evidence you may see", "NOT_FOUND")
    original = decision.basis == "owner" and decision.level >= AccessLevel.RESTRICTED
    photos = []
    for task_id in incident.task_ids:
        for entry in tasks.timeline(task_id):
            if entry.action != "photo":
                continue
            stored = media.head(entry.detail)
            if stored is None:
                continue  # requested, never uploaded (or quarantined)
            key = entry.detail if original else redacted_key_of(entry.detail, stored.content_type)
            if not original and media.head(key) is None:
                continue  # not redacted yet: nothing leaves the owning agency unredacted
            url = media.presign_download(key, LINK_SECONDS)
            photos.append(EvidencePhoto(task_id, entry.actor, entry.at, url, not original))
    if photos:
        audit.read(
            incident,
            decision,
            ["evidencePhotos.original" if original else "evidencePhotos.redacted"],
            original,
        )
    return photos
