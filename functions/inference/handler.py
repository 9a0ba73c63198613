"""Inference function: consumes S3 upload notifications from SQS and analyses each still or burst
(camera uploads), or redacts a field crew's evidence photo.

Bad media is quarantined by the service (never a failure); a record that fails for another reason
(a throttled table, an unreadable notification) is reported as a batch item failure, retried, and
after the queue's max receive count lands in the dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from chalicelib.adapters.aws.s3_events import objects_created
from chalicelib.bootstrap import container
from chalicelib.domain.cameras.media_keys import EVIDENCE_PREFIX
from chalicelib.observability import logger, metrics, tracer
from chalicelib.services.cameras.analyse_upload import analyse_upload
from chalicelib.services.response.process_evidence import process_evidence

processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def handle_record(record: SQSRecord) -> None:
    deps = container().inference
    for created in objects_created(record.body):
        analyse = process_evidence if created.key.startswith(EVIDENCE_PREFIX) else analyse_upload
        outcome = analyse(created.key, created.event_time, deps)
        extra = {"key": created.key, "status": outcome.status, "reason": outcome.reason}
        if outcome.status == "quarantined":
            logger.warning("upload quarantined", extra=extra)
            metrics.add_metric(name="UploadsQuarantined", unit="Count", value=1)
            continue
        logger.info(
            "upload analysed",
            extra={
                **extra,
                "events": outcome.events,
                "faces": outcome.faces,
                "incidents": sorted(outcome.incidents),
            },
        )
        metrics.add_metric(name="FramesAnalysed", unit="Count", value=1)
        metrics.add_metric(name="FacesRedacted", unit="Count", value=outcome.faces)
        metrics.add_metric(name="DetectionEvents", unit="Count", value=outcome.events)


@logger.inject_lambda_context(correlation_id_path="Records[0].messageId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=handle_record, processor=processor, context=context
    )
