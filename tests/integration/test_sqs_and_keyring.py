"""The readings queue, the device keyring and the emulated resources they rely on (in-process moto)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote_plus

import pytest

from chalicelib.adapters.aws.readings_queue import SqsReadingQueue, parse_reading_message
from chalicelib.adapters.keyring import DerivedKeyring, load_master_key
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.sensing.devices import secret_fingerprint
from chalicelib.domain.sensing.readings import Reading
from chalicelib.resources import resources
from local.resources import create_resources
from tests.integration.conftest import EmulatedAws

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def make_readings(count: int) -> list[Reading]:
    return [Reading("aq-1", "pm2_5", 10.0 + n / 8, "ug/m3", T0 + timedelta(seconds=n)) for n in range(count)]


def receive_all(aws: EmulatedAws, queue: str) -> list[dict[str, object]]:
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name(queue))["QueueUrl"]
    messages: list[dict[str, object]] = []
    while batch := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], VisibilityTimeout=60
    ).get("Messages", []):
        messages.extend(batch)
    return messages


def test_given_a_batch_when_sent_then_one_message_carries_it_back_intact(aws: EmulatedAws) -> None:
    readings = make_readings(3)
    SqsReadingQueue(aws.client("sqs"), aws.settings.name("readings")).send("aq-1", "batch-1", readings)
    messages = receive_all(aws, "readings")
    assert len(messages) == 1
    assert parse_reading_message(str(messages[0]["Body"])) == ("aq-1", "batch-1", readings)
    assert messages[0]["MessageAttributes"] == {"device_id": {"StringValue": "aq-1", "DataType": "String"}}


def test_given_a_batch_over_the_size_limit_when_sent_then_it_is_split_in_order(aws: EmulatedAws) -> None:
    readings = make_readings(60)
    queue = SqsReadingQueue(aws.client("sqs"), aws.settings.name("readings"), max_message_bytes=4096)
    queue.send("aq-1", "batch-1", readings)
    parsed = sorted(
        (parse_reading_message(str(message["Body"])) for message in receive_all(aws, "readings")),
        key=lambda message: int(message[1].rsplit("-", 1)[1]),
    )
    assert len(parsed) > 1
    assert [batch_id for _, batch_id, _ in parsed] == [f"batch-1-{n}" for n in range(1, len(parsed) + 1)]
    assert [reading for _, _, chunk in parsed for reading in chunk] == readings
    bodies = [message["Body"] for message in receive_all(aws, "readings")]
    assert all(len(str(body).encode()) <= 4096 for body in bodies)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"device_id": "aq-1", "batch_id": "b"}',
        '{"device_id": "aq-1", "batch_id": "b", "readings": [{"metric": "pm2_5"}]}',
        json.dumps({"device_id": "aq-2", "batch_id": "b", "readings": [make_readings(1)[0].to_dict()]}),
    ],
)
def test_given_a_message_not_from_the_queue_adapter_when_parsed_then_invalid_message(body: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_reading_message(body)
    assert refused.value.code == "INVALID_MESSAGE"


def test_given_the_readings_queue_then_failures_end_in_its_dead_letter_queue(aws: EmulatedAws) -> None:
    sqs = aws.client("sqs")
    spec = resources()["queues"]["readings"]
    url = sqs.get_queue_url(QueueName=aws.settings.name("readings"))["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    redrive = json.loads(attributes["RedrivePolicy"])
    dlq_url = sqs.get_queue_url(QueueName=aws.settings.name("readings") + "-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    assert redrive["deadLetterTargetArn"] == dlq_arn
    assert int(redrive["maxReceiveCount"]) == spec["max_receive_count"]
    assert int(attributes["VisibilityTimeout"]) == spec["visibility_timeout_s"]


def test_given_uploads_and_evidence_when_stored_then_the_uploads_queue_hears_of_them_and_of_nothing_else(
    aws: EmulatedAws,
) -> None:
    s3 = aws.client("s3")
    s3.put_object(Bucket=aws.settings.name("media"), Key="uploads/cam 1/frame.jpg", Body=b"\xff\xd8")
    s3.put_object(Bucket=aws.settings.name("media"), Key="evidence/inc-1/tsk-1/photo.jpg", Body=b"\xff\xd8")
    s3.put_object(Bucket=aws.settings.name("media"), Key="redacted/cam 1/frame.jpg", Body=b"\xff\xd8")
    records = [
        record
        for message in receive_all(aws, "uploads")
        for record in json.loads(str(message["Body"])).get("Records", [])
    ]
    # keys in S3 events are URL-encoded (moto also encodes the slashes): consumers unquote_plus them
    keys = sorted(unquote_plus(record["s3"]["object"]["key"]) for record in records)
    assert keys == ["evidence/inc-1/tsk-1/photo.jpg", "uploads/cam 1/frame.jpg"]


def test_given_resources_exist_when_created_again_then_nothing_changes(aws: EmulatedAws) -> None:
    secrets = aws.client("secretsmanager")
    before = load_master_key(secrets, aws.settings)
    create_resources(aws.session, aws.settings)
    assert load_master_key(secrets, aws.settings) == before
    assert len(before) == resources()["secrets"]["device-master-key"]["bytes"]


def test_given_a_master_key_when_secrets_are_derived_then_they_are_deterministic_and_versioned(
    aws: EmulatedAws,
) -> None:
    master_key = load_master_key(aws.client("secretsmanager"), aws.settings)
    keyring, same_master = DerivedKeyring(master_key), DerivedKeyring(master_key)
    secret = keyring.secret_for("aq-1", 1)
    assert len(secret) == 32
    assert same_master.secret_for("aq-1", 1) == secret
    assert keyring.secret_for("aq-1", 2) != secret
    assert keyring.secret_for("aq-2", 1) != secret
    assert DerivedKeyring(bytes(reversed(master_key))).secret_for("aq-1", 1) != secret
    assert keyring.issue("aq-1", 1) == secret.hex()
    assert secret_fingerprint(bytes.fromhex(keyring.issue("aq-1", 1))) == secret_fingerprint(secret)


def test_given_a_short_or_malformed_master_key_then_it_is_refused(aws: EmulatedAws) -> None:
    with pytest.raises(ValueError):
        DerivedKeyring(b"too short")
    secrets = aws.client("secretsmanager")
    secrets.put_secret_value(SecretId=aws.settings.name("device-master-key"), SecretString="not base64!")
    with pytest.raises(ValueError):
        load_master_key(secrets, aws.settings)
    secrets.put_secret_value(
        SecretId=aws.settings.name("device-master-key"), SecretString=base64.b64encode(b"k" * 32).decode()
    )
    assert load_master_key(secrets, aws.settings) == b"k" * 32
