"""The field-crew mobile API on the running local stack, over real HTTP, through an independent GraphQL client
(`gql`, validating each of the app's operation documents against the published schema before sending it).

The incident and the crew's task are written straight into the stack's DynamoDB with Concord's own
adapters (the API has no operation that creates a task); everything after that goes through /graphql.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from gql import Client, gql
from gql.graphql_request import GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport

from chalicelib.bootstrap import build_aws_container
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.correlation import open_incident
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.services.response.manage_tasks import NewTask, TaskDependencies, create_task
from chalicelib.settings import Settings
from local.aws import DUMMY_CREDENTIALS
from local.camera_frames import ASTRONAUT, as_jpeg, astronaut_pixels
from local.environment import STAGE
from local.paths import REPO_ROOT
from tests.e2e.conftest import RunningStack

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not ASTRONAUT.exists(), reason="run `make models` first: the photo is the test photo"),
]

MOBILE = REPO_ROOT / "graphql" / "operations" / "mobile"
SCHEMA = (REPO_ROOT / "graphql" / "schema.graphql").read_text()
AGENCY, CREW = "utilities", "crew-e2e"
HERE = {"lat": 51.5072, "lon": -0.1276}
PHOTO = as_jpeg(astronaut_pixels()) if ASTRONAUT.exists() else b""  # a face: the derivative blurs it


def operation(name: str, **variables: Any) -> GraphQLRequest:
    return GraphQLRequest(gql((MOBILE / f"{name}.graphql").read_text()), variable_values=variables)


@pytest.fixture(scope="module")
def tasked(stack: RunningStack) -> Iterator[tuple[str, str]]:
    """An open flood incident of the utilities and a task of crew-e2e on it, in the stack's DynamoDB."""
    suffix = secrets.token_hex(4)
    incident_id, task_id = f"inc-e2e-{suffix}", f"tsk-e2e-{suffix}"
    now = datetime.now(UTC)
    event = DetectionEvent(
        f"evt-e2e-{suffix}", "gauge-e2e", "flood", Severity.HIGH, 0.9, 40.0, HERE["lat"], HERE["lon"], now,
        "threshold", "Water 40 cm over the kerb",
    )  # fmt: skip
    settings = Settings(
        stage=STAGE, region=stack.description["region"], endpoint_url=stack.description["aws_endpoint_url"]
    )
    with pytest.MonkeyPatch.context() as patch:
        for name, value in DUMMY_CREDENTIALS.items():
            patch.setenv(name, value)
        stored = build_aws_container(settings)
        stored.incidents.record_event(event, open_incident(event, incident_id, AGENCY), is_new=True)
        deps = TaskDependencies(stored.tasks, stored.incidents, stored.notes, stored.media)
        create_task(
            NewTask(incident_id, AGENCY, "Check the culvert", 60, CREW, (), task_id), "e2e", deps, now
        )
        yield incident_id, task_id


@pytest.fixture(scope="module")
def crew(stack: RunningStack) -> Client:
    token = stack.issuer.mint(AGENCY, ["field_crew"], subject="crew-e2e-member", crew_id=CREW)
    transport = RequestsHTTPTransport(
        url=stack.description["graphql_url"], headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return Client(transport=transport, schema=SCHEMA)


def change(task_id: str, version: int, **more: Any) -> dict[str, Any]:
    return {"taskId": task_id, "expectedVersion": version, "clientMutationId": secrets.token_hex(8), **more}


def ids(found: dict[str, Any], kind: str) -> list[str]:
    return [item["id"] for item in found[kind]]


def test_given_a_crew_with_a_task_when_it_works_it_through_gql_then_each_step_is_answered_over_http(
    stack: RunningStack, crew: Client, tasked: tuple[str, str]
) -> None:
    incident_id, task_id = tasked
    mine = crew.execute(operation("MyTasks"))["myTasks"]
    assert [(t["id"], t["status"], t["version"]) for t in mine] == [(task_id, "OPEN", 1)]
    first = crew.execute(operation("Changes"))["changes"]
    assert (ids(first, "tasks"), ids(first, "incidents")) == ([task_id], [incident_id])
    assert first["incidents"][0]["accessLevel"] == "OPERATIONAL"

    ack = operation("AcknowledgeTask", input=change(task_id, 1))
    acknowledged = crew.execute(ack)
    assert crew.execute(ack) == acknowledged  # a retry after a lost answer: the first answer, nothing applied
    crew.execute(operation("UpdateTaskStatus", input=change(task_id, 2, status="EN_ROUTE", location=HERE)))
    noted = crew.execute(
        operation("AddFieldNote", input=change(task_id, 3, text="Culvert blocked by debris"))
    )
    upload = crew.execute(operation("RequestPhotoUpload", input=change(task_id, 4, contentType="image/jpeg")))
    form = upload["requestPhotoUpload"]["upload"]
    assert stack.api.post_form(form["url"], form["fields"], PHOTO, "image/jpeg") in (200, 201, 204)

    second = crew.execute(operation("Changes", since=first["cursor"]))["changes"]
    assert [(t["id"], t["status"], t["version"], t["location"]) for t in second["tasks"]] == [
        (task_id, "EN_ROUTE", 5, HERE)
    ]
    assert (ids(second, "incidents"), ids(second, "notes")) == ([], [noted["addFieldNote"]["note"]["id"]])
    third = crew.execute(operation("Changes", since=second["cursor"]))["changes"]
    assert (third["tasks"], third["incidents"], third["notes"]) == ([], [], [])
    timeline = crew.execute(operation("Task", id=task_id))["task"]["timeline"]
    assert [entry["action"] for entry in timeline] == ["created", "status", "status", "note", "photo"]
    assert stored_photo(stack, form["key"]) == PHOTO  # the original stays, the owning agency's evidence
    redacted = "redacted/" + form["key"]
    assert wait_for_object(stack, redacted) != PHOTO  # the inference function blurred the face


def test_given_a_stale_version_when_sent_through_gql_then_conflict_names_the_current_version(
    crew: Client, tasked: tuple[str, str]
) -> None:
    _, task_id = tasked
    current = crew.execute(operation("Task", id=task_id))["task"]["version"]

    with pytest.raises(TransportQueryError) as refused:
        crew.execute(operation("UpdateTaskStatus", input=change(task_id, current - 1, status="ON_SCENE")))

    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"] == {"code": "CONFLICT", "currentVersion": current}


def wait_for_object(stack: RunningStack, key: str, timeout_s: float = 60.0) -> bytes:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            return stored_photo(stack, key)
        except ClientError:
            time.sleep(0.5)
    pytest.fail(f"{key} did not appear within {timeout_s:g} s")


def stored_photo(stack: RunningStack, key: str) -> bytes:
    s3 = boto3.client(
        "s3",
        endpoint_url=stack.description["aws_endpoint_url"],
        region_name=stack.description["region"],
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    return bytes(s3.get_object(Bucket=Settings(stage=STAGE).name("media"), Key=key)["Body"].read())
