"""Outbox relay: hands pending outbox entries' actions to the actions queue (on a schedule; in AWS a
DynamoDB stream on the outbox table may call it too)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from chalicelib.bootstrap import container
from chalicelib.observability import logger, metrics, tracer
from chalicelib.services.response.relay_outbox import relay_outbox


@logger.inject_lambda_context(correlation_id_path="id")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    c = container()
    relayed = relay_outbox(c.outbox, c.action_queue)
    if relayed:
        logger.info("outbox relayed", extra={"entries": relayed})
        metrics.add_metric(name="OutboxEntriesRelayed", unit="Count", value=relayed)
    return {"relayed": relayed}
