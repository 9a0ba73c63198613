"""The GraphQL schema, built once per process (at import: cold start pays it once).

One schema serves agencies and the public: what differs per caller (introspection, every field's
value) is decided per request, by QueryLimits and by the objects built already redacted.
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry import Schema
from strawberry.types import ExecutionContext

from chalicelib.gql.errors import ClientErrors, log_unexpected
from chalicelib.gql.limits import QueryLimits
from chalicelib.gql.mutations import Mutation
from chalicelib.gql.queries import Query


class ConcordSchema(Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log only what went wrong on our side: client and domain errors are answers, not incidents."""
        log_unexpected(errors)


schema = ConcordSchema(query=Query, mutation=Mutation, extensions=[QueryLimits, ClientErrors])
