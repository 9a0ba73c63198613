"""The field-crew mobile API through POST /graphql (real RS256 tokens, Chalice test client): a crew's tasks,
its change feed at its level, idempotent and version-checked mutations, racing writers (in memory and on
the DynamoDB adapters) and an offline queue replayed in any order."""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from graphql import parse, validate
from moto.core.botocore_stubber import BotocoreStubber

from chalicelib.bootstrap import Container, build_aws_container
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.incidents.correlation import open_incident
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.response.tasks import TaskStatus
from chalicelib.gql.schema import schema
from chalicelib.services.response.manage_tasks import (
    NewTask,
    TaskDependencies,
    add_field_note,
    change_status,
    create_task,
)
from tests.integration.conftest import EmulatedAws, make_event
from tests.integration.test_graphql import (
    NOW,
    Clock,
    answer,
    build_container,
    error_codes,
    graphql_client,
    incident,
    jwks_verifier,
    post,
    store,
)

MOBILE = Path(__file__).resolve().parents[2] / "graphql" / "operations" / "mobile"
MY_TASKS, TASK, CHANGES = (
    (MOBILE / f"{name}.graphql").read_text() for name in ("MyTasks", "Task", "Changes")
)
ACK, UPDATE, NOTE, PHOTO = (
    (MOBILE / f"{name}.graphql").read_text()
    for name in ("AcknowledgeTask", "UpdateTaskStatus", "AddFieldNote", "RequestPhotoUpload")
)
VERIFY = (MOBILE.parent / "console" / "VerifyIncident.graphql").read_text()
INC, OTHER_INC = "inc-utilities-1", "inc-utilities-2"
HERE = {"lat": 51.501, "lon": -0.121}
SUPERVISOR = Principal("sup", "utilities", frozenset({Role.SUPERVISOR}))


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def container(tmp_path: Path, signing_key: Any, clock: Clock) -> Container:
    built = build_container(tmp_path, signing_key, clock)
    store(built, incident(1, "utilities", sub_category="flood", source_confidence={"gauge-1": 0.9}))
    store(built, incident(2, "utilities", sub_category="flood"))
    add_task(built, "t1")
    add_task(built, "t-other", crew="crew-8", incident_id=OTHER_INC)
    return built


def deps(container: Container) -> TaskDependencies:
    return TaskDependencies(container.tasks, container.incidents, container.notes, container.media)


def add_task(
    container: Container,
    task_id: str,
    crew: str = "crew-7",
    incident_id: str = INC,
    after: tuple[str, ...] = (),
    agency: str = "utilities",
) -> None:
    command = NewTask(incident_id, agency, f"Task {task_id}", 30, crew, after, task_id)
    create_task(command, "sup", deps(container), NOW)


def crew(token: Callable[..., str], crew_id: str = "crew-7", agency: str = "utilities") -> str:
    return token(agency, ("field_crew",), sub=f"{crew_id}-member", **{"custom:crew_id": crew_id})


def change(task_id: str, version: int, cmid: str, status: str | None = None, **more: Any) -> dict[str, Any]:
    given = {"taskId": task_id, "expectedVersion": version, "clientMutationId": cmid, **more}
    return given | ({"status": status} if status else {})


def send(client: Any, bearer: str, document: str, **input: Any) -> dict[str, Any]:
    return answer(post(client, document, bearer, input=input))


@pytest.mark.parametrize("path", sorted(MOBILE.glob("*.graphql")), ids=lambda path: path.stem)
def test_given_a_mobile_operation_when_validated_then_it_matches_the_schema(path: Path) -> None:
    assert validate(schema._schema, parse(path.read_text())) == []


def test_given_a_crew_when_it_asks_for_its_tasks_then_only_its_open_ones_are_listed(client, token, container):
    add_task(container, "t-cancelled")
    change_status("t-cancelled", TaskStatus.CANCELLED, 1, None, SUPERVISOR, deps(container), NOW)

    tasks = answer(post(client, MY_TASKS, crew(token)))["data"]["myTasks"]

    assert [(t["id"], t["status"], t["version"], t["overdue"]) for t in tasks] == [("t1", "OPEN", 1, False)]
    assert tasks[0]["dueAt"] == (NOW + timedelta(minutes=30)).isoformat()


