"""Coordinated response on the running local stack: a river gauge's readings become a flood incident,
the flood playbook fires through the outbox, tasks appear on the incident, and each agency's role
is notified on its SNS topic at its own level."""

from __future__ import annotations

import json
import random
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from chalicelib.domain.instants import format_instant
from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.e2e
TIMEOUT_S = 45.0
INCIDENT_TASKS = (
    "query($id: ID!) { incident(id: $id) { id subCategory severity tasks { id agency status } } }"
)
INCIDENTS = "{ incidents(first: 100) { edges { node { id subCategory deviceIds } } } }"


def client(stack: RunningStack, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=stack.description["aws_endpoint_url"],
        region_name=stack.description["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def flood_gauge(stack: RunningStack) -> tuple[str, str, float, float]:
    # away from the other e2e tests' incidents (city centre, cameras), so nothing else correlates with it
    lat, lon = round(random.uniform(51.35, 51.40), 6), round(random.uniform(-0.35, -0.30), 6)
    device_id = f"e2e-river-{secrets.token_hex(4)}"
    device = {
        "deviceId": device_id,
        "kind": "water_level",
        "lat": lat,
        "lon": lon,
        "alarmLevelsCm": {"advisory": 120, "warning": 160, "severe": 200},
    }
    return device_id, stack.api.register_device(stack.token("utilities", "admin"), device), lat, lon


def eventually(probe: Any, timeout_s: float = TIMEOUT_S) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if found := probe():
            return found
        time.sleep(0.5)
    pytest.fail(f"nothing after {timeout_s:g} s")


def captured(
    stack: RunningStack, agency: str, incident_id: str, seen: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    sqs = client(stack, "sqs")
    url = sqs.get_queue_url(QueueName=f"concord-local-alerts-{agency}-capture")["QueueUrl"]
    for message in sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    ).get("Messages", []):
        envelope = json.loads(message["Body"])
        seen.append(json.loads(envelope["Message"]))
    return [n for n in seen if n["incident_id"] == incident_id]


def test_given_a_rising_river_then_the_flood_playbook_creates_sequenced_tasks_and_notifies_at_each_level(
    stack: RunningStack,
) -> None:
    device_id, secret, lat, lon = flood_gauge(stack)
    reading = {
        "metric": "water_level",
        "value": 172.0,
        "unit": "cm",
        "observed_at": format_instant(datetime.now(UTC)),
    }
    assert stack.api.send_readings(device_id, secret, [reading]).status == 202
    supervisor = stack.token("utilities", "supervisor")

    def flood_incident() -> str | None:
        nodes = [e["node"] for e in stack.api.graphql(INCIDENTS, None, supervisor)["incidents"]["edges"]]
        return next((n["id"] for n in nodes if device_id in (n["deviceIds"] or [])), None)

    incident_id = eventually(flood_incident)

    def with_tasks() -> dict[str, Any] | None:
        incident = stack.api.graphql(INCIDENT_TASKS, {"id": incident_id}, supervisor)["incident"]
        return incident if len(incident["tasks"] or []) == 2 else None

    incident = eventually(with_tasks)
    assert sorted((t["agency"], t["status"]) for t in incident["tasks"]) == [
        ("emergency", "open"),
        ("utilities", "open"),
    ]
    utilities_seen: list[dict[str, Any]] = []
    emergency_seen: list[dict[str, Any]] = []
    owner = eventually(lambda: captured(stack, "utilities", incident_id, utilities_seen))
    shared = eventually(lambda: captured(stack, "emergency", incident_id, emergency_seen))
    assert {(n["role"], n["level"]) for n in owner} >= {("operator", "OPERATIONAL")}
    assert all(n["level"] == "PUBLIC" and "title" not in n["summary"] for n in shared)
    assert all(n["deep_link"].endswith(f"/incidents/{incident_id}") for n in owner + shared)
