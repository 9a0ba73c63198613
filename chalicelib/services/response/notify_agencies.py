"""Notify roles of agencies about an incident, each at its own access level and never above it.

The level is decided as for a person of that agency and role (owner role ceilings, sharing policies,
grants): an agency that may not know the incident is not told of it. Notification ids are stable per
(action, agency, role), so a retried action publishes the same ids and receivers can drop repeats.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.access import SharingRepository
from chalicelib.domain.categories import spec_for
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.incidents import Incident
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.response.actions import summary_at
from chalicelib.domain.response.notifications import Notification, fit_subject
from chalicelib.domain.response.ports import TaskRepository
from chalicelib.services.access.access_resolver import AccessResolver


@dataclass(frozen=True)
class Recipient:
    agency: str
    role: str


def notifications_for(
    incident: Incident,
    recipients: list[Recipient],
    reason: str,
    key: str,
    deep_link_base: str,
    access: tuple[SharingRepository, TaskRepository],
    now: datetime,
) -> list[Notification]:
    sharing, tasks = access
    made = []
    for recipient in recipients:
        try:
            role = Role(recipient.role)
        except ValueError:
            raise InvalidInput(f"unknown role {recipient.role!r}", "INVALID_ROLE") from None
        principal = Principal(f"role:{recipient.role}", recipient.agency, frozenset({role}))
        decision = AccessResolver(principal, now, sharing, tasks).decide(incident)
        if not decision.visible:
            continue  # telling an agency that may not know the incident would leak it
        summary = summary_at(incident, decision.level)
        subject = summary.get("title") or f"{spec_for(incident.sub_category).title} reported in your area"
        notification_id = (
            "ntf_" + hashlib.sha256(f"{key}|{recipient.agency}|{recipient.role}".encode()).hexdigest()[:24]
        )
        made.append(
            Notification(
                notification_id=notification_id,
                incident_id=incident.incident_id,
                agency=recipient.agency,
                role=recipient.role,
                subject=fit_subject(f"[{incident.severity.value}] {subject}"),
                summary=summary,
                level=decision.level.name,
                deep_link=f"{deep_link_base.rstrip('/')}/incidents/{incident.incident_id}",
                reason=reason,
            )
        )
    return made
