"""Integration fixtures: an in-process emulated AWS (moto mock_aws) holding every resource of resources.json.

Every DynamoDB request made through the fixture's clients and the PynamoDB models is recorded; a test
that issues a Scan fails at teardown (no access pattern of Concord may scan a table, new ones included).
The `storage` fixture runs a test once on the in-memory adapters and once on the DynamoDB ones, so the
fakes the unit tests rely on cannot drift from what production does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters.dynamodb.repositories import (
    DynamoAuditLog,
    DynamoIncidentRepository,
    DynamoNoteRepository,
    DynamoSharingRepository,
    DynamoTaskRepository,
)
from chalicelib.adapters.dynamodb.tables import LOGICAL_TABLES, bind_models
from chalicelib.adapters.memory import (
    MemoryAuditLog,
    MemoryIncidentRepository,
    MemoryNoteRepository,
    MemorySharingRepository,
    MemoryTaskRepository,
)
from chalicelib.domain.access.ports import AuditLog, SharingRepository
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.ports import IncidentRepository, NoteRepository
from chalicelib.domain.response.ports import TaskRepository
from chalicelib.settings import Settings
from local.resources import create_resources

REGION = "eu-west-2"
FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}
REAL_AWS_POINTERS = ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")


@dataclass
class EmulatedAws:
    settings: Settings
    session: Any  # a boto3 Session
    dynamodb_calls: list[str] = field(default_factory=list)  # operation names, in order

    def client(self, service: str) -> Any:
        return self.session.client(service, region_name=REGION)


def record_dynamodb_calls(aws: EmulatedAws) -> None:
    """Hook 'before-call.dynamodb' on the boto3 session and on each model's PynamoDB client."""

    def record(**kwargs: Any) -> None:
        aws.dynamodb_calls.append(kwargs["model"].name)

    aws.session.events.register("before-call.dynamodb", record)
    clients = {
        id(client): client
        for client in (m._get_connection().connection.client for m in LOGICAL_TABLES.values())
    }
    for client in clients.values():  # bind_models gives all models one client; count each client once
        client.meta.events.register("before-call.dynamodb", record)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedAws]:
    for name, value in FAKE_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    for name in REAL_AWS_POINTERS:
        monkeypatch.delenv(name, raising=False)
    settings = Settings(stage="test", region=REGION)
    with mock_aws():
        emulated = EmulatedAws(settings, boto3.session.Session(region_name=REGION))
        create_resources(emulated.session, settings)
        bind_models(settings)
        record_dynamodb_calls(emulated)
        yield emulated
    scans = [name for name in emulated.dynamodb_calls if name == "Scan"]
    assert not scans, (
        f"{len(scans)} DynamoDB Scan request(s) were made; every access pattern must Query or Get"
    )


# --- one set of storage adapters, in memory or on the emulated DynamoDB: the contract tests run on both ---


class StoredIncidents(IncidentRepository, Protocol):
    def events_of(self, incident_id: str, limit: int = 100) -> list[DetectionEvent]: ...


@dataclass
class Storage:
    kind: str  # "memory" or "dynamo"
    incidents: StoredIncidents
    sharing: SharingRepository
    tasks: TaskRepository
    notes: NoteRepository
    audit: AuditLog
    aws: EmulatedAws | None = None  # the emulated AWS behind the dynamo kind


@pytest.fixture(params=["memory", "dynamo"])
def storage(request: pytest.FixtureRequest) -> Storage:
    if request.param == "dynamo":
        emulated: EmulatedAws = request.getfixturevalue("aws")
        return Storage(
            "dynamo",
            DynamoIncidentRepository(),
            DynamoSharingRepository(),
            DynamoTaskRepository(),
            DynamoNoteRepository(),
            DynamoAuditLog(),
            emulated,
        )
    incidents = MemoryIncidentRepository()
    return Storage(
        "memory",
        incidents,
        MemorySharingRepository(),
        MemoryTaskRepository(incidents),
        MemoryNoteRepository(),
        MemoryAuditLog(),
    )


T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def make_event(event_id: str, observed_at: datetime = T0, **changes: Any) -> DetectionEvent:
    event = DetectionEvent(
        event_id=event_id,
        source_id="aq-1",
        sub_category="airPollution",
        severity=Severity.MEDIUM,
        confidence=0.6,
        magnitude=120.0,
        lat=51.5072,
        lon=-0.1276,
        observed_at=observed_at,
        detector="threshold",
        description="AQI 120",
        details={"metric": "pm2_5", "aqi": 120, "levels": [1, 2.5]},
    )
    return replace(event, **changes)


# GraphQL tests: a signing key for the module, a Chalice client over the module's `container`, tokens.
@pytest.fixture(scope="module")
def signing_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def client(container: Any) -> Iterator[Any]:
    from tests.integration.test_graphql import graphql_client

    with graphql_client(container) as test_client:
        yield test_client


@pytest.fixture
def token(signing_key: Any) -> Any:
    from tests.integration.test_graphql import token_issuer

    return token_issuer(signing_key)
