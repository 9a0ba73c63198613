"""The webhook retry queue on SQS: one message per pending attempt, and an explicit dead-letter queue.

A retry is a new message for attempt n+1, delayed by the backoff (SQS allows at most 900 s). A
delivery that cannot succeed is sent to the dead-letter queue with the reason as a message attribute,
so operators see why without reading logs.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from chalicelib.domain.response.webhooks import WebhookDelivery

MAX_DELAY_S = 900
MAX_REASON_CHARS = 1000


def encode_delivery(d: WebhookDelivery) -> str:
    return json.dumps(asdict(d), sort_keys=True, separators=(",", ":"))


def parse_delivery(body: str) -> WebhookDelivery:
    """The delivery of a message SqsWebhookQueue sent; ValueError when the body is not one."""
    try:
        data = json.loads(body)
        delivery = WebhookDelivery(
            delivery_id=str(data["delivery_id"]),
            target=str(data["target"]),
            url=str(data["url"]),
            event=str(data["event"]),
            payload=dict(data["payload"]),
            attempt=int(data.get("attempt", 1)),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not a webhook delivery message: {error}") from None
    return delivery


def _string(value: str) -> dict[str, str]:
    return {"DataType": "String", "StringValue": value}


class SqsWebhookQueue:
    def __init__(self, client: Any, queue_name: str, dead_letter_name: str) -> None:
        self._client = client
        self._names = {"queue": queue_name, "dead": dead_letter_name}
        self._urls: dict[str, str] = {}

    def _url(self, which: str) -> str:
        if which not in self._urls:
            response = self._client.get_queue_url(QueueName=self._names[which])
            self._urls[which] = str(response["QueueUrl"])
        return self._urls[which]

    def send(self, d: WebhookDelivery, delay_s: int) -> None:
        """Enqueue the delivery's attempt, visible after `delay_s` seconds (clamped to 0..900)."""
        self._client.send_message(
            QueueUrl=self._url("queue"),
            MessageBody=encode_delivery(d),
            DelaySeconds=max(0, min(MAX_DELAY_S, int(delay_s))),
            MessageAttributes={"delivery_id": _string(d.delivery_id), "attempt": _string(str(d.attempt))},
        )

    def dead_letter(self, d: WebhookDelivery, reason: str) -> None:
        self._client.send_message(
            QueueUrl=self._url("dead"),
            MessageBody=encode_delivery(d),
            MessageAttributes={
                "reason": _string(reason[:MAX_REASON_CHARS] or "unknown"),
                "delivery_id": _string(d.delivery_id),
                "attempt": _string(str(d.attempt)),
            },
        )