@pytest.mark.parametrize(
    ("roles", "claims"),
    [(("field_crew",), {}), (("operator",), {}), (("supervisor",), {"custom:crew_id": ""})],
)
def test_given_a_token_naming_no_crew_when_asking_for_crew_tasks_then_forbidden(client, token, roles, claims):
    bearer = token("utilities", roles, **claims)
    for document in (MY_TASKS, CHANGES):
        assert error_codes(answer(post(client, document, bearer))) == ["FORBIDDEN"]


def test_given_an_operator_token_carrying_another_agencys_crew_id_then_it_acts_as_no_crew(
    client, token, container
):
    """A crew id claim means something only on a field crew's token: on an operator's it grants nothing."""
    store(container, incident(3, "environment", sub_category="airPollution"))
    add_task(container, "t-env", crew="env-crew-1", incident_id="inc-environment-3", agency="environment")
    env_crew = Principal(
        "env-crew-1-member", "environment", frozenset({Role.FIELD_CREW}), crew_id="env-crew-1"
    )
    add_field_note("t-env", "Mask up at the gate", 1, None, env_crew, deps(container), NOW)
    bearer = token("utilities", ("operator",), sub="op-with-claim", **{"custom:crew_id": "env-crew-1"})

    listed = answer(post(client, MY_TASKS, bearer))
    changes = answer(post(client, CHANGES, bearer))
    read = answer(post(client, TASK, bearer, id="t-env"))["data"]["task"]
    acted = send(client, bearer, NOTE, **change("t-env", 2, "x-env", text="mine now"))
    said = [post(client, document, bearer).body for document in (MY_TASKS, CHANGES)]

    assert error_codes(listed) == ["FORBIDDEN"] and listed["data"] is None
    assert error_codes(changes) == ["FORBIDDEN"] and changes["data"] is None
    assert read is None
    assert error_codes(acted) == ["UNKNOWN_TASK"]
    assert not any(b"t-env" in body or b"Mask up" in body for body in said)
    assert [note.text for note in container.notes.notes_of("inc-environment-3")] == ["Mask up at the gate"]
    assert container.audit.trail("inc-environment-3", 10) == []


def test_given_the_crew_when_it_moves_its_task_along_then_each_step_is_on_the_timeline_with_where(
    client, token, container
):
    bearer = crew(token)
    send(client, bearer, ACK, **change("t1", 1, "m1", location=HERE))
    send(client, bearer, UPDATE, **change("t1", 2, "m2", "EN_ROUTE"))
    moved = send(
        client, bearer, UPDATE, **change("t1", 3, "m3", "ON_SCENE", location={"lat": 51.5, "lon": -0.12})
    )

    assert moved["data"]["updateTaskStatus"]["task"] | {"updatedAt": None} == {
        "id": "t1", "status": "ON_SCENE", "version": 4, "updatedAt": None, "location": {"lat": 51.5, "lon": -0.12}
    }  # fmt: skip
    timeline = answer(post(client, TASK, bearer, id="t1"))["data"]["task"]["timeline"]
    assert [(e["version"], e["action"], e["status"], e["location"], e["actor"]) for e in timeline] == [
        (1, "created", "OPEN", None, "sup"),
        (2, "status", "ACKNOWLEDGED", HERE, "crew-7-member"),
        (3, "status", "EN_ROUTE", None, "crew-7-member"),
        (4, "status", "ON_SCENE", {"lat": 51.5, "lon": -0.12}, "crew-7-member"),
    ]


def test_given_a_crew_when_it_cancels_then_forbidden_while_a_supervisor_may(client, token, container):
    refused = send(client, crew(token), UPDATE, **change("t1", 1, "c1", "CANCELLED"))
    cancelled = send(
        client, token("utilities", ("supervisor",)), UPDATE, **change("t1", 1, "c1", "CANCELLED")
    )

    assert error_codes(refused) == ["FORBIDDEN"]
    assert cancelled["data"]["updateTaskStatus"]["task"]["status"] == "CANCELLED"


def test_given_a_stale_version_when_changing_then_conflict_carries_the_current_version(client, token):
    bearer = crew(token)
    send(client, bearer, ACK, **change("t1", 1, "m1"))

    body = send(client, bearer, UPDATE, **change("t1", 1, "m2", "EN_ROUTE"))

    assert body["errors"][0]["extensions"] == {"code": "CONFLICT", "currentVersion": 2}


