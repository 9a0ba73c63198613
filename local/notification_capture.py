"""Shows what Concord notified, locally: one capture queue per agency subscribed to its alerts topic.

moto delivers SNS messages to SQS subscriptions (with the SNS envelope, as raw delivery is off), so
`drain()` returns every notification published since the last drain, whatever the role. Queues are
named concord-{stage}-alerts-{agency}-capture; topics that do not exist yet are created.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from chalicelib.settings import Settings
from local.resources import ensure_queue, queue_arn

RECEIVE_LIMIT = 10


def topic_name(settings: Settings, agency: str) -> str:
    return settings.name(f"alerts-{agency}")


def _allow_topic(sqs: Any, url: str, arn: str, topic_arn: str) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowAlertsTopic",
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})


def notification_of(body: str) -> dict[str, Any]:
    """The notification in an SNS envelope: its Message as JSON, with "role" from the message attribute."""
    envelope = json.loads(body)
    try:
        message = json.loads(envelope["Message"])
    except ValueError:
        message = {"message": envelope["Message"]}
    if not isinstance(message, dict):
        message = {"message": message}
    role = envelope.get("MessageAttributes", {}).get("role", {}).get("Value")
    return {**message, "role": role}


class NotificationCapture:
    """Subscribes on construction (idempotent: SNS returns the existing subscription)."""

    def __init__(self, sns: Any, sqs: Any, settings: Settings, agencies: Iterable[str]) -> None:
        self.sqs = sqs
        self.queue_urls: dict[str, str] = {}
        for agency in agencies:
            topic_arn = str(sns.create_topic(Name=topic_name(settings, agency))["TopicArn"])
            url = ensure_queue(sqs, topic_name(settings, agency) + "-capture", {})
            arn = queue_arn(sqs, url)
            _allow_topic(sqs, url, arn, topic_arn)
            sns.subscribe(
                TopicArn=topic_arn,
                Protocol="sqs",
                Endpoint=arn,
                Attributes={"RawMessageDelivery": "false"},
            )
            self.queue_urls[agency] = url

    def drain(self) -> list[dict[str, Any]]:
        """Every captured notification, agency by agency, removed from the capture queues."""
        drained: list[dict[str, Any]] = []
        for url in self.queue_urls.values():
            drained.extend(self._drain_queue(url))
        return drained

    def _drain_queue(self, url: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            messages = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=RECEIVE_LIMIT).get(
                "Messages", []
            )
            if not messages:
                return found
            for message in messages:
                found.append(notification_of(message["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
