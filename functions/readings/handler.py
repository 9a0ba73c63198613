"""Readings function: consumes batches of accepted readings from SQS (partial batch failure)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from chalicelib.adapters.aws.readings_queue import parse_reading_message
from chalicelib.bootstrap import container
from chalicelib.observability import logger, metrics, tracer
from chalicelib.services.sensing.process_readings import process_readings

processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def handle_record(record: SQSRecord) -> None:
    device_id, batch_id, readings = parse_reading_message(record.body)
    outcome = process_readings(device_id, readings, container().processing())
    logger.info(
        "batch processed",
        extra={
            "batch_id": batch_id,
            "stored": outcome.stored,
            "duplicates": outcome.duplicates,
            "events": outcome.events,
            "incidents": sorted(outcome.incidents),
        },
    )
    metrics.add_metric(name="ReadingsStored", unit="Count", value=outcome.stored)
    metrics.add_metric(name="DetectionEvents", unit="Count", value=outcome.events)


@logger.inject_lambda_context(correlation_id_path="Records[0].messageId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=handle_record, processor=processor, context=context
    )