def test_given_a_dependency_not_done_then_the_task_is_acknowledged_but_blocked_until_it_is(
    client, token, container
):
    add_task(container, "t2", after=("t1",))
    bearer = crew(token)
    send(client, bearer, ACK, **change("t2", 1, "a2"))

    blocked = send(client, bearer, UPDATE, **change("t2", 2, "r2", "EN_ROUTE"))
    send(client, bearer, UPDATE, **change("t1", 1, "d1", "DONE"))
    started = send(client, bearer, UPDATE, **change("t2", 2, "r2-again", "EN_ROUTE"))

    assert error_codes(blocked) == ["TASK_BLOCKED"]
    assert started["data"]["updateTaskStatus"]["task"]["status"] == "EN_ROUTE"


def test_given_the_same_client_mutation_id_twice_then_the_first_answer_and_one_timeline_entry(
    client, token, container
):
    bearer, ack = crew(token), ACK.replace("updatedAt", "updatedAt timeline { version action }")
    first = send(client, bearer, ack, **change("t1", 1, "ack-1", location=HERE))
    send(client, bearer, UPDATE, **change("t1", 2, "go-1", "EN_ROUTE"))

    again = send(client, bearer, ack, **change("t1", 1, "ack-1", location=HERE))

    assert again == first  # the task as this change left it, though it has moved on since
    task = first["data"]["acknowledgeTask"]["task"]
    assert (task["version"], task["status"], task["location"]) == (2, "ACKNOWLEDGED", HERE)
    assert task["timeline"] == [{"version": 1, "action": "created"}, {"version": 2, "action": "status"}]
    assert [e.action for e in container.tasks.timeline("t1")] == ["created", "status", "status"]


@pytest.mark.parametrize("cmid", ["", "x" * 65, "tab\there"])
def test_given_a_malformed_client_mutation_id_then_invalid_input(client, token, cmid):
    assert error_codes(send(client, crew(token), ACK, **change("t1", 1, cmid))) == ["INVALID_INPUT"]


def test_given_a_client_mutation_id_used_for_another_change_then_refused_and_nothing_applied(
    client, token, container
):
    bearer = crew(token)
    send(client, bearer, ACK, **change("t1", 1, "same"))

    body = send(client, bearer, NOTE, **change("t1", 2, "same", text="Water rising"))

    assert error_codes(body) == ["CLIENT_MUTATION_ID_REUSED"]
    assert [e.action for e in container.tasks.timeline("t1")] == ["created", "status"]
    assert container.notes.notes_of(INC) == []


def test_given_a_photo_request_then_a_presigned_form_under_the_incidents_evidence_once(
    client, token, container
):
    bearer = crew(token)
    body = send(client, bearer, PHOTO, **change("t1", 1, "p1", contentType="image/jpeg", location=HERE))
    again = send(client, bearer, PHOTO, **change("t1", 1, "p1", contentType="image/jpeg", location=HERE))
    refused = send(client, bearer, PHOTO, **change("t1", 2, "p2", contentType="image/gif"))

    upload = body["data"]["requestPhotoUpload"]["upload"]
    assert upload["key"].startswith(f"evidence/{INC}/t1/") and upload["key"].endswith(".jpg")
    assert upload["fields"]["Content-Type"] == "image/jpeg" and upload["expiresInS"] == 600
    assert again == body and container.tasks.timeline("t1")[-1].detail == upload["key"]
    assert error_codes(refused) == ["UNSUPPORTED_MEDIA_TYPE"]


def test_given_another_crews_task_then_it_never_appears_and_cannot_be_changed(client, token):
    bearer = crew(token, "crew-8")

    listed = answer(post(client, MY_TASKS, bearer))["data"]["myTasks"]
    feed = answer(post(client, CHANGES, bearer))["data"]["changes"]
    read = answer(post(client, TASK, bearer, id="t1"))["data"]["task"]
    changed = send(client, bearer, ACK, **change("t1", 1, "x1"))

    assert [t["id"] for t in listed] == [t["id"] for t in feed["tasks"]] == ["t-other"]
    assert [i["id"] for i in feed["incidents"]] == [OTHER_INC] and read is None
    assert error_codes(changed) == ["UNKNOWN_TASK"]


def feed(client: Any, bearer: str, since: str | None) -> tuple[list[str], list[str], list[str], str]:
    found = answer(post(client, CHANGES, bearer, since=since))["data"]["changes"]
    ids = [[item["id"] for item in found[kind]] for kind in ("tasks", "incidents", "notes")]
    return ids[0], ids[1], ids[2], found["cursor"]


