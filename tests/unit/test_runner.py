"""The local event runner behaves like Lambda's SQS event source mapping and EventBridge schedules."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib.settings import Settings
from local.lambda_events import scheduled_event
from local.runner import LocalRunner, ScheduleBinding, load_handler, queue_bindings, schedule_bindings
from local.sqs_delivery import QueueBinding, deliver_batch

REGION = "eu-west-2"
THIS_MODULE = "tests/unit/test_runner.py"


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A handler module for load_handler to find: this test file itself."""
    return {"batchItemFailures": [], "seen": len(event["Records"])}


@pytest.fixture
def sqs() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("sqs", region_name=REGION)


def make_queue(
    sqs: Any, name: str, visibility_timeout_s: int = 30, max_receive_count: int | None = None
) -> str:
    attributes = {"VisibilityTimeout": str(visibility_timeout_s)}
    if max_receive_count is not None:
        dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
        dlq_arn = queue_arn(sqs, dlq_url)
        attributes["RedrivePolicy"] = json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)}
        )
    url: str = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url


def queue_arn(sqs: Any, url: str) -> str:
    arn: str = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return arn


def bind(sqs: Any, url: str, handler: Any, batch_size: int = 10) -> QueueBinding:
    return QueueBinding(
        "readings", url, queue_arn(sqs, url), batch_size, 30.0, "concord-test-readings", handler
    )


def bodies_left(sqs: Any, url: str) -> list[str]:
    """Bodies of the messages visible in the queue, each once (received and kept hidden a while)."""
    found: list[str] = []
    for _ in range(5):
        response = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)
        found.extend(message["Body"] for message in response.get("Messages", []))
    return sorted(found)


class Recorder:
    """A handler that records what it was given and answers with a scripted response."""

    def __init__(self, respond: Any = None) -> None:
        self.respond = respond
        self.events: list[dict[str, Any]] = []
        self.contexts: list[Any] = []

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        self.contexts.append(context)
        return self.respond(event) if callable(self.respond) else self.respond


def test_given_a_message_with_attributes_when_delivered_then_the_handler_gets_lambdas_sqs_record(
    sqs: Any,
) -> None:
    url = make_queue(sqs, "shape")
    sqs.send_message(
        QueueUrl=url,
        MessageBody='{"device_id": "aq-001"}',
        MessageAttributes={
            "batch_id": {"DataType": "String", "StringValue": "b-1"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    )
    handler = Recorder()

    deliver_batch(sqs, bind(sqs, url, handler), REGION)

    (record,) = handler.events[0]["Records"]
    assert record["body"] == '{"device_id": "aq-001"}'
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == queue_arn(sqs, url)
    assert record["awsRegion"] == REGION
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageId"] and record["receiptHandle"] and record["md5OfBody"]
    assert record["messageAttributes"]["batch_id"]["stringValue"] == "b-1"
    assert record["messageAttributes"]["batch_id"]["dataType"] == "String"
    assert base64.b64decode(record["messageAttributes"]["blob"]["binaryValue"]) == b"\x00\x01"


def test_given_a_delivery_then_the_context_looks_like_lambdas(sqs: Any) -> None:
    url = make_queue(sqs, "context")
    sqs.send_message(QueueUrl=url, MessageBody="x")
    handler = Recorder()

    deliver_batch(sqs, bind(sqs, url, handler), REGION)

    context = handler.contexts[0]
    assert context.function_name == "concord-test-readings"
    assert context.invoked_function_arn.endswith(":function:concord-test-readings")
    assert context.memory_limit_in_mb > 0 and context.aws_request_id
    assert 0 < context.get_remaining_time_in_millis() <= 30_000


def test_given_a_handler_that_succeeds_when_delivered_then_the_batch_is_deleted(sqs: Any) -> None:
    url = make_queue(sqs, "success", visibility_timeout_s=0)
    for body in ("a", "b", "c"):
        sqs.send_message(QueueUrl=url, MessageBody=body)

    outcome = deliver_batch(sqs, bind(sqs, url, Recorder({"batchItemFailures": []})), REGION)

    assert outcome.deleted == 3
    assert bodies_left(sqs, url) == []


def test_given_one_reported_failure_when_delivered_then_only_that_message_comes_back(sqs: Any) -> None:
    url = make_queue(sqs, "partial", visibility_timeout_s=0)
    for body in ("ok-1", "poison", "ok-2"):
        sqs.send_message(QueueUrl=url, MessageBody=body)

    def fail_poison(event: dict[str, Any]) -> dict[str, Any]:
        return {
            "batchItemFailures": [
                {"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"] == "poison"
            ]
        }

    deliver_batch(sqs, bind(sqs, url, Recorder(fail_poison)), REGION)

    assert bodies_left(sqs, url) == ["poison"]


def test_given_a_handler_that_raises_when_delivered_then_nothing_is_deleted(sqs: Any) -> None:
    url = make_queue(sqs, "raises", visibility_timeout_s=0)
    for body in ("a", "b"):
        sqs.send_message(QueueUrl=url, MessageBody=body)

    def explode(event: dict[str, Any]) -> None:
        raise RuntimeError("database unavailable")

    outcome = deliver_batch(sqs, bind(sqs, url, Recorder(explode)), REGION)

    assert outcome.error is not None and "database unavailable" in outcome.error
    assert bodies_left(sqs, url) == ["a", "b"]


@pytest.mark.parametrize(
    "response",
    [
        {"batchItemFailures": [{"itemIdentifier": "not-in-this-batch"}]},
        {"batchItemFailures": [{"itemIdentifier": ""}]},
    ],
)
def test_given_an_invalid_partial_response_then_the_whole_batch_is_retried(sqs: Any, response: Any) -> None:
    url = make_queue(sqs, "invalid", visibility_timeout_s=0)
    for body in ("a", "b"):
        sqs.send_message(QueueUrl=url, MessageBody=body)

    deliver_batch(sqs, bind(sqs, url, Recorder(response)), REGION)

    assert bodies_left(sqs, url) == ["a", "b"]


def test_given_more_messages_than_the_batch_size_then_the_handler_gets_at_most_batch_size(sqs: Any) -> None:
    url = make_queue(sqs, "batches")
    for index in range(7):
        sqs.send_message(QueueUrl=url, MessageBody=str(index))
    handler = Recorder()

    deliver_batch(sqs, bind(sqs, url, handler, batch_size=3), REGION)

    assert len(handler.events[0]["Records"]) <= 3


def test_given_a_poison_message_when_the_runner_keeps_failing_it_then_it_ends_in_the_dead_letter_queue(
    sqs: Any,
) -> None:
    url = make_queue(sqs, "poison", visibility_timeout_s=1, max_receive_count=2)
    dlq_url = sqs.get_queue_url(QueueName="poison-dlq")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="cannot be processed")
    calls: list[str] = []

    def always_fail(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.extend(record["attributes"]["ApproximateReceiveCount"] for record in event["Records"])
        return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]]}

    runner = LocalRunner(REGION, sqs, [bind(sqs, url, always_fail)], [])
    runner.start()
    try:
        dead = wait_for_message(sqs, dlq_url, timeout_s=20)
    finally:
        runner.stop()

    assert dead == "cannot be processed"
    assert calls == ["1", "2"]  # delivered max_receive_count times, then moved aside
    assert bodies_left(sqs, url) == []


