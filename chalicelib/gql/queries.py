"""Query root: what a signed-in user may read (v1: their own agency's incidents)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from chalicelib.domain.incidents import IncidentStatus
from chalicelib.gql.context import Info
from chalicelib.gql.pagination import incident_connection
from chalicelib.gql.types import IncidentConnection, IncidentType
from chalicelib.services.query_incidents import get_incident

DEFAULT_PAGE_SIZE = 20


@strawberry.type
class Query:
    @strawberry.field(description="One incident; null when it does not exist or is not yours to see.")
    def incident(
        self, info: Info, incident_id: Annotated[strawberry.ID, strawberry.argument(name="id")]
    ) -> IncidentType | None:
        context = info.context
        incident = get_incident(str(incident_id), context.principal, context.container.incidents)
        return IncidentType.from_domain(incident) if incident else None

    @strawberry.field(description="Your agency's incidents, most recently seen first.")
    def incidents(
        self,
        info: Info,
        status: IncidentStatus | None = None,
        category: Annotated[
            str | None, strawberry.argument(description="Smart Data Models Alert category.")
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="Page size, 1 to 100.")
        ] = DEFAULT_PAGE_SIZE,
        after: Annotated[str | None, strawberry.argument(description="An edge cursor or endCursor.")] = None,
    ) -> IncidentConnection:
        context = info.context
        return incident_connection(
            context.principal,
            context.container.incidents,
            status,
            category,
            DEFAULT_PAGE_SIZE if first is None else first,
            after,
        )
