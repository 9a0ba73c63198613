"""How errors reach clients: domain errors with their code and message, anything else masked.

GraphQL's own errors (syntax, validation, variable coercion) are the client's and stay readable.
An unexpected exception becomes "Internal error" with code INTERNAL; it is logged, never shown.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from chalicelib.domain.errors import ConcordError
from chalicelib.observability import logger

INTERNAL_MESSAGE = "Internal error"


def is_unexpected(error: GraphQLError) -> bool:
    """True for errors caused by something other than the client's request or a domain rule."""
    original = error.original_error
    return original is not None and not isinstance(original, ConcordError | GraphQLError)


def log_unexpected(errors: list[GraphQLError]) -> None:
    for error in errors:
        if is_unexpected(error):
            logger.error(
                "unexpected error in GraphQL field %s",
                ".".join(str(part) for part in error.path or []) or "(operation)",
                exc_info=error.original_error,
            )


def client_error(error: GraphQLError) -> GraphQLError:
    """The error as the client sees it: always with an `extensions.code`."""
    original = error.original_error
    if isinstance(original, ConcordError):
        message, code = original.message, original.code
    elif is_unexpected(error):
        message, code = INTERNAL_MESSAGE, "INTERNAL"
    else:
        default = (
            "GRAPHQL_PARSE_FAILED" if isinstance(error, GraphQLSyntaxError) else "GRAPHQL_VALIDATION_FAILED"
        )
        message, code = error.message, (error.extensions or {}).get("code", default)
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": code},
    )


class ClientErrors(SchemaExtension):
    """Rewrites the operation's errors with `client_error` once it has run."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [client_error(error) for error in result.errors]