def wait_for_message(sqs: Any, url: str, timeout_s: float) -> str | None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
        if messages:
            body: str = messages[0]["Body"]
            return body
    return None


def test_given_a_schedule_then_its_handler_gets_scheduled_events_until_the_runner_stops() -> None:
    seen: list[dict[str, Any]] = []
    called = threading.Event()

    def tick(event: dict[str, Any], context: Any) -> None:
        seen.append(event)
        called.set()

    runner = LocalRunner(REGION, None, [], [ScheduleBinding("silence", 0.05, "concord-test-silence", tick)])
    runner.start()
    called.wait(10)
    runner.stop()
    count_at_stop = len(seen)
    time.sleep(0.2)

    assert seen and seen[0]["detail-type"] == "Scheduled Event" and seen[0]["source"] == "aws.events"
    assert seen[0]["resources"][0].endswith(":rule/concord-test-silence")
    assert len(seen) == count_at_stop


def test_given_a_scheduled_event_then_it_has_eventbridges_shape() -> None:
    event = scheduled_event("concord-local-silence", REGION)

    assert set(event) == {
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
        "resources",
        "detail",
    }
    assert event["region"] == REGION and event["detail"] == {}


def test_given_a_handler_path_then_its_lambda_handler_is_loaded() -> None:
    assert load_handler(THIS_MODULE) is lambda_handler


def test_given_resources_then_only_queues_with_a_handler_are_bound(sqs: Any) -> None:
    settings = Settings(stage="test")
    for name in ("concord-test-readings", "concord-test-uploads"):
        sqs.create_queue(QueueName=name)
    spec = {
        "queues": {
            "readings": {"visibility_timeout_s": 30, "batch_size": 4, "handler": THIS_MODULE},
            "uploads": {"visibility_timeout_s": 120, "batch_size": 5, "handler": None},
        },
        "schedules": {"silence": {"every_s": 60, "handler": THIS_MODULE}},
    }

    bindings = queue_bindings(settings, sqs, spec)
    schedules = schedule_bindings(settings, spec)

    assert [(b.name, b.batch_size, b.handler) for b in bindings] == [("readings", 4, lambda_handler)]
    assert bindings[0].url.endswith("/concord-test-readings")
    assert [(s.name, s.every_s) for s in schedules] == [("silence", 60.0)]
