"""The running local stack over real HTTP: a sensor's readings become an incident its agency sees."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.instants import format_instant
from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.e2e

INCIDENT_TIMEOUT_S = 30.0
DRAIN_TIMEOUT_S = 30.0
INCIDENTS = """
{ incidents(first: 100) {
    edges { node { id title subCategory severity confidence eventCount location { lat lon } } }
} }
"""
INCIDENT = "query($id: ID!) { incident(id: $id) { id accessLevel category title } }"


def register(
    stack: RunningStack, lat: float, lon: float, kind: str = "air_quality", agency: str = "environment"
) -> tuple[str, str]:
    device_id = f"e2e-{secrets.token_hex(4)}"
    secret = stack.api.register_device(
        stack.token(agency, "admin"),
        {"deviceId": device_id, "kind": kind, "lat": lat, "lon": lon, "expectedIntervalS": 60},
    )
    return device_id, secret


def pm25(value: float, observed_at: datetime) -> list[dict[str, Any]]:
    return [{"metric": "pm2_5", "value": value, "unit": "µg/m³", "observed_at": format_instant(observed_at)}]


def incidents_at(stack: RunningStack, agency: str, lat: float, lon: float) -> list[dict[str, Any]]:
    data = stack.api.graphql(INCIDENTS, None, stack.token(agency, "operator"))
    nodes = [edge["node"] for edge in data["incidents"]["edges"]]
    return [node for node in nodes if (node["location"]["lat"], node["location"]["lon"]) == (lat, lon)]


def wait_for(found: Callable[[], list[dict[str, Any]]], timeout_s: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.5)
    return []


def wait_until_readings_processed(stack: RunningStack) -> None:
    """Every accepted batch has been handled: the runner deletes a message only once its handler succeeded."""
    sqs = stack.sqs()
    url = sqs.get_queue_url(QueueName="concord-local-readings")["QueueUrl"]
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while time.monotonic() < deadline:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        if all(attributes.get(name, "0") == "0" for name in names):
            return
        time.sleep(0.25)
    pytest.fail("the readings queue was not drained")


def test_given_the_stack_when_health_is_asked_then_it_is_ok(stack: RunningStack) -> None:
    result = stack.api.request("GET", "/health")

    assert (result.status, result.body) == (200, {"status": "ok"})


def test_given_a_registered_sensor_when_it_reports_pm25_of_180_then_environment_sees_an_air_pollution_incident(
    stack: RunningStack,
) -> None:
    lat, lon = 51.5072, -0.1276
    device_id, secret = register(stack, lat, lon)

    result = stack.api.send_readings(device_id, secret, pm25(180.0, datetime.now(UTC)))

    assert result.status == 202
    assert {key: result.body[key] for key in ("accepted", "rejected")} == {"accepted": 1, "rejected": []}
    found = wait_for(lambda: incidents_at(stack, "environment", lat, lon), INCIDENT_TIMEOUT_S)
    assert [node["subCategory"] for node in found] == ["airPollution"]
    assert found[0]["eventCount"] == 1


def test_given_a_processed_batch_when_it_is_sent_again_with_a_new_nonce_then_the_incident_does_not_change(
    stack: RunningStack,
) -> None:
    lat, lon = 51.5400, -0.0300
    device_id, secret = register(stack, lat, lon)
    readings = pm25(180.0, datetime.now(UTC) - timedelta(seconds=5))
    stack.api.send_readings(device_id, secret, readings)
    before = wait_for(lambda: incidents_at(stack, "environment", lat, lon), INCIDENT_TIMEOUT_S)

    again = stack.api.send_readings(device_id, secret, readings)
    wait_until_readings_processed(stack)

    assert again.status == 202
    after = incidents_at(stack, "environment", lat, lon)
    assert [node["eventCount"] for node in after] == [node["eventCount"] for node in before] == [1]


def test_given_a_used_nonce_when_a_request_replays_it_then_it_is_refused(stack: RunningStack) -> None:
    device_id, secret = register(stack, 51.4700, -0.2000)
    nonce = secrets.token_hex(16)
    first = stack.api.send_readings(device_id, secret, pm25(12.0, datetime.now(UTC)), nonce=nonce)

    replay = stack.api.send_readings(device_id, secret, pm25(13.0, datetime.now(UTC)), nonce=nonce)

    assert first.status == 202
    assert replay.status == 401


def test_given_an_environment_incident_then_the_transport_operator_sees_only_its_public_face(
    stack: RunningStack,
) -> None:
    lat, lon = 51.5600, -0.2800
    device_id, secret = register(stack, lat, lon)
    stack.api.send_readings(device_id, secret, pm25(180.0, datetime.now(UTC)))
    (incident,) = wait_for(lambda: incidents_at(stack, "environment", lat, lon), INCIDENT_TIMEOUT_S)

    listed = incidents_at(stack, "transport", lat, lon)
    direct = stack.api.graphql(INCIDENT, {"id": incident["id"]}, stack.token("transport", "operator"))

    assert listed == []
    assert direct == {
        "incident": {"id": incident["id"], "accessLevel": "PUBLIC", "category": "environment", "title": None}
    }
