"""Notifications on SNS: one alerts topic per agency, subscribers filter on the `role` attribute."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.domain.response.notifications import Notification


def _string(value: str) -> dict[str, str]:
    return {"DataType": "String", "StringValue": value}


class SnsNotifier:
    """`topic_name(agency)` gives the topic's name, e.g. settings.name(f"alerts-{agency}").

    The ARN of each topic is resolved once per process with CreateTopic, which returns the existing
    topic's ARN when it exists (it needs sns:CreateTopic on the alerts topics).
    """

    def __init__(self, client: Any, topic_name: Callable[[str], str]) -> None:
        self._client = client
        self._topic_name = topic_name
        self._arns: dict[str, str] = {}

    def topic_arn(self, agency: str) -> str:
        name = self._topic_name(agency)
        if name not in self._arns:
            self._arns[name] = str(self._client.create_topic(Name=name)["TopicArn"])
        return self._arns[name]

    def publish(self, n: Notification) -> str:
        """Publish to the agency's topic; returns SNS's message id."""
        response = self._client.publish(
            TopicArn=self.topic_arn(n.agency),
            Message=n.to_message(),
            Subject=n.subject,
            MessageAttributes={
                "role": _string(n.role),
                "incident_id": _string(n.incident_id),
                "notification_id": _string(n.notification_id),
            },
        )
        return str(response["MessageId"])
