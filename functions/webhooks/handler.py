"""Webhooks function: consumes webhook attempts from SQS, POSTs each, retries or dead-letters it."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from chalicelib.adapters.aws.webhook_queue import parse_delivery
from chalicelib.bootstrap import container
from chalicelib.observability import logger, metrics, tracer
from chalicelib.services.response.deliver_webhook import deliver_webhook

processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def handle_record(record: SQSRecord) -> None:
    delivery = parse_delivery(record.body)  # a bad body fails the record: the queue's redrive keeps it
    c = container()
    outcome = deliver_webhook(delivery, c.webhook_sender, c.webhook_queue, c.clock())
    logger.info(
        "webhook attempt done",
        extra={
            "delivery_id": delivery.delivery_id,
            "target": delivery.target,
            "attempt": delivery.attempt,
            "outcome": outcome,
        },
    )
    metrics.add_metric(name=f"Webhooks{outcome.capitalize()}", unit="Count", value=1)


@logger.inject_lambda_context(correlation_id_path="Records[0].messageId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=handle_record, processor=processor, context=context
    )
