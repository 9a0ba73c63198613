"""The event shapes Lambda hands to functions, built from what the local runner received.

- An SQS event source mapping calls the function with {"Records": [...]}, one record per message,
  keys in camelCase (messageId, receiptHandle, md5OfBody …), message attributes as
  {"stringValue", "binaryValue" (base64), "stringListValues", "binaryListValues", "dataType"}.
- An EventBridge schedule calls it with a "Scheduled Event".
"""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from typing import Any

from local.lambda_context import LOCAL_ACCOUNT_ID


def _lambda_attribute(value: dict[str, Any]) -> dict[str, Any]:
    binary = value.get("BinaryValue")
    shaped: dict[str, Any] = {
        "stringListValues": list(value.get("StringListValues", [])),
        "binaryListValues": [base64.b64encode(item).decode() for item in value.get("BinaryListValues", [])],
        "dataType": value["DataType"],
    }
    if "StringValue" in value:
        shaped["stringValue"] = value["StringValue"]
    if binary is not None:
        shaped["binaryValue"] = base64.b64encode(binary).decode()
    return shaped


def sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One Lambda SQS record from one message of a ReceiveMessage response (boto3's shape)."""
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            name: _lambda_attribute(value) for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }
    if "MD5OfMessageAttributes" in message:
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    return {"Records": [sqs_record(message, queue_arn, region) for message in messages]}


def scheduled_event(schedule_name: str, region: str, now: datetime | None = None) -> dict[str, Any]:
    """An EventBridge "Scheduled Event" for the rule `schedule_name`."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": LOCAL_ACCOUNT_ID,
        "time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{LOCAL_ACCOUNT_ID}:rule/{schedule_name}"],
        "detail": {},
    }
