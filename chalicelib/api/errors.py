"""Turn domain errors into JSON HTTP responses: a machine-readable code and a human message, never a 500."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.domain.errors import (
    AuthenticationFailed,
    ConcordError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
)

STATUS_BY_ERROR: dict[type[ConcordError], int] = {
    InvalidInput: 400,
    AuthenticationFailed: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
}


def json_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=body, status_code=status, headers={"Content-Type": "application/json", **(headers or {})}
    )


def error_response(error: ConcordError) -> Response:
    status = next((code for kind, code in STATUS_BY_ERROR.items() if isinstance(error, kind)), 400)
    headers = {"WWW-Authenticate": 'Concord-HMAC realm="devices"'} if status == 401 else None
    return json_response(status, {"code": error.code, "message": error.message}, headers)
