"""No N+1: GraphQL operations against the DynamoDB adapters (moto) cost a bounded number of requests,
counted by the `aws` fixture's botocore 'before-call.dynamodb' hook (never timed)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.adapters.dynamodb.tables import LOGICAL_TABLES
from chalicelib.bootstrap import Container, build_aws_container
from chalicelib.domain.incidents.correlation import open_incident
from chalicelib.domain.response.tasks import CrewTask
from tests.integration.conftest import T0, EmulatedAws, make_event
from tests.integration.test_graphql import Token, answer, jwks_verifier, post

STORED = 60
PAGE = 50
PAGE_WITH_EVENTS_AND_TASKS = f"""{{ incidents(first: {PAGE}) {{ edges {{ node {{
  id title events {{ id }} tasks {{ id status }}
}} }} }} }}"""
ONE_INCIDENT = """query ($id: ID!) { incident(id: $id) {
  id title location { lat lon } events { id observedAt } tasks { id crewId status } assignedCrews
} }"""


def count_calls_of_rebound_models(aws: EmulatedAws) -> None:
    """build_aws_container binds the models to new clients: hook those too (each client once)."""

    def record(**kwargs: Any) -> None:
        aws.dynamodb_calls.append(kwargs["model"].name)

    clients = {
        id(client): client
        for client in (m._get_connection().connection.client for m in LOGICAL_TABLES.values())
    }
    for client in clients.values():
        client.meta.events.register("before-call.dynamodb", record)


@pytest.fixture
def container(aws: EmulatedAws, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> Container:
    built = build_aws_container(aws.settings)
    count_calls_of_rebound_models(aws)
    built.token_verifier = jwks_verifier(tmp_path, signing_key)
    for number in range(STORED):
        event = make_event(f"evt-{number}", T0 + timedelta(minutes=number))
        built.incidents.record_event(event, open_incident(event, f"inc-{number}", "environment"), is_new=True)
        built.tasks.add(CrewTask(f"task-{number}", f"inc-{number}", "environment", f"crew-{number % 5}"))
    return built


def test_given_60_incidents_with_tasks_when_the_owner_lists_50_with_events_and_tasks_then_at_most_4_dynamodb_calls(
    aws: EmulatedAws, client: Client, token: Token
) -> None:
    aws.dynamodb_calls.clear()

    body = answer(post(client, PAGE_WITH_EVENTS_AND_TASKS, token(roles=("supervisor",))))

    nodes = [edge["node"] for edge in body["data"]["incidents"]["edges"]]
    assert len(nodes) == PAGE
    assert all(len(node["events"]) == 1 and len(node["tasks"]) == 1 for node in nodes)
    assert nodes[0]["tasks"] == [{"id": f"task-{STORED - 1}", "status": "open"}]
    assert len(aws.dynamodb_calls) <= 4, aws.dynamodb_calls
    assert aws.dynamodb_calls.count("BatchGetItem") == 1, aws.dynamodb_calls


def test_given_an_incident_with_a_task_when_its_owner_reads_it_with_tasks_then_two_dynamodb_calls(
    aws: EmulatedAws, client: Client, token: Token
) -> None:
    aws.dynamodb_calls.clear()

    body = answer(post(client, ONE_INCIDENT, token(roles=("operator",)), id="inc-7"))

    assert body["data"]["incident"]["assignedCrews"] == ["crew-2"]
    assert body["data"]["incident"]["tasks"] == [{"id": "task-7", "crewId": "crew-2", "status": "open"}]
    assert aws.dynamodb_calls == ["GetItem", "BatchGetItem"]
