"""A device's request as the signature rule sees it: method, path, the X-Concord headers and the body,
refused early when the body is over the route's limit."""

from __future__ import annotations

from chalice.app import Request

from chalicelib.domain.errors import PayloadTooLarge
from chalicelib.domain.sensing.devices import SignedRequest


def signed_request(request: Request, path: str, max_bytes: int) -> SignedRequest:
    raw = request.raw_body or b""
    body = raw.encode() if isinstance(raw, str) else raw
    if len(body) > max_bytes:
        raise PayloadTooLarge(f"the body is {len(body)} bytes; the limit is {max_bytes}")
    return SignedRequest(
        method="POST",
        path=path,
        timestamp=request.headers.get("x-concord-timestamp"),
        nonce=request.headers.get("x-concord-nonce"),
        signature=request.headers.get("x-concord-signature"),
        body=body,
    )
