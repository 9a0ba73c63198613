"""The readings queue on SQS: one message per accepted batch, split only where SQS's size limit demands."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.sensing.readings import Reading

MAX_MESSAGE_BYTES = 256 * 1024  # SQS counts the body and the message attributes together
ATTRIBUTE_ALLOWANCE = 1024  # room kept for the device_id attribute and the split suffix


def encode_body(device_id: str, batch_id: str, readings: list[Reading]) -> str:
    return json.dumps(
        {
            "device_id": device_id,
            "batch_id": batch_id,
            "readings": [reading.to_dict() for reading in readings],
        },
        separators=(",", ":"),
    )


def split_to_fit(device_id: str, batch_id: str, readings: list[Reading], limit: int) -> list[list[Reading]]:
    """Consecutive chunks of `readings` whose messages each stay within `limit` bytes."""
    envelope = len(encode_body(device_id, batch_id, []).encode())
    chunks: list[list[Reading]] = [[]]
    size = envelope
    for reading in readings:
        reading_bytes = len(json.dumps(reading.to_dict(), separators=(",", ":")).encode()) + 1  # the comma
        if chunks[-1] and size + reading_bytes > limit:
            chunks.append([])
            size = envelope
        chunks[-1].append(reading)
        size += reading_bytes
    return chunks


class SqsReadingQueue:
    def __init__(self, client: Any, queue_name: str, max_message_bytes: int = MAX_MESSAGE_BYTES) -> None:
        self._client = client
        self._queue_name = queue_name
        self._queue_url: str | None = None
        self._limit = max_message_bytes - ATTRIBUTE_ALLOWANCE

    @property
    def queue_url(self) -> str:
        if self._queue_url is None:
            self._queue_url = str(self._client.get_queue_url(QueueName=self._queue_name)["QueueUrl"])
        return self._queue_url

    def send(self, device_id: str, batch_id: str, readings: list[Reading]) -> None:
        """One message for the batch; several (batch ids f"{batch_id}-{n}", n from 1) if it is too large."""
        chunks = split_to_fit(device_id, batch_id, readings, self._limit)
        for number, chunk in enumerate(chunks, start=1):
            self._client.send_message(
                QueueUrl=self.queue_url,
                MessageBody=encode_body(
                    device_id, batch_id if len(chunks) == 1 else f"{batch_id}-{number}", chunk
                ),
                MessageAttributes={"device_id": {"DataType": "String", "StringValue": device_id}},
            )


def parse_reading_message(body: str) -> tuple[str, str, list[Reading]]:
    """(device_id, batch_id, readings) of a message SqsReadingQueue sent; InvalidInput if it is not one."""
    try:
        data = json.loads(body)
        device_id, batch_id = str(data["device_id"]), str(data["batch_id"])
        readings = [Reading.from_dict(item) for item in data["readings"]]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidInput(f"not a readings message: {error}", "INVALID_MESSAGE") from None
    if any(reading.device_id != device_id for reading in readings):
        raise InvalidInput("a readings message carries readings of another device", "INVALID_MESSAGE")
    return device_id, batch_id, readings
