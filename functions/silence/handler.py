"""Silence function: on a schedule, raises sensorOffline for devices quiet for 3× their interval."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from chalicelib.bootstrap import container
from chalicelib.observability import logger, metrics, tracer
from chalicelib.services.sensing.detect_silence import detect_silence


@logger.inject_lambda_context(correlation_id_path="id")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    c = container()
    flagged = detect_silence(c.clock(), c.devices, c.incidents, c.routing, c.playbooks.index())
    logger.info("silence check done", extra={"flagged": flagged})
    metrics.add_metric(name="DevicesFlaggedOffline", unit="Count", value=len(flagged))
    return {"flagged": flagged}
