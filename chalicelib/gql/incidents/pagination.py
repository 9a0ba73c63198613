"""The incidents connection: Relay-style edges over the service's signed, opaque cursors.

Every edge cursor is signed with the same codec and scope (caller's agency and filters) as the page
cursor the service hands out, and names the position of its incident in the list's order (last activity
for agencies, id for the public): `after` any edge cursor resumes right after that edge, and the last
edge's cursor equals `pageInfo.endCursor` when there is a next page. A cursor of another caller or other
filters, or one altered, is refused with INVALID_CURSOR.
"""

from __future__ import annotations

import strawberry

from chalicelib.domain.incidents.incident import IncidentStatus
from chalicelib.gql.context import GraphQLContext, Info
from chalicelib.gql.incidents.serving import Placement, present_incidents
from chalicelib.gql.incidents.types import IncidentType
from chalicelib.gql.selection import Requested, requested, response_path, selections_below
from chalicelib.services.incidents.query_incidents import (
    VisibleIncident,
)


@strawberry.type
class IncidentEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this incident.")
    node: IncidentType


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Incidents you may see: by last activity for agencies, by id for the public.")
class IncidentConnection:
    edges: list[IncidentEdge]
    page_info: PageInfo


def incident_connection(
    info: Info, status: IncidentStatus | None, category: str | None, first: int, after: str | None
) -> IncidentConnection:
    context = info.context
    page = context.use.incidents(status, category, first, after)
    nodes = present_incidents(context, page.items, _placements(info))
    cursors = _edge_cursors(context, page.items, status, category)
    if page.next_cursor is not None and cursors:
        cursors[-1] = page.next_cursor
    edges = [IncidentEdge(cursor=cursor, node=node) for cursor, node in zip(cursors, nodes, strict=True)]
    end_cursor = page.next_cursor or (cursors[-1] if cursors else None)
    return IncidentConnection(
        edges=edges, page_info=PageInfo(has_next_page=page.next_cursor is not None, end_cursor=end_cursor)
    )


def _placements(info: Info) -> list[Placement]:
    root = response_path(info)
    return [
        _placement(root, edges.key, node)
        for edges in requested(selections_below(info), "IncidentConnection").values()
        if edges.name == "edges"
        for node in edges.below("IncidentEdge").values()
        if node.name == "node"
    ]


def _placement(root: list[str | int], edges_key: str, node: Requested) -> Placement:
    return Placement(lambda index: [*root, edges_key, index, node.key], node.below("Incident"))


def _edge_cursors(
    context: GraphQLContext, items: list[VisibleIncident], status: IncidentStatus | None, category: str | None
) -> list[str]:
    """The position of each incident in the list's order, signed with the service's scope."""
    return [context.use.edge_cursor(item.incident, status, category) for item in items]
