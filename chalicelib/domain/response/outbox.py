"""A playbook firing on an incident: the outbox entry it asks for and the ids its actions keep.

An entry (domain/incidents/outbox.py) is written in the same DynamoDB transaction as the incident
change that fired it, so an incident never fires a playbook without the entry, nor the entry without
the change. The relay then hands each of its actions to the actions queue; every action is
idempotent by its action id.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.domain.incidents import Incident, OutboxEntry

if TYPE_CHECKING:
    from chalicelib.domain.response.playbooks import Playbook


def fired_key(playbook: Playbook) -> str:
    """What an incident remembers of a playbook that fired for it: a new version fires again."""
    return f"{playbook.id}@{playbook.version}"


def entry_for(incident: Incident, playbook: Playbook, now: datetime) -> OutboxEntry:
    key = f"{incident.incident_id}|{fired_key(playbook)}"
    return OutboxEntry(
        entry_id="obx_" + hashlib.sha256(key.encode()).hexdigest()[:24],
        incident_id=incident.incident_id,
        playbook_id=playbook.id,
        playbook_version=playbook.version,
        created_at=now,
        actions=tuple(action.model_dump(mode="json") for action in playbook.actions),
    )


def action_id(entry_id: str, action: str) -> str:
    """The id an action keeps through every retry: tasks, notifications and webhooks are keyed by it."""
    return "act_" + hashlib.sha256(f"{entry_id}|{action}".encode()).hexdigest()[:24]
