"""POST /v1/devices/{device_id}/readings: signed sensor readings in, 202 with what was accepted."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.api.errors import error_response, json_response
from chalicelib.api.signed_requests import signed_request
from chalicelib.bootstrap import container
from chalicelib.domain.errors import ConcordError
from chalicelib.observability import logger, metrics
from chalicelib.services.sensing.ingest_readings import ingest_readings

readings_routes = Blueprint(__name__)


@readings_routes.route(
    "/v1/devices/{device_id}/readings", methods=["POST"], content_types=["application/json"]
)
def post_readings(device_id: str) -> Response:
    request = readings_routes.current_request
    c = container()
    try:
        signed = signed_request(request, f"/v1/devices/{device_id}/readings", c.settings.max_body_bytes)
        result = ingest_readings(device_id, signed, c.ingest, c.clock())
    except ConcordError as error:
        logger.info("readings refused", extra={"device_id": device_id, "code": error.code})
        metrics.add_metric(name="ReadingBatchesRefused", unit="Count", value=1)
        return error_response(error)
    metrics.add_metric(name="ReadingsAccepted", unit="Count", value=len(result.accepted))
    metrics.add_metric(name="ReadingsRejected", unit="Count", value=len(result.rejected))
    rejected = [rejection.to_dict() for rejection in result.rejected]
    if not result.accepted:
        body_out = {"code": "NO_VALID_READINGS", "message": "every reading was rejected", "accepted": 0}
        return json_response(422, {**body_out, "rejected": rejected})
    logger.info("readings accepted", extra={"device_id": device_id, "batch_id": result.batch_id})
    return json_response(
        202, {"accepted": len(result.accepted), "rejected": rejected, "batchId": result.batch_id}
    )
