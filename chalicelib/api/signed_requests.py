"""A device's request as the signature rule sees it: method, path, the X-Concord headers and the body,
refused early when the body is over the route's limit."""

from __future__ import annotations

from chalice.app import Request

from chalicelib.domain.json_bodies import bounded_body
from chalicelib.domain.sensing.devices import SignedRequest


def signed_request(request: Request, path: str, max_bytes: int) -> SignedRequest:
    body = bounded_body(request.raw_body, max_bytes)  # parsed (bounded in depth) once authenticated
    return SignedRequest(
        method="POST",
        path=path,
        timestamp=request.headers.get("x-concord-timestamp"),
        nonce=request.headers.get("x-concord-nonce"),
        signature=request.headers.get("x-concord-signature"),
        body=body,
    )
