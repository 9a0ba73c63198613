"""Incidents: qualified, correlated situations an agency owns and acts on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from chalicelib.domain.categories import Severity, spec_for
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.instants import format_instant

RECENT_EVENTS = 10


class IncidentStatus(StrEnum):
    OPEN = "open"
    VERIFIED = "verified"
    DISMISSED = "dismissed"
    RESOLVED = "resolved"

    @property
    def is_active(self) -> bool:
        return self in (IncidentStatus.OPEN, IncidentStatus.VERIFIED)


@dataclass
class Incident:
    incident_id: str
    owner_agency: str
    sub_category: str
    status: IncidentStatus
    severity: Severity
    confidence: float
    title: str
    lat: float
    lon: float
    h3_cell: str
    first_seen: datetime
    last_seen: datetime
    event_count: int
    peak_magnitude: float
    source_confidence: dict[str, float] = field(default_factory=dict)
    version: int = 0
    sensitive: bool = False  # flagged by the owner: embargoed from the public until resolved
    description: str = ""  # the latest event's description
    recent_events: list[DetectionEvent] = field(default_factory=list)  # newest first, at most RECENT_EVENTS
    task_ids: list[str] = field(default_factory=list)
    fired_playbooks: tuple[str, ...] = ()  # f"{playbook id}@{version}" of every playbook fired on it

    @property
    def category(self) -> str:
        return spec_for(self.sub_category).category

    @property
    def family(self) -> str:
        return spec_for(self.sub_category).family

    def accepts(self, event: DetectionEvent, cells: set[str]) -> bool:
        """Whether `event` belongs to this incident: same family, near enough, within the family's window."""
        if not self.status.is_active or event.family != self.family or self.h3_cell not in cells:
            return False
        window = event.spec.window
        return self.first_seen - window <= event.observed_at <= self.last_seen + window


def seen_key(incident: Incident) -> str:
    """Sort key of an incident by last activity: unique, and ordered as a string."""
    return f"{format_instant(incident.last_seen)}#{incident.incident_id}"
