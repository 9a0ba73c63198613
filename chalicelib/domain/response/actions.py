"""Playbook actions as queue messages, and what a notification may say at the receiver's level.

Each action of an outbox entry becomes one message with an id it keeps through every retry (tasks,
notifications, webhook deliveries and timers are keyed by it). Task ids are derived the same way,
so a create_task that depends on another names it before either exists.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import h3

from chalicelib.domain.access import FIELD_LEVELS
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.incidents import Incident, OutboxEntry
from chalicelib.domain.instants import format_instant
from chalicelib.domain.response.outbox import action_id


@dataclass(frozen=True)
class ActionMessage:
    action_id: str
    entry_id: str
    incident_id: str
    playbook: str  # f"{id}@{version}"
    action: dict[str, Any]
    task_ids: dict[str, str]  # create_task action id → the task id it makes

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, body: str) -> ActionMessage:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("action"), dict):
            raise ValueError("not an action message")
        return cls(
            str(data["action_id"]),
            str(data["entry_id"]),
            str(data["incident_id"]),
            str(data["playbook"]),
            dict(data["action"]),
            {str(k): str(v) for k, v in dict(data["task_ids"]).items()},
        )


def task_id_for(entry_id: str, action: str) -> str:
    return "tsk_" + hashlib.sha256(f"{entry_id}|task|{action}".encode()).hexdigest()[:20]


def actions_of(entry: OutboxEntry) -> list[ActionMessage]:
    task_ids = {
        a["id"]: task_id_for(entry.entry_id, a["id"]) for a in entry.actions if a["type"] == "create_task"
    }
    playbook = f"{entry.playbook_id}@{entry.playbook_version}"
    return [
        ActionMessage(
            action_id(entry.entry_id, a["id"]), entry.entry_id, entry.incident_id, playbook, a, task_ids
        )
        for a in entry.actions
    ]


def summary_at(incident: Incident, level: AccessLevel) -> dict[str, Any]:
    """The incident as a receiver at `level` may read it: the fields FIELD_LEVELS allows, no more."""
    centre = h3.cell_to_latlng(h3.cell_to_parent(incident.h3_cell, 7))
    values: dict[str, Any] = {
        "id": incident.incident_id,
        "category": incident.category,
        "subCategory": incident.sub_category,
        "ownerAgency": incident.owner_agency,
        "area": h3.cell_to_parent(incident.h3_cell, 7),
        "title": incident.title,
        "severity": incident.severity.value,
        "status": incident.status.value,
        "confidence": round(incident.confidence, 2),
        "firstSeen": format_instant(incident.first_seen),
        "approximateLocation": {"lat": round(centre[0], 5), "lon": round(centre[1], 5)},
        "location": {"lat": incident.lat, "lon": incident.lon},
        "description": incident.description,
    }
    readable = FIELD_LEVELS["Incident"]
    return {name: value for name, value in values.items() if readable[name] <= level}
