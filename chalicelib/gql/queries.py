"""Query root: incidents for everyone (each at their level), sharing and audit for agencies."""

from __future__ import annotations

from typing import Annotated

import strawberry

from chalicelib.domain.incidents.incident import IncidentStatus
from chalicelib.gql.access.queries import SharingQueries
from chalicelib.gql.cameras.api import CameraQueries
from chalicelib.gql.context import Info
from chalicelib.gql.incidents.pagination import IncidentConnection, incident_connection
from chalicelib.gql.incidents.serving import present_incident
from chalicelib.gql.incidents.types import IncidentType
from chalicelib.gql.response.field_api import FieldQueries
from chalicelib.gql.response.playbooks import PlaybookQueries
from chalicelib.gql.selection import requested, response_path, selections_below

DEFAULT_PAGE_SIZE = 20


@strawberry.type
class IncidentQueries:
    @strawberry.field(
        description="One incident at your level; null when it does not exist or is not yours to see."
    )
    def incident(
        self, info: Info, incident_id: Annotated[strawberry.ID, strawberry.argument(name="id")]
    ) -> IncidentType | None:
        context = info.context
        visible = context.use.incident(str(incident_id))
        if visible is None:
            return None
        return present_incident(
            context, visible, requested(selections_below(info), "Incident"), response_path(info)
        )

    @strawberry.field(
        description="Incidents you may see: your agency's, shared with it, granted or tasked to you, "
        "newest activity first; the public sees public incidents by id and may filter by category only."
    )
    def incidents(
        self,
        info: Info,
        status: IncidentStatus | None = None,
        category: Annotated[
            str | None, strawberry.argument(description="Smart Data Models Alert category.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="Page size, 1 to 100.")] = DEFAULT_PAGE_SIZE,
        after: Annotated[str | None, strawberry.argument(description="An edge cursor or endCursor.")] = None,
    ) -> IncidentConnection:
        return incident_connection(info, status, category, first, after)


@strawberry.type
class Query(IncidentQueries, SharingQueries, CameraQueries, FieldQueries, PlaybookQueries):
    pass