def test_given_a_cursor_when_asking_for_changes_then_only_what_changed_since(client, token, container, clock):
    container.notes.add(Note("n-desk", INC, "op", "utilities", "Gauge checked", AccessLevel.OPERATIONAL, NOW))
    bearer, operator = crew(token), token("utilities", ("operator",))
    tasks, incidents, notes, cursor = feed(client, bearer, None)
    assert (tasks, incidents, notes) == (["t1"], [INC], ["n-desk"])
    assert feed(client, bearer, cursor)[:3] == ([], [], [])

    clock.now += timedelta(minutes=1)
    note = send(client, bearer, NOTE, **change("t1", 1, "n1", text="Water at the kerb"))
    assert feed(client, bearer, cursor)[:3] == (["t1"], [], [note["data"]["addFieldNote"]["note"]["id"]])
    cursor = feed(client, bearer, cursor)[3]

    version = container.incidents.get(INC).version
    send(client, operator, VERIFY, incidentId=INC, expectedVersion=version)
    assert feed(client, bearer, cursor)[:3] == ([], [INC], [])
    cursor = feed(client, bearer, cursor)[3]

    send(client, bearer, UPDATE, **change("t1", 2, "d1", "DONE"))
    tasks, incidents, notes, cursor = feed(client, bearer, cursor)
    assert (tasks, incidents, notes) == (
        ["t1"],
        [],
        [],
    )  # the closed task once; its incident is no longer theirs
    assert feed(client, bearer, cursor)[:3] == ([], [], [])


def test_given_notes_written_in_the_same_instant_when_following_changes_then_each_is_reported_once(
    client, token
):
    bearer, reported, written = crew(token), [], []
    cursor = feed(client, bearer, None)[3]
    for version in (1, 2, 3):
        body = send(client, bearer, NOTE, **change("t1", version, f"n{version}", text=f"Reading {version}"))
        written.append(body["data"]["addFieldNote"]["note"]["id"])
        _, _, notes, cursor = feed(client, bearer, cursor)
        reported += notes

    assert reported == written


def test_given_another_agencys_crew_tasked_on_the_incident_then_changes_show_it_at_operational_and_audit_it(
    client, token, container
):
    add_task(container, "t-help", crew="crew-e1")
    for level in (AccessLevel.OPERATIONAL, AccessLevel.RESTRICTED):
        container.notes.add(Note(f"n-{level.name}", INC, "sup", "utilities", level.name, level, NOW))
    query = (
        "{ changes { incidents { id accessLevel location { lat } deviceIds grants { id } } notes { id } } }"
    )

    body = answer(post(client, query, crew(token, "crew-e1", agency="emergency")))

    [shown] = body["data"]["changes"]["incidents"]
    assert shown == {
        "id": INC,
        "accessLevel": "OPERATIONAL",
        "location": {"lat": 51.5},
        "deviceIds": None,
        "grants": None,
    }
    assert [note["id"] for note in body["data"]["changes"]["notes"]] == ["n-OPERATIONAL"]
    assert {("changes", "incidents", 0, name) for name in ("deviceIds", "grants")} <= set(
        map(tuple, body["extensions"]["redacted"])
    )
    [read] = container.audit.trail(INC, 10)
    assert (read.subject, read.basis, read.level) == (
        "crew-e1-member",
        "task:t-help",
        AccessLevel.OPERATIONAL,
    )


class ReadGate:
    """A repository whose `get` holds each request's first read until all `parties` have read: every writer
    then holds the same version, passes the service's version check, and only the storage's conditional
    write can refuse it (the worst interleaving, every time, not whatever the scheduler happens to do)."""

    def __init__(self, repository: Any, parties: int) -> None:
        self._repository, self._read = repository, set[int]()
        self._everyone_read = threading.Barrier(parties, timeout=30)  # a timeout only so a bug cannot hang

    def get(self, item_id: str) -> Any:
        found = self._repository.get(item_id)
        if threading.get_ident() not in self._read:  # a request's first read; later ones pass
            self._read.add(threading.get_ident())
            self._everyone_read.wait()
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repository, name)


