"""The actions queue on SQS: one message per playbook action."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.response.actions import ActionMessage


class SqsActionQueue:
    def __init__(self, client: Any, queue_name: str) -> None:
        self._sqs = client
        self._name = queue_name
        self._url: str | None = None

    def send(self, message: ActionMessage) -> None:
        if self._url is None:
            self._url = str(self._sqs.get_queue_url(QueueName=self._name)["QueueUrl"])
        self._sqs.send_message(QueueUrl=self._url, MessageBody=message.to_json())
