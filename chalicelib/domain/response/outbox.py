"""The transactional outbox: what a playbook firing on an incident asks to be done.

An entry is written in the same DynamoDB transaction as the incident change that fired it, so an
incident never fires a playbook without the entry, nor the entry without the change. The relay then
hands each of its actions to the actions queue; every action is idempotent by its action id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.domain.incidents.incident import Incident
from chalicelib.domain.instants import format_instant, parse_instant

if TYPE_CHECKING:
    from chalicelib.domain.response.playbooks import Playbook


@dataclass(frozen=True)
class OutboxEntry:
    entry_id: str
    incident_id: str
    playbook_id: str
    playbook_version: int
    created_at: datetime
    actions: tuple[dict[str, Any], ...]  # the playbook's actions as they were when it fired

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "incident_id": self.incident_id,
            "playbook_id": self.playbook_id,
            "playbook_version": self.playbook_version,
            "created_at": format_instant(self.created_at),
            "actions": list(self.actions),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutboxEntry:
        return cls(
            str(data["entry_id"]),
            str(data["incident_id"]),
            str(data["playbook_id"]),
            int(data["playbook_version"]),
            parse_instant(str(data["created_at"])),
            tuple(dict(action) for action in data["actions"]),
        )


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
