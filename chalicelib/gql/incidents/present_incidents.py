"""Turn the incidents a resolver serves into GraphQL objects: related data loaded in batches, every
object redacted for the caller, redacted paths and audited reads recorded once per object.

Related data is loaded only when selected: tasks for the whole page in one batch; notes and grants
with one repository call per incident (meant for single-incident views; a list asking for them pays
one call per incident, which the cost limit keeps in check).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.domain.access.levels import AccessLevel
from chalicelib.gql.context import GraphQLContext, ResponsePath
from chalicelib.gql.incidents.readable_fields import Redactor
from chalicelib.gql.incidents.served_fields import ServingPlan, served_fields, serving_plan
from chalicelib.gql.incidents.types import IncidentType, Related
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
    incident, container = item.incident, context.container
    readable = shown.readable & names
    return Related(
        tasks=context.tasks.tasks_of(incident.task_ids) if readable & TASK_FIELDS else None,
        notes=container.notes.notes_of(incident.incident_id) if "notes" in readable else None,
        grants=container.sharing.grants_of_incident(incident.incident_id) if "grants" in readable else None,
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
