"""What an incident's object served: the requested fields redacted (by response path) and those read.

Walks the selection set of one Incident object once, where the object is built, instead of hooking
every field: redacted paths go to `extensions.redacted`, read fields (as `Type.field`) to the audit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.gql.incident_type import IncidentType, events_shown
from chalicelib.gql.readable_fields import required_level
from chalicelib.gql.selection import Requested

Path = list[str | int]
CHILD_TYPES = {"events": "DetectionEvent", "tasks": "Task", "notes": "Note"}


@dataclass
class Served:
    redacted: list[Path] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    restricted: bool = False  # a RESTRICTED field (or a RESTRICTED note) was read

    def read(self, type_name: str, name: str, required: AccessLevel) -> None:
        self.fields.add(f"{type_name}.{name}")
        self.restricted = self.restricted or required >= AccessLevel.RESTRICTED


def served_fields(
    node: IncidentType, requested: dict[str, Requested], level: AccessLevel, path: Path
) -> Served:
    served = Served()
    for key, wanted in requested.items():
        if not _visit("Incident", wanted, level, [*path, key], served):
            continue
        child_type = CHILD_TYPES.get(wanted.name)
        if child_type is None:
            continue
        count = _child_count(node, wanted)
        below = wanted.below(child_type)
        for child_key, child in below.items():  # the level is the incident's: decide once per child field
            required = required_level(child_type, child.name)
            if required is None or not count:
                continue
            if required > level:
                served.redacted.extend([*path, key, index, child_key] for index in range(count))
            else:
                served.read(child_type, child.name, required)
        if wanted.name == "notes" and below:
            served.restricted = served.restricted or any(
                note.visibility.level >= AccessLevel.RESTRICTED for note in node.notes
            )
    return served


def _visit(type_name: str, wanted: Requested, level: AccessLevel, path: Path, served: Served) -> bool:
    """Record one requested field; True when it was served (not redacted and not `__typename`)."""
    required = required_level(type_name, wanted.name)
    if required is None:
        return False
    if required > level:
        served.redacted.append(path)
        return False
    served.read(type_name, wanted.name, required)
    return True


def _child_count(node: IncidentType, wanted: Requested) -> int:
    if wanted.name == "events":
        return min(events_shown(wanted.int_argument("first")), len(node.recent_events or []))
    if wanted.name == "tasks":
        return len(node.tasks or [])
    return len(node.notes)
