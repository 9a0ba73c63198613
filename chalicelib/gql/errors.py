"""How errors reach clients: domain errors with their code and message, anything else masked.

GraphQL's own errors (syntax, validation, variable coercion) are the client's and stay readable.
An unexpected exception becomes "Internal error" with code INTERNAL; it is logged, never shown.
Every error carries `extensions.code`; a CONFLICT also carries `extensions.currentVersion`.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from chalicelib.domain.errors import ConcordError, Conflict
from chalicelib.gql.limits import TOKEN_LIMIT_MESSAGE
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
    extensions: dict[str, object] = {}
    if isinstance(original, ConcordError):
        message, code = original.message, original.code
        if isinstance(original, Conflict) and original.current_version is not None:
            extensions["currentVersion"] = original.current_version
        if isinstance(getattr(original, "errors", None), list):  # e.g. InvalidPlaybook: every location
            extensions["errors"] = original.errors  # type: ignore[attr-defined]
    elif is_unexpected(error):
        message, code = INTERNAL_MESSAGE, "INTERNAL"
    else:  # the client's own error, or one already rewritten: keep what it carries
        extensions = dict(error.extensions or {})
        message, code = error.message, str(extensions.pop("code", _default_code(error)))
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": code, **extensions},
    )


def _default_code(error: GraphQLError) -> str:
    if not isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_VALIDATION_FAILED"
    return "TOO_MANY_TOKENS" if TOKEN_LIMIT_MESSAGE in error.message else "GRAPHQL_PARSE_FAILED"


class ClientErrors(SchemaExtension):
    """Rewrites the operation's errors with `client_error` once it has run."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [client_error(error) for error in result.errors]