def in_parallel(
    container: Container, requests: list[tuple[str, str, dict[str, Any]]], gate: str
) -> list[dict[str, Any]]:
    """Every request at once, each through its own Chalice app and test client (Chalice keeps the current
    request on the app) over the same container whose `gate` repository holds readers until all have read.
    The test client swaps os.environ per request: it is put back."""
    gated = replace(container, **{gate: ReadGate(getattr(container, gate), len(requests))})
    environment = os.environ

    def one(request: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
        document, bearer, variables = request
        with graphql_client(gated) as client:
            return answer(post(client, document, bearer, **variables))

    try:
        with ThreadPoolExecutor(len(requests)) as pool:
            return list(pool.map(one, requests))
    finally:
        os.environ = environment  # noqa: B003 - put back the very mapping the test client swapped out


def assert_one_accepted(answers: list[dict[str, Any]], current_version: int) -> int:
    """Exactly one answer without errors, every other a CONFLICT naming the version it produced."""
    accepted = [number for number, body in enumerate(answers) if "errors" not in body]
    refused = [body["errors"][0]["extensions"] for body in answers if "errors" in body]
    assert len(accepted) == 1
    assert refused == [{"code": "CONFLICT", "currentVersion": current_version}] * (len(answers) - 1)
    return accepted[0]


RACES = {
    "status": (UPDATE, {"status": "ACKNOWLEDGED"}, "status"),
    "note": (NOTE, {"text": "Barrier in place"}, "note"),
}


def race_on_t1(container: Container, bearer: str, document: str, extra: dict[str, Any]) -> int:
    requests = [
        (
            document,
            bearer,
            {"input": change("t1", 1, f"race-{n}", location={"lat": 51 + n / 100, "lon": 0.0}) | extra},
        )
        for n in range(20)
    ]
    winner = assert_one_accepted(in_parallel(container, requests, "tasks"), current_version=2)
    return winner


@pytest.mark.parametrize("race", sorted(RACES))
def test_given_20_crew_devices_changing_one_version_at_once_then_one_is_accepted_and_on_the_timeline(
    token, container, race
):
    document, extra, action = RACES[race]

    winner = race_on_t1(container, crew(token), document, extra)

    timeline = container.tasks.timeline("t1")
    assert [(e.version, e.action, e.lat) for e in timeline] == [
        (1, "created", None),
        (2, action, 51 + winner / 100),
    ]
    assert len([n for n in container.notes.notes_of(INC) if n.author == "crew-7-member"]) == (race == "note")


class RetryRecallsLate:
    """A mutation log where a request's second look (after its CONFLICT) comes once the winner's answer is
    kept: how a retry that raced its original, and lost, sees the log when the timing is the usual one."""

    def __init__(self, log: Any) -> None:
        self._log, self._kept, self._asked = log, threading.Event(), set[int]()

    def recall(self, subject: str, client_mutation_id: str) -> Any:
        if threading.get_ident() in self._asked:
            self._kept.wait(30)  # a timeout only so a bug cannot hang
        self._asked.add(threading.get_ident())
        return self._log.recall(subject, client_mutation_id)

    def remember(self, *kept: Any) -> bool:
        remembered = bool(self._log.remember(*kept))
        self._kept.set()
        return remembered


def test_given_a_change_and_its_retries_racing_when_the_retries_lose_then_they_get_the_first_answer(
    token, container
):
    retrying = replace(container, mutations=RetryRecallsLate(container.mutations))
    requests = [(UPDATE, crew(token), {"input": change("t1", 1, "once", "ACKNOWLEDGED", location=HERE)})] * 5

    answers = in_parallel(retrying, requests, "tasks")

    assert all(body == answers[0] for body in answers) and "errors" not in answers[0]
    assert [e.action for e in container.tasks.timeline("t1")] == ["created", "status"]


def test_given_20_operators_verifying_one_incident_version_at_once_then_one_is_accepted(token, container):
    version = container.incidents.get(INC).version
    bearer = token("utilities", ("operator",))
    requests = [(VERIFY, bearer, {"input": {"incidentId": INC, "expectedVersion": version}})] * 20

    assert_one_accepted(in_parallel(container, requests, "incidents"), current_version=version + 1)

    stored = container.incidents.get(INC)
    assert (stored.status.value, stored.version) == ("verified", version + 1)


@pytest.fixture
def atomic_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's in-process DynamoDB is not thread-safe (a transaction checks, writes and rolls back whole
    tables without a lock): each emulated request is made atomic, as DynamoDB applies each one. Requests
    of different threads still interleave between calls: read, version check, conditional write."""
    original, lock = BotocoreStubber.process_request, threading.Lock()

    def one_at_a_time(self: BotocoreStubber, request: Any) -> Any:
        with lock:
            return original(self, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", one_at_a_time)


def test_given_the_dynamodb_adapters_when_20_devices_race_on_one_task_version_then_one_is_accepted(
    aws: EmulatedAws, atomic_moto: None, tmp_path: Path, signing_key: Any, token: Any
):
    built = build_aws_container(aws.settings)
    built.token_verifier = jwks_verifier(tmp_path, signing_key)
    event = make_event("evt-flood", sub_category="flood")
    built.incidents.record_event(event, open_incident(event, INC, "utilities"), is_new=True)
    add_task(built, "t1")

    winner = race_on_t1(built, crew(token), UPDATE, {"status": "ACKNOWLEDGED"})

    timeline = built.tasks.timeline("t1")
    assert [(e.version, e.status, e.lat) for e in timeline] == [
        (1, "open", None),
        (2, "acknowledged", 51 + winner / 100),
    ]
    assert (built.tasks.get("t1").status, built.tasks.get("t1").version) == ("acknowledged", 2)


QUEUE = [
    (ACK, change("t1", 1, "q-ack", location=HERE)),
    (UPDATE, change("t1", 2, "q-go", "EN_ROUTE", location=HERE)),
    (NOTE, change("t1", 3, "q-note", text="Road flooded, detour", location=HERE)),
    (UPDATE, change("t1", 4, "q-there", "ON_SCENE", location=HERE)),
]


def replay(client: Any, bearer: str, queue: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """What an offline app does on reconnect: send the queue, keep what is answered, retry CONFLICTs later."""
    answers: dict[str, Any] = {}
    pending = list(queue)
    for _round in range(len(queue)):
        still = []
        for document, given in pending:
            body = send(client, bearer, document, **given)
            if error_codes(body) == ["CONFLICT"]:
                still.append((document, given))
            else:
                answers[given["clientMutationId"]] = body
        pending = still
    assert pending == []
    return answers


ORDERS = {"in order": list(range(4)), "reversed": [3, 2, 1, 0]} | {
    f"shuffled {seed}": random.Random(seed).sample(range(4), 4) for seed in (1, 2, 3)
}


@pytest.mark.parametrize("order", sorted(ORDERS))
def test_given_an_offline_queue_replayed_twice_in_any_order_then_the_task_ends_the_same(
    client, token, container, order
):
    bearer = crew(token)
    queue = [QUEUE[index] for index in ORDERS[order]]

    first = replay(client, bearer, queue)
    second = replay(client, bearer, list(reversed(queue)))

    assert second == first and all("errors" not in body for body in first.values())
    task = answer(post(client, TASK, bearer, id="t1"))["data"]["task"]
    assert (task["status"], task["version"], task["location"]) == ("ON_SCENE", 5, HERE)
    assert [(e["version"], e["action"], e["status"]) for e in task["timeline"]] == [
        (1, "created", "OPEN"),
        (2, "status", "ACKNOWLEDGED"),
        (3, "status", "EN_ROUTE"),
        (4, "note", "EN_ROUTE"),
        (5, "status", "ON_SCENE"),
    ]
    assert [n.text for n in container.notes.notes_of(INC)] == ["Road flooded, detour"]


ASSIGN = (MOBILE.parent / "console" / "AssignTask.graphql").read_text()


def test_given_a_supervisor_assigning_a_task_then_the_new_crew_sees_it_and_a_retry_applies_once(
    client, token, container
):
    supervisor = token("utilities", ("supervisor",))
    first = send(
        client, supervisor, ASSIGN, taskId="t1", crewId="crew-9", expectedVersion=1, clientMutationId="a1"
    )
    again = send(
        client, supervisor, ASSIGN, taskId="t1", crewId="crew-9", expectedVersion=1, clientMutationId="a1"
    )

    assert first == again
    assert first["data"]["assignTask"]["task"] == {
        "id": "t1",
        "crewId": "crew-9",
        "status": "OPEN",
        "version": 2,
    }
    assert [t["id"] for t in answer(post(client, MY_TASKS, crew(token, "crew-9")))["data"]["myTasks"]] == [
        "t1"
    ]
    assert answer(post(client, MY_TASKS, crew(token)))["data"]["myTasks"] == []


def test_given_a_crew_member_then_assigning_tasks_is_refused(client, token, container):
    body = send(
        client, crew(token), ASSIGN, taskId="t1", crewId="crew-9", expectedVersion=1, clientMutationId="a2"
    )
    assert error_codes(body) == ["FORBIDDEN"]
