"""Webhooks function: consumes webhook attempts from SQS, POSTs each, retries or dead-letters it.

The dependencies are built here for now (sender and retry queue from the container's settings and
keyring); they belong in chalicelib/bootstrap.py next to inference_dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, cast

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from chalicelib.adapters.webhook_queue import SqsWebhookQueue, parse_delivery
from chalicelib.adapters.webhook_sender import HttpWebhookSender
from chalicelib.bootstrap import Container, LazyClient, container
from chalicelib.observability import logger, metrics, tracer
from chalicelib.services.deliver_webhook import deliver_webhook

QUEUE = "webhooks"  # logical name in resources.json
DLQ_SUFFIX = "-dlq"  # as local/resources.py and infra/ name dead-letter queues

processor = BatchProcessor(event_type=EventType.SQS)


class PurposeKeyring(Protocol):
    def derive(self, purpose: str) -> bytes: ...


@dataclass(frozen=True)
class WebhookDependencies:
    sender: HttpWebhookSender
    queue: SqsWebhookQueue


_built: list[tuple[Container, WebhookDependencies]] = []  # at most one: the current container's


def webhook_dependencies(c: Container) -> WebhookDependencies:
    """The sender (secret per target derived from the keyring) and the SQS retry queue, once per container."""
    if _built and _built[0][0] is c:
        return _built[0][1]
    from botocore.session import get_session

    settings = c.settings
    keyring = cast(PurposeKeyring, c.keyring)
    sqs = LazyClient(
        lambda: get_session().create_client(
            "sqs", region_name=settings.region, endpoint_url=settings.endpoint_url
        )
    )
    built = WebhookDependencies(
        sender=HttpWebhookSender(lambda target: keyring.derive(f"webhook:{target}")),
        queue=SqsWebhookQueue(sqs, settings.name(QUEUE), settings.name(QUEUE) + DLQ_SUFFIX),
    )
    _built[:] = [(c, built)]
    return built


@tracer.capture_method
def handle_record(record: SQSRecord) -> None:
    delivery = parse_delivery(record.body)  # a bad body fails the record: the queue's redrive keeps it
    c = container()
    deps = webhook_dependencies(c)
    outcome = deliver_webhook(delivery, deps.sender, deps.queue, c.clock())
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
