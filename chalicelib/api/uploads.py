"""POST /v1/devices/{device_id}/uploads: a camera gets a presigned POST for one still or burst."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.api.errors import error_response, json_response
from chalicelib.api.signed_requests import signed_request
from chalicelib.bootstrap import container
from chalicelib.domain.errors import ConcordError
from chalicelib.domain.instants import format_instant
from chalicelib.observability import logger, metrics
from chalicelib.services.cameras.request_upload import request_upload

upload_routes = Blueprint(__name__)
MAX_REQUEST_BYTES = 4096


@upload_routes.route("/v1/devices/{device_id}/uploads", methods=["POST"], content_types=["application/json"])
def post_upload(device_id: str) -> Response:
    request = upload_routes.current_request
    c = container()
    try:
        signed = signed_request(request, f"/v1/devices/{device_id}/uploads", MAX_REQUEST_BYTES)
        ticket = request_upload(device_id, signed, c.ingest, c.media, c.upload_limits, c.clock())
    except ConcordError as error:
        logger.info("upload refused", extra={"device_id": device_id, "code": error.code})
        metrics.add_metric(name="UploadsRefused", unit="Count", value=1)
        return error_response(error)
    metrics.add_metric(name="UploadsPresigned", unit="Count", value=1)
    return json_response(
        201,
        {
            "key": ticket.key,
            "url": ticket.url,
            "fields": ticket.fields,
            "expiresAt": format_instant(ticket.expires_at),
            "maxBytes": ticket.max_bytes,
        },
    )
