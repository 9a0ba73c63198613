"""One delivery of an SQS batch to a function, with the semantics of a Lambda event source mapping.

- Receive up to batch_size messages (long poll of 1 s, so that a stop is noticed quickly).
- Call the handler with the Lambda SQS event and a fresh context.
- With ReportBatchItemFailures (as Concord's mappings are configured): delete the messages not named
  in batchItemFailures; the named ones stay in flight and come back after the visibility timeout.
  A response Lambda would judge invalid (an unknown or empty itemIdentifier) fails the whole batch.
- An exception fails the whole batch: it is logged and nothing is deleted.
- Messages received more than maxReceiveCount times are moved to the dead-letter queue by the queue
  itself (its RedrivePolicy; moto does this on receive, as SQS does).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from local.lambda_context import LocalLambdaContext
from local.lambda_events import sqs_event

Handler = Callable[[dict[str, Any], Any], Any]
LONG_POLL_S = 1
DELETE_BATCH_LIMIT = 10

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueBinding:
    """A queue and the function its event source mapping calls."""

    name: str
    url: str
    arn: str
    batch_size: int
    timeout_s: float
    function_name: str
    handler: Handler


@dataclass
class BatchOutcome:
    received: int = 0
    deleted: int = 0
    retried: list[str] = field(default_factory=list)  # message ids left for redelivery
    error: str | None = None


def failed_ids(response: Any, message_ids: list[str]) -> set[str]:
    """The message ids to retry, judged as Lambda judges a partial batch response."""
    if response is None:
        return set()
    if not isinstance(response, dict):
        raise ValueError(f"the handler returned {type(response).__name__}, not a batch response object")
    failures = response.get("batchItemFailures")
    if failures is None:
        return set()
    if not isinstance(failures, list):
        raise ValueError("batchItemFailures must be a list")
    named = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in message_ids:
            raise ValueError(f"batchItemFailures names an unknown message: {failure!r}")
        named.add(str(identifier))
    return named


def deliver_batch(sqs: Any, binding: QueueBinding, region: str) -> BatchOutcome:
    """Receive one batch from the queue and hand it to the binding's handler."""
    response = sqs.receive_message(
        QueueUrl=binding.url,
        MaxNumberOfMessages=binding.batch_size,
        WaitTimeSeconds=LONG_POLL_S,
        AttributeNames=["All"],
        MessageAttributeNames=["All"],
    )
    messages: list[dict[str, Any]] = response.get("Messages", [])
    outcome = BatchOutcome(received=len(messages))
    if not messages:
        return outcome
    message_ids = [message["MessageId"] for message in messages]
    context = LocalLambdaContext(binding.function_name, binding.timeout_s, region)
    try:
        result = binding.handler(sqs_event(messages, binding.arn, region), context)
        retry = failed_ids(result, message_ids)
    except Exception as error:
        logger.exception(
            "%s failed a batch of %d from %s", binding.function_name, len(messages), binding.name
        )
        outcome.retried = message_ids
        outcome.error = f"{type(error).__name__}: {error}"
        return outcome
    outcome.retried = [message_id for message_id in message_ids if message_id in retry]
    done = [message for message in messages if message["MessageId"] not in retry]
    outcome.deleted = _delete(sqs, binding.url, done)
    if outcome.retried:
        logger.warning(
            "%s: %d of %d messages will be retried", binding.name, len(outcome.retried), len(messages)
        )
    return outcome


def _delete(sqs: Any, queue_url: str, messages: list[dict[str, Any]]) -> int:
    deleted = 0
    for start in range(0, len(messages), DELETE_BATCH_LIMIT):
        chunk = messages[start : start + DELETE_BATCH_LIMIT]
        entries = [{"Id": str(index), "ReceiptHandle": m["ReceiptHandle"]} for index, m in enumerate(chunk)]
        result = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
        deleted += len(result.get("Successful", []))
        for failure in result.get("Failed", []):
            logger.error("could not delete a message from %s: %s", queue_url, failure)
    return deleted
