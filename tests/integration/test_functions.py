"""The readings and silence functions, driven with real event shapes against the emulated AWS."""

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.bootstrap import build_aws_container, use_container
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.sensing.readings import Reading
from chalicelib.services.sensing.register_device import RegisterDevice, register_device
from functions.readings.handler import lambda_handler as readings_handler
from functions.silence.handler import lambda_handler as silence_handler
from local.lambda_context import LocalLambdaContext
from local.lambda_events import scheduled_event, sqs_event

ADMIN = Principal("admin", "environment", frozenset({Role.ADMIN}))
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def container(aws):
    built = build_aws_container(aws.settings)
    built.routing.set_owner("airPollution", "environment")
    register_device(
        RegisterDevice("aq-001", "air_quality", 51.5072, -0.1276, "environment", expected_interval_s=60),
        ADMIN,
        built.devices,
        built.keyring,
    )
    use_container(built)
    yield built
    use_container(None)


def receive(aws, container):
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name("readings"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    return sqs_event(messages, arn, "eu-west-2"), sqs, url


def context():
    return LocalLambdaContext("concord-readings", 30, "eu-west-2")


def pm25(value, minutes_ago):
    return Reading("aq-001", "pm2_5", value, "ug/m3", NOW - timedelta(minutes=minutes_ago))


def test_given_a_batch_with_a_poison_message_then_only_that_message_is_reported_failed(aws, container):
    container.queue.send("aq-001", "bat_1", [pm25(12.0, 3), pm25(180.0, 2)])
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name("readings"))["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="{not json")
    event, _, _ = receive(aws, container)
    poison = next(r["messageId"] for r in event["Records"] if r["body"] == "{not json")

    response = readings_handler(event, context())

    assert response == {"batchItemFailures": [{"itemIdentifier": poison}]}
    page = container.incidents.list_for_agency("environment", None, None, 10, None)
    assert [(i.sub_category, i.event_count) for i in page.incidents] == [("airPollution", 1)]


def test_given_the_same_sqs_event_delivered_twice_then_the_incident_is_unchanged(aws, container):
    container.queue.send("aq-001", "bat_1", [pm25(150.0, 3), pm25(180.0, 2), pm25(200.0, 1)])
    event, _, _ = receive(aws, container)
    assert readings_handler(event, context()) == {"batchItemFailures": []}
    [before] = container.incidents.list_for_agency("environment", None, None, 10, None).incidents

    assert readings_handler(event, context()) == {"batchItemFailures": []}

    [after] = container.incidents.list_for_agency("environment", None, None, 10, None).incidents
    assert (after.event_count, after.version, after.peak_magnitude) == (
        before.event_count,
        before.version,
        before.peak_magnitude,
    )
    assert before.event_count == 3


def test_given_a_device_that_went_silent_then_the_scheduled_function_raises_one_offline_incident(
    aws, container
):
    container.queue.send("aq-001", "bat_1", [pm25(10.0, 10)])
    event, _, _ = receive(aws, container)
    readings_handler(event, context())

    first = silence_handler(scheduled_event("silence", "eu-west-2"), context())
    second = silence_handler(scheduled_event("silence", "eu-west-2"), context())

    assert (first, second) == ({"flagged": ["aq-001"]}, {"flagged": []})
    [offline] = container.incidents.list_for_agency("environment", None, "technical", 10, None).incidents
    assert offline.sub_category == "sensorOffline"
