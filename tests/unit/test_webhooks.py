"""Webhook rules: signatures a receiver can verify, backoff, and what each answer leads to."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from statistics import mean

import pytest

from chalicelib.adapters.aws.webhook_queue import encode_delivery, parse_delivery
from chalicelib.domain.response.webhooks import (
    MAX_ATTEMPTS,
    WebhookDelivery,
    backoff_seconds,
    sign_webhook,
    verify_webhook,
)
from chalicelib.services.response.deliver_webhook import deliver_webhook

SECRET = b"s" * 32
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TS = int(NOW.timestamp())


def delivery(attempt: int = 1) -> WebhookDelivery:
    return WebhookDelivery(
        "d-1", "traffic-control", "https://city.example/hooks", "incident.opened", {"n": 1}, attempt
    )


class FakeSender:
    def __init__(self, status: int) -> None:
        self.status = status
        self.sent: list[WebhookDelivery] = []

    def send(self, d: WebhookDelivery, now: datetime) -> int:
        self.sent.append(d)
        return self.status


class FakeQueue:
    def __init__(self) -> None:
        self.queued: list[tuple[WebhookDelivery, int]] = []
        self.dead: list[tuple[WebhookDelivery, str]] = []

    def send(self, d: WebhookDelivery, delay_s: int) -> None:
        self.queued.append((d, delay_s))

    def dead_letter(self, d: WebhookDelivery, reason: str) -> None:
        self.dead.append((d, reason))


def test_given_a_signed_body_when_verified_with_the_same_secret_then_it_is_accepted() -> None:
    body = delivery().body()
    header = sign_webhook(SECRET, TS, body)

    assert header.startswith(f"t={TS},v1=")
    assert verify_webhook(SECRET, header, body, NOW)
    assert verify_webhook(SECRET, header, body, TS + 299.0)


@pytest.mark.parametrize(
    "case",
    ["tampered body", "wrong secret", "old timestamp", "future timestamp", "no signature", "garbage"],
)
def test_given_a_bad_signature_case_when_verified_then_it_is_rejected(case: str) -> None:
    body = delivery().body()
    header = sign_webhook(SECRET, TS, body)
    checks = {
        "tampered body": (SECRET, header, body.replace(b'"n":1', b'"n":2'), TS),
        "wrong secret": (b"x" * 32, header, body, TS),
        "old timestamp": (SECRET, header, body, TS + 301),
        "future timestamp": (SECRET, header, body, TS - 301),
        "no signature": (SECRET, f"t={TS}", body, TS),
        "garbage": (SECRET, "not a header", body, TS),
    }
    secret, given_header, given_body, now = checks[case]

    assert not verify_webhook(secret, given_header, given_body, now)


def test_given_a_rotated_secret_when_the_header_carries_two_signatures_then_either_verifies() -> None:
    body = delivery().body()
    old = sign_webhook(b"o" * 32, TS, body).split(",")[1]
    header = f"{sign_webhook(SECRET, TS, body)},{old}"

    assert verify_webhook(SECRET, header, body, TS)
    assert verify_webhook(b"o" * 32, header, body, TS)


def test_given_a_delivery_then_its_body_is_canonical_json_and_the_same_on_every_attempt() -> None:
    body = delivery().body()

    assert body == b'{"event":"incident.opened","id":"d-1","payload":{"n":1},"target":"traffic-control"}'
    assert delivery(attempt=4).body() == body


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://city.example/x", "city.example/hooks"])
def test_given_a_url_that_is_not_http_then_the_delivery_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        replace(delivery(), url=url)


def test_given_many_deliveries_when_backing_off_then_waits_grow_with_attempts_and_stay_capped() -> None:
    ids = [f"d-{n}" for n in range(200)]
    means = [mean(backoff_seconds(a, delivery_id=i) for i in ids) for a in range(1, 8)]
    late = [backoff_seconds(30, delivery_id=i) for i in ids]

    assert means == sorted(means) and means[-1] > 10 * means[0]
    assert all(0 <= backoff_seconds(a, delivery_id="d-1") <= 2 * 2**a for a in range(1, 9))
    assert max(late) <= 900 and max(late) > 800
    assert backoff_seconds(3, delivery_id="d-7") == backoff_seconds(3, delivery_id="d-7")


@pytest.mark.parametrize("status", [200, 202, 204])
def test_given_a_2xx_answer_then_the_delivery_is_done(status: int) -> None:
    queue = FakeQueue()

    assert deliver_webhook(delivery(), FakeSender(status), queue, NOW) == "delivered"
    assert queue.queued == [] and queue.dead == []


@pytest.mark.parametrize("status", [0, 408, 429, 500, 502, 503])
def test_given_a_passing_failure_then_the_next_attempt_is_queued_after_the_backoff(status: int) -> None:
    queue = FakeQueue()

    outcome = deliver_webhook(delivery(attempt=2), FakeSender(status), queue, NOW)

    assert outcome == "retrying"
    assert queue.queued == [(delivery(attempt=3), backoff_seconds(2, delivery_id="d-1"))]
    assert queue.dead == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422, 301])
def test_given_a_lasting_refusal_then_the_delivery_is_dead_lettered_at_once(status: int) -> None:
    queue = FakeQueue()

    outcome = deliver_webhook(delivery(), FakeSender(status), queue, NOW)

    assert outcome == "dead" and queue.queued == []
    assert [(d.attempt, f"HTTP {status}" in reason) for d, reason in queue.dead] == [(1, True)]


def test_given_the_last_attempt_fails_then_the_delivery_is_dead_lettered_with_the_reason() -> None:
    queue = FakeQueue()

    outcome = deliver_webhook(delivery(attempt=MAX_ATTEMPTS), FakeSender(503), queue, NOW)

    assert outcome == "dead" and queue.queued == []
    ((dead, reason),) = queue.dead
    assert dead.attempt == MAX_ATTEMPTS and "HTTP 503" in reason and f"attempt {MAX_ATTEMPTS}" in reason


def test_given_a_queued_delivery_when_parsed_then_it_round_trips() -> None:
    assert parse_delivery(encode_delivery(delivery(attempt=3))) == delivery(attempt=3)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        json.dumps({"delivery_id": "d"}),
        encode_delivery(delivery()).replace("https", "file"),
    ],
)
def test_given_a_bad_queue_body_when_parsed_then_value_error(body: str) -> None:
    with pytest.raises(ValueError):
        parse_delivery(body)
