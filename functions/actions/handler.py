"""Actions function: runs playbook actions from the actions queue, each idempotent by its action id.
A failing action is a batch item failure: retried, then in the dead-letter queue."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from chalicelib.bootstrap import container
from chalicelib.domain.response.actions import ActionMessage
from chalicelib.observability import logger, metrics, tracer
from chalicelib.services.response.run_action import run_action

processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def handle_record(record: SQSRecord) -> None:
    message = ActionMessage.from_json(record.body)
    c = container()
    outcome = run_action(message, c.response, c.clock())
    kind = message.action["type"]
    logger.info("action run", extra={"action_id": message.action_id, "type": kind, "outcome": outcome})
    metrics.add_metric(name="PlaybookActions", unit="Count", value=1)


@logger.inject_lambda_context(correlation_id_path="Records[0].messageId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=handle_record, processor=processor, context=context
    )
