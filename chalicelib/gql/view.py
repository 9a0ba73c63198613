"""HTTP entry for /graphql: bound the body, authenticate the bearer, run the schema, answer JSON.

POST runs an operation for the token's principal, or for the public when no Authorization header is
sent (a header that is present but invalid is refused with 401). GET serves GraphiQL in local mode
only (its headers editor carries the `Authorization: Bearer …` header). Every refusal is a JSON
{"code", "message"} body; nothing internal ever reaches the client.

The response's `extensions.redacted` (present only when something was) lists, once each, the response
paths of requested fields that were nulled because the caller's level on the incident is too low, with
aliases and list indexes: ["incidents", "edges", 3, "node", "location"]. The request's audit entries
are written once, after the operation; if they cannot be written, the response is a 500 (fail closed).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from chalice.app import Request, Response
from strawberry.exceptions import MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from chalicelib.bootstrap import Container
from chalicelib.domain.access.ports import TokenVerifier
from chalicelib.domain.errors import AuthenticationFailed, InvalidInput, PayloadTooLarge
from chalicelib.domain.json_bodies import bounded_body, parse_json
from chalicelib.domain.principal import Principal
from chalicelib.gql.context import GraphQLContext
from chalicelib.gql.errors import client_error
from chalicelib.gql.schema import schema
from chalicelib.observability import logger

ALLOWED_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})
JSON_HEADERS: dict[str, str | list[str]] = {"Content-Type": "application/json"}


class HttpRefusal(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}

    def response(self) -> Response:
        body = json.dumps({"code": self.code, "message": self.message})
        return Response(body, status_code=self.status, headers={**JSON_HEADERS, **self.headers})


@dataclass(frozen=True)
class Operation:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


def graphql_response(request: Request, container: Container) -> Response:
    try:
        if request.method == "GET":
            return _graphiql(container)
        body = _bounded_body(request, container.settings.max_body_bytes)
        principal = _authenticate(request, container.token_verifier)
        context = GraphQLContext.for_request(principal, container, _request_id(request))
        return _execute(_parse_operation(body), context)
    except HttpRefusal as refusal:
        return refusal.response()
    except Exception:
        logger.exception("unexpected error serving /graphql")
        return HttpRefusal(500, "INTERNAL", "Internal error").response()


def _graphiql(container: Container) -> Response:
    if not container.settings.local_mode:
        raise HttpRefusal(404, "NOT_FOUND", "nothing to GET here; POST GraphQL operations")
    return Response(get_graphql_ide_html("graphiql"), headers={"Content-Type": "text/html; charset=utf-8"})


def _bounded_body(request: Request, max_bytes: int) -> bytes:
    try:
        return bounded_body(request.raw_body, max_bytes)
    except PayloadTooLarge as refused:
        raise HttpRefusal(413, refused.code, refused.message) from None


def _request_id(request: Request) -> str:
    request_id = (request.context or {}).get("requestId")
    return request_id if isinstance(request_id, str) and request_id else uuid.uuid4().hex


def _authenticate(request: Request, verifier: TokenVerifier) -> Principal:
    header = request.headers.get("authorization")
    if header is None:
        return Principal.public()
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HttpRefusal(
            401,
            "MISSING_TOKEN",
            "send an Authorization: Bearer <token> header, or none to read as the public",
            {"WWW-Authenticate": 'Bearer realm="concord"'},
        )
    try:
        return verifier.verify(token.strip())
    except AuthenticationFailed as failure:
        if failure.code == "KEYS_UNAVAILABLE":
            raise HttpRefusal(503, failure.code, failure.message, {"Retry-After": "30"}) from None
        challenge = 'Bearer realm="concord", error="invalid_token"'
        raise HttpRefusal(401, failure.code, failure.message, {"WWW-Authenticate": challenge}) from None


def _parse_operation(body: bytes) -> Operation:
    try:
        document = parse_json(body)  # bounded in depth and number length: see domain/json_bodies.py
    except InvalidInput as refused:
        raise HttpRefusal(400, refused.code, refused.message) from None
    if not isinstance(document, dict):
        raise HttpRefusal(400, "INVALID_REQUEST", "send one operation as a JSON object (no batches)")
    query, variables, name = document.get("query"), document.get("variables"), document.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise HttpRefusal(400, "INVALID_REQUEST", "`query` must be a non-empty string")
    if not isinstance(variables, dict | None) or not isinstance(name, str | None):
        raise HttpRefusal(400, "INVALID_REQUEST", "`variables` must be an object, `operationName` a string")
    return Operation(query, variables, name)


def _execute(operation: Operation, context: GraphQLContext) -> Response:
    try:
        result = schema.execute_sync(
            operation.query,
            variable_values=operation.variables,
            context_value=context,
            operation_name=operation.operation_name,
            allowed_operation_types=ALLOWED_OPERATIONS,
        )
    except CannotGetOperationTypeError as error:
        raise HttpRefusal(400, "INVALID_REQUEST", error.as_http_error_reason()) from None
    except InvalidOperationTypeError as error:
        raise HttpRefusal(400, "INVALID_REQUEST", error.as_http_error_reason("POST")) from None
    except MissingQueryError:
        raise HttpRefusal(400, "INVALID_REQUEST", "no GraphQL query found in the request") from None
    finally:
        context.use.flush_reads()
    body: dict[str, Any] = {"data": result.data}
    if result.errors:  # already client errors; rewriting again also covers errors raised around execution
        body["errors"] = [client_error(error).formatted for error in result.errors]
    if context.redacted.paths:
        body["extensions"] = {"redacted": context.redacted.paths}
    return Response(json.dumps(body), status_code=200, headers=JSON_HEADERS)
