"""Serving incidents: turn the incidents a resolver serves into GraphQL objects and record what they
served, in one place.

- Related data is loaded only when selected, through the use cases: tasks for the whole page in one
  batch; notes and grants with one call per incident (meant for single-incident views; a list asking for
  them pays one call per incident, which the cost limit keeps in check).
- Every object is built already redacted for the caller's level on it.
- What each object served is found by walking its selection once where the object is built, instead of
  hooking every field: redacted paths go to `extensions.redacted` (by response path), read fields (as
  `Type.field`) to the audit, once per object. A page computes one serving plan per placement and level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.gql.context import GraphQLContext, ResponsePath
from chalicelib.gql.incidents.readable_fields import Redactor, required_level
from chalicelib.gql.incidents.types import IncidentType, Related, events_shown
from chalicelib.gql.selection import Requested
from chalicelib.services.incidents.query_incidents import VisibleIncident

TASK_FIELDS = frozenset({"tasks", "assignedCrews"})


@dataclass(frozen=True)
class Placement:
    """Where objects appear in the response: `path(index)` for the object at `index`, with what is
    selected on it there. One list of incidents may appear under several aliases."""

    path: Callable[[int], ResponsePath]
    requested: dict[str, Requested]

    @classmethod
    def single(cls, path: ResponsePath, requested: dict[str, Requested]) -> Placement:
        """One object at `path`."""
        return cls(lambda _index: path, requested)


def present_incidents(
    context: GraphQLContext, items: list[VisibleIncident], placements: list[Placement]
) -> list[IncidentType]:
    names = {wanted.name for placement in placements for wanted in placement.requested.values()}
    readers = [Redactor("Incident", item.access.level) for item in items]
    if names & TASK_FIELDS:
        context.tasks.prime(
            task_id
            for item, shown in zip(items, readers, strict=True)
            if shown.readable & TASK_FIELDS
            for task_id in item.incident.task_ids
        )
    nodes = [
        IncidentType.from_domain(item, _related(context, item, shown, names))
        for item, shown in zip(items, readers, strict=True)
    ]
    if placements:
        plans: dict[tuple[int, AccessLevel], ServingPlan] = {}  # one per placement and level, per page
        for index, (item, node) in enumerate(zip(items, nodes, strict=True)):
            _record(context, item, node, placements, index, plans)
    return nodes


def present_incident(
    context: GraphQLContext, item: VisibleIncident, requested: dict[str, Requested], path: ResponsePath
) -> IncidentType:
    return present_incidents(context, [item], [Placement.single(path, requested)])[0]


def _related(context: GraphQLContext, item: VisibleIncident, shown: Redactor, names: set[str]) -> Related:
    use, readable = context.use, shown.readable & names
    return Related(
        tasks=context.tasks.tasks_of(item.incident.task_ids) if readable & TASK_FIELDS else None,
        notes=use.notes_of(item) if "notes" in readable else None,
        grants=use.grants_shown_with(item) if "grants" in readable else None,
        events="events" in readable,
    )


def _record(
    context: GraphQLContext,
    item: VisibleIncident,
    node: IncidentType,
    placements: list[Placement],
    index: int,
    plans: dict[tuple[int, AccessLevel], ServingPlan],
) -> None:
    fields: set[str] = set()
    restricted = False
    for number, placement in enumerate(placements):
        level = item.access.level
        plan = plans.get((number, level))
        if plan is None:
            plan = plans[(number, level)] = serving_plan(placement.requested, level)
        served = served_fields(node, plan, placement.path(index))
        context.redacted.add(served.redacted)
        fields |= served.fields
        restricted = restricted or served.restricted
    context.audit.read(item.incident, item.access, sorted(fields), restricted)


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
