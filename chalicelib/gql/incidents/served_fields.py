"""What an incident's object served: the requested fields redacted (by response path) and those read.

Walks the selection set of one Incident object once, where the object is built, instead of hooking
every field: redacted paths go to `extensions.redacted`, read fields (as `Type.field`) to the audit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.domain.access.levels import AccessLevel
from chalicelib.gql.incidents.readable_fields import required_level
from chalicelib.gql.incidents.types import IncidentType, events_shown
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


@dataclass(frozen=True)
class _ChildPlan:
    key: str
    wanted: Requested
    redacted: tuple[str, ...]  # child fields nulled in every element
    fields: frozenset[str]  # child fields read, when there is at least one element
    restricted: bool


@dataclass(frozen=True)
class ServingPlan:
    """What a selection serves at one level: the same for every incident read at that level, so a page
    computes it once per level and only adds paths and element counts per incident."""

    redacted: tuple[str, ...]
    fields: frozenset[str]
    restricted: bool
    children: tuple[_ChildPlan, ...]


def serving_plan(requested: dict[str, Requested], level: AccessLevel) -> ServingPlan:
    top = Served()
    redacted: list[str] = []
    children: list[_ChildPlan] = []
    for key, wanted in requested.items():
        if not _visit("Incident", wanted, level, key, top, redacted):
            continue
        child_type = CHILD_TYPES.get(wanted.name)
        if child_type is not None:
            below, child = wanted.below(child_type), Served()
            child_redacted: list[str] = []
            for child_key, grandchild in below.items():
                _visit(child_type, grandchild, level, child_key, child, child_redacted)
            children.append(
                _ChildPlan(key, wanted, tuple(child_redacted), frozenset(child.fields), child.restricted)
            )
    return ServingPlan(tuple(redacted), frozenset(top.fields), top.restricted, tuple(children))


def served_fields(node: IncidentType, plan: ServingPlan, path: Path) -> Served:
    served = Served(redacted=[[*path, key] for key in plan.redacted], fields=set(plan.fields))
    served.restricted = plan.restricted
    for child in plan.children:
        count = _child_count(node, child.wanted)
        if not count:
            continue
        served.redacted.extend(
            [*path, child.key, index, key] for index in range(count) for key in child.redacted
        )
        served.fields |= child.fields
        served.restricted = served.restricted or child.restricted
        if child.wanted.name == "notes" and child.wanted.below("Note"):
            served.restricted = served.restricted or any(
                note.visibility.level >= AccessLevel.RESTRICTED for note in node.notes
            )
    return served


def _visit(
    type_name: str, wanted: Requested, level: AccessLevel, key: str, served: Served, redacted: list[str]
) -> bool:
    """Record one requested field; True when it is served (not redacted and not `__typename`)."""
    required = required_level(type_name, wanted.name)
    if required is None:
        return False
    if required > level:
        redacted.append(key)
        return False
    served.read(type_name, wanted.name, required)
    return True


def _child_count(node: IncidentType, wanted: Requested) -> int:
    if wanted.name == "events":
        return min(events_shown(wanted.int_argument("first")), len(node.recent_events or []))
    if wanted.name == "tasks":
        return len(node.tasks or [])
    return len(node.notes)
