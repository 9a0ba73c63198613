"""Create the resources described in chalicelib/resources.json in an emulated AWS, idempotently.

Used by the embedded local stack (moto server) and by the integration tests (in-process mock_aws).
What already exists is left as it is, so running it twice changes nothing.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.resources import resources
from chalicelib.settings import Settings

DLQ_SUFFIX = "-dlq"
DLQ_RETENTION_S = 14 * 24 * 3600
MISSING_QUEUE = {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}


def create_resources(session_or_clients: Any, settings: Settings) -> None:
    """Create every table, queue, bucket, topic and secret of resources.json that does not exist yet.

    `session_or_clients` is a boto3 Session (or the boto3 module), or a mapping of service name to client.
    """
    spec = resources()

    def client(service: str) -> Any:
        if isinstance(session_or_clients, Mapping):
            return session_or_clients[service]
        return session_or_clients.client(
            service, region_name=settings.region, endpoint_url=settings.endpoint_url
        )

    create_tables(client("dynamodb"), settings, spec["tables"])
    sqs = client("sqs")
    create_queues(sqs, settings, spec["queues"])
    create_buckets(client("s3"), sqs, settings, spec["buckets"])
    for logical in spec.get("topics", {}):
        client("sns").create_topic(Name=settings.name(logical))  # idempotent by name
    create_secrets(client("secretsmanager"), settings, spec["secrets"])


def key_schema(keys: Mapping[str, Any]) -> list[dict[str, str]]:
    schema = [{"AttributeName": keys["hash_key"][0], "KeyType": "HASH"}]
    if "range_key" in keys:
        schema.append({"AttributeName": keys["range_key"][0], "KeyType": "RANGE"})
    return schema


def table_definition(name: str, table: Mapping[str, Any]) -> dict[str, Any]:
    indexes = table.get("indexes", {})
    attributes: dict[str, str] = {}
    for keys in (table, *indexes.values()):
        for role in ("hash_key", "range_key"):
            if role in keys:
                attribute, kind = keys[role]
                attributes[attribute] = kind
    definition: dict[str, Any] = {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": key_schema(table),
        "AttributeDefinitions": [
            {"AttributeName": a, "AttributeType": k} for a, k in sorted(attributes.items())
        ],
    }
    if indexes:
        definition["GlobalSecondaryIndexes"] = [
            {"IndexName": index, "KeySchema": key_schema(keys), "Projection": {"ProjectionType": "ALL"}}
            for index, keys in indexes.items()
        ]
    return definition


def create_tables(dynamodb: Any, settings: Settings, tables: Mapping[str, Any]) -> None:
    existing = {
        name for page in dynamodb.get_paginator("list_tables").paginate() for name in page["TableNames"]
    }
    for logical, table in tables.items():
        name = settings.name(logical)
        if name not in existing:
            dynamodb.create_table(**table_definition(name, table))
            dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
        ttl_attribute = table.get("ttl")
        ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        if ttl_attribute and ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
            dynamodb.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute}
            )


def ensure_queue(sqs: Any, name: str, attributes: dict[str, str]) -> str:
    """The queue's URL, creating the queue with `attributes` when it does not exist."""
    try:
        return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])
    except ClientError as error:
        if error.response["Error"]["Code"] not in MISSING_QUEUE:
            raise
    return str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])


def queue_arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def create_queues(sqs: Any, settings: Settings, queues: Mapping[str, Any]) -> None:
    """Each queue with its dead-letter queue, f"{name}-dlq", after max_receive_count receives."""
    for logical, queue in queues.items():
        name = settings.name(logical)
        dlq_url = ensure_queue(sqs, name + DLQ_SUFFIX, {"MessageRetentionPeriod": str(DLQ_RETENTION_S)})
        redrive = {
            "deadLetterTargetArn": queue_arn(sqs, dlq_url),
            "maxReceiveCount": queue["max_receive_count"],
        }
        ensure_queue(
            sqs,
            name,
            {"VisibilityTimeout": str(queue["visibility_timeout_s"]), "RedrivePolicy": json.dumps(redrive)},
        )


def allow_bucket_to_send(sqs: Any, queue_url: str, bucket: str) -> None:
    """Add (or refresh) the queue-policy statement that lets S3 send this bucket's events."""
    arn = queue_arn(sqs, queue_url)
    current = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"]).get("Attributes", {})
    policy = json.loads(current.get("Policy") or '{"Version": "2012-10-17", "Statement": []}')
    sid = f"AllowS3Events-{bucket}"
    statements = [statement for statement in policy["Statement"] if statement.get("Sid") != sid]
    statements.append(
        {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": arn,
            "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{bucket}"}},
        }
    )
    policy["Statement"] = statements
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})


def create_buckets(s3: Any, sqs: Any, settings: Settings, buckets: Mapping[str, Any]) -> None:
    """Each bucket, and its object-created notifications to SQS (set once: each set sends a TestEvent)."""
    for logical, bucket_spec in buckets.items():
        bucket = settings.name(logical)
        existing = {item["Name"] for item in s3.list_buckets().get("Buckets", [])}
        if bucket not in existing:
            location = {} if settings.region == "us-east-1" else {"LocationConstraint": settings.region}
            s3.create_bucket(Bucket=bucket, **({"CreateBucketConfiguration": location} if location else {}))
        wanted = []
        for notification in bucket_spec.get("notifications", []):
            queue_url = ensure_queue(sqs, settings.name(notification["queue"]), {})
            allow_bucket_to_send(sqs, queue_url, bucket)
            wanted.append(
                {
                    "Id": f"{notification['queue']}:{notification['prefix']}",
                    "QueueArn": queue_arn(sqs, queue_url),
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": notification["prefix"]}]}},
                }
            )
        configured = s3.get_bucket_notification_configuration(Bucket=bucket).get("QueueConfigurations", [])
        if wanted and {item["Id"] for item in wanted} - {item.get("Id") for item in configured}:
            s3.put_bucket_notification_configuration(
                Bucket=bucket, NotificationConfiguration={"QueueConfigurations": wanted}
            )


def create_secrets(secretsmanager: Any, settings: Settings, secrets: Mapping[str, Any]) -> None:
    """Each secret as base64 of fresh random bytes; an existing secret keeps its value."""
    for logical, secret in secrets.items():
        name = settings.name(logical)
        try:
            secretsmanager.describe_secret(SecretId=name)
            continue
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
        value = base64.b64encode(os.urandom(int(secret["bytes"]))).decode()
        secretsmanager.create_secret(Name=name, SecretString=value)
