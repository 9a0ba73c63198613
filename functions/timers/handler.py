"""Timers function: EventBridge Scheduler calls it with a one-time schedule's payload (the local
stack's scheduler emulator calls it the same way). Escalations are the only kind so far."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from chalicelib.bootstrap import container
from chalicelib.observability import logger, metrics, tracer
from chalicelib.services.response.escalate_task import escalate


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("kind") != "escalation":
        logger.warning("unknown timer", extra={"timer": event})
        return {"outcome": "ignored: unknown timer"}
    c = container()
    outcome = escalate(event, c.response, c.clock())
    logger.info("escalation timer", extra={"task_id": event.get("task_id"), "outcome": outcome})
    metrics.add_metric(name="EscalationTimers", unit="Count", value=1)
    return {"outcome": outcome}
