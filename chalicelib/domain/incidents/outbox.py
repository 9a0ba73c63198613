"""The transactional outbox of an incident: what its change asks to be done next, stored with it.

The incidents repository writes the entries in the same transaction as the incident change that
produced them (record_event); the response context makes them (a playbook firing, see
domain/response/outbox.py) and relays their actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.instants import format_instant, parse_instant


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
