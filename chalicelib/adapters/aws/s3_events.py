"""S3 event notifications as they arrive through SQS: object keys (URL-decoded) and event times.

The first message of a new notification configuration is an `s3:TestEvent`: it holds no object.
A body that is not an S3 notification raises ValueError, so the message is retried and ends in the
dead-letter queue instead of being dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote_plus

from chalicelib.domain.instants import parse_instant


@dataclass(frozen=True)
class ObjectCreated:
    bucket: str
    key: str
    event_time: datetime
    size: int


def objects_created(body: str) -> list[ObjectCreated]:
    try:
        message = json.loads(body)
    except json.JSONDecodeError as error:
        raise ValueError(f"not an S3 notification: {error.msg}") from None
    if not isinstance(message, dict):
        raise ValueError("not an S3 notification: the body is not an object")
    if message.get("Event") == "s3:TestEvent":
        return []
    records = message.get("Records")
    if not isinstance(records, list):
        raise ValueError("not an S3 notification: no Records")
    created = []
    for record in records:
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3 = record["s3"]
        created.append(
            ObjectCreated(
                bucket=str(s3["bucket"]["name"]),
                key=unquote_plus(str(s3["object"]["key"])),
                event_time=parse_instant(str(record["eventTime"])),
                size=int(s3["object"].get("size", 0)),
            )
        )
    return created
