"""Webhooks to a real HTTP receiver on 127.0.0.1, retried through the SQS queue of the emulated AWS.

The receiver verifies each signature with the secret derived for its target, dedupes on
X-Concord-Webhook-Id, and answers from a script. The pump plays the webhooks function: it receives
from the queue and calls deliver_webhook (SQS's DelaySeconds is recorded and skipped, not waited).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from chalicelib.adapters.aws.webhook_queue import SqsWebhookQueue, parse_delivery
from chalicelib.adapters.keyring import DerivedKeyring
from chalicelib.adapters.webhook_sender import HttpWebhookSender
from chalicelib.bootstrap import build_memory_container, use_container
from chalicelib.domain.response.webhooks import MAX_ATTEMPTS, WebhookDelivery, backoff_seconds, verify_webhook
from chalicelib.services.response.deliver_webhook import deliver_webhook
from local.resources import create_queues, queue_arn
from local.sqs_delivery import QueueBinding, deliver_batch
from tests.integration.conftest import REGION, EmulatedAws

KEYRING = DerivedKeyring(b"in-memory master key for tests only")  # build_memory_container's default
TARGET = "traffic-control"


@dataclass
class Answer:
    status: int
    process: bool = False  # do the work before answering (a 503 after processing: the answer was lost)
    delay_s: float = 0.0


@dataclass
class Receiver:
    script: Callable[[int], Answer]  # attempt number seen by the receiver (from 1) → answer
    requests: list[dict[str, Any]] = field(default_factory=list)
    processed: dict[str, int] = field(default_factory=dict)  # delivery id → times the work was done
    url: str = ""

    def handle(self, headers: Any, body: bytes) -> int:
        secret = KEYRING.derive(f"webhook:{TARGET}")
        verified = verify_webhook(secret, headers["X-Concord-Signature"], body, time.time())
        self.requests.append({"headers": dict(headers), "body": body, "verified": verified})
        answer = self.script(len(self.requests))
        time.sleep(answer.delay_s)
        delivery_id = headers["X-Concord-Webhook-Id"]
        if verified and (answer.process or 200 <= answer.status < 300) and delivery_id not in self.processed:
            self.processed[delivery_id] = self.processed.get(delivery_id, 0) + 1
        return answer.status if verified else 401


def serve(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = receiver.handle(self.headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/concord"
    return server


@pytest.fixture
def receiver_with() -> Iterator[Callable[[Callable[[int], Answer]], Receiver]]:
    servers: list[ThreadingHTTPServer] = []

    def start(script: Callable[[int], Answer]) -> Receiver:
        receiver = Receiver(script)
        servers.append(serve(receiver))
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class UndelayedSqs:
    """The SQS client, recording each DelaySeconds and sending at once (the pump does not wait)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.delays: list[int] = []

    def send_message(self, **kwargs: Any) -> Any:
        if "DelaySeconds" in kwargs:
            self.delays.append(kwargs.pop("DelaySeconds"))
        return self.client.send_message(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


@dataclass
class Pipeline:
    sqs: UndelayedSqs
    queue: SqsWebhookQueue
    url: str
    dlq_url: str
    sender: HttpWebhookSender

    def pump(self, limit: int = 20) -> list[str]:
        outcomes: list[str] = []
        for _ in range(limit):
            messages = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                break
            for message in messages:
                delivery = parse_delivery(message["Body"])
                outcomes.append(deliver_webhook(delivery, self.sender, self.queue, datetime.now(UTC)))
                self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        return outcomes

    def dead_letters(self) -> list[tuple[WebhookDelivery, str]]:
        response = self.sqs.receive_message(
            QueueUrl=self.dlq_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        )
        return [
            (parse_delivery(m["Body"]), m["MessageAttributes"]["reason"]["StringValue"])
            for m in response.get("Messages", [])
        ]


@pytest.fixture
def pipeline(aws: EmulatedAws) -> Pipeline:
    sqs = UndelayedSqs(aws.client("sqs"))
    create_queues(
        sqs.client, aws.settings, {"webhooks": {"visibility_timeout_s": 30, "max_receive_count": 5}}
    )
    name = aws.settings.name("webhooks")
    queue = SqsWebhookQueue(sqs, name, name + "-dlq")
    sender = HttpWebhookSender(lambda target: KEYRING.derive(f"webhook:{target}"), timeout_s=2)
    url, dlq_url = (sqs.get_queue_url(QueueName=n)["QueueUrl"] for n in (name, name + "-dlq"))
    return Pipeline(sqs, queue, url, dlq_url, sender)


def delivery(receiver: Receiver, delivery_id: str = "wh-1") -> WebhookDelivery:
    return WebhookDelivery(delivery_id, TARGET, receiver.url, "incident.opened", {"incident_id": "inc-1"})


def test_given_a_receiver_failing_twice_when_pumped_then_it_gets_three_signed_attempts_and_works_once(
    pipeline: Pipeline, receiver_with: Any
) -> None:
    scripted = {1: Answer(503), 2: Answer(503, process=True)}
    receiver = receiver_with(lambda n: scripted.get(n, Answer(200)))
    pipeline.queue.send(delivery(receiver), 0)

    outcomes = pipeline.pump()

    assert outcomes == ["retrying", "retrying", "delivered"]
    headers = [request["headers"] for request in receiver.requests]
    assert [h["X-Concord-Webhook-Id"] for h in headers] == ["wh-1"] * 3
    assert [h["X-Concord-Webhook-Attempt"] for h in headers] == ["1", "2", "3"]
    assert all(request["verified"] for request in receiver.requests)
    assert {request["body"] for request in receiver.requests} == {delivery(receiver).body()}
    assert receiver.processed == {"wh-1": 1}
    assert pipeline.sqs.delays == [0] + [backoff_seconds(n, delivery_id="wh-1") for n in (1, 2)]
    assert pipeline.dead_letters() == []


def test_given_a_receiver_that_always_fails_then_after_the_last_attempt_it_is_dead_lettered(
    pipeline: Pipeline, receiver_with: Any
) -> None:
    receiver = receiver_with(lambda n: Answer(503))
    pipeline.queue.send(delivery(receiver), 0)

    outcomes = pipeline.pump()

    assert outcomes == ["retrying"] * (MAX_ATTEMPTS - 1) + ["dead"]
    assert len(receiver.requests) == MAX_ATTEMPTS
    ((dead, reason),) = pipeline.dead_letters()
    assert dead.delivery_id == "wh-1" and dead.attempt == MAX_ATTEMPTS
    assert "HTTP 503" in reason


def test_given_a_receiver_answering_400_then_the_delivery_is_dead_lettered_at_once(
    pipeline: Pipeline, receiver_with: Any
) -> None:
    receiver = receiver_with(lambda n: Answer(400))
    pipeline.queue.send(delivery(receiver), 0)

    assert pipeline.pump() == ["dead"]
    assert len(receiver.requests) == 1
    ((dead, reason),) = pipeline.dead_letters()
    assert dead.attempt == 1 and "HTTP 400" in reason and "not retryable" in reason


def unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_given_no_listener_or_a_slow_one_then_the_sender_answers_0_without_raising(
    receiver_with: Any,
) -> None:
    slow = receiver_with(lambda n: Answer(200, delay_s=1.0))
    sender = HttpWebhookSender(lambda target: b"k" * 32, timeout_s=0.2)
    nobody = WebhookDelivery("wh-2", TARGET, f"http://127.0.0.1:{unused_port()}/hooks", "e", {})

    assert sender.send(nobody, datetime.now(UTC)) == 0
    assert sender.send(delivery(slow), datetime.now(UTC)) == 0
    assert len(slow.requests) == 1  # it was reached: the 0 is the timeout


def test_given_the_webhooks_function_when_a_message_arrives_then_the_receiver_gets_it_signed(
    aws: EmulatedAws, pipeline: Pipeline, receiver_with: Any
) -> None:
    from functions.webhooks.handler import lambda_handler

    receiver = receiver_with(lambda n: Answer(204))
    sqs = pipeline.sqs.client
    sqs.send_message(QueueUrl=pipeline.url, MessageBody=json.dumps({"not": "a delivery"}))
    pipeline.queue.send(delivery(receiver), 0)
    use_container(build_memory_container(settings=aws.settings))
    binding = QueueBinding(
        "webhooks", pipeline.url, queue_arn(sqs, pipeline.url), 10, 30.0, "wh", lambda_handler
    )
    try:
        outcome = deliver_batch(sqs, binding, REGION)
    finally:
        use_container(None)

    assert outcome.received == 2 and outcome.deleted == 1 and len(outcome.retried) == 1
    assert [r["verified"] for r in receiver.requests] == [True]
    assert receiver.processed == {"wh-1": 1}
