"""S3 notifications as delivered through SQS: test events, URL-encoded keys, malformed bodies."""

from __future__ import annotations

import json

import pytest

from chalicelib.adapters.aws.s3_events import objects_created


def notification(key: str, name: str = "ObjectCreated:Post") -> str:
    record = {
        "eventName": name,
        "eventTime": "2026-11-30T12:00:00.123Z",
        "s3": {"bucket": {"name": "concord-test-media"}, "object": {"key": key, "size": 42}},
    }
    return json.dumps({"Records": [record]})


def test_given_the_test_event_of_a_new_notification_then_no_objects() -> None:
    assert objects_created(json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})) == []


def test_given_a_url_encoded_key_then_it_is_decoded() -> None:
    [created] = objects_created(notification("uploads/cam%3A1/2026/11/30/a+b.jpg"))
    assert created.key == "uploads/cam:1/2026/11/30/a b.jpg"
    assert (created.bucket, created.size, created.event_time.microsecond) == (
        "concord-test-media",
        42,
        123000,
    )


def test_given_a_removal_event_then_it_is_ignored() -> None:
    assert objects_created(notification("uploads/x.jpg", "ObjectRemoved:Delete")) == []


@pytest.mark.parametrize("body", ["{not json", "[]", json.dumps({"Records": "no"})])
def test_given_a_body_that_is_not_a_notification_then_value_error(body: str) -> None:
    with pytest.raises(ValueError, match="not an S3 notification"):
        objects_created(body)
