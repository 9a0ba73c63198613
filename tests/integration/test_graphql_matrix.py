"""The authorisation matrix of docs/authorization.md, field by field, through POST /graphql.

For every (situation, role) pair of the "Level by role and situation" table, an in-memory container holds
that situation (incident, policies, grants, tasks as tests/support/authorization_table.py builds them) with
data behind every field: a recent event, a task (the situation's own for the crew situations, else one of an
unrelated crew of the owner), a note at each visibility, a device in source_confidence, and a revoked grant
to a bystander agency (so Grant fields carry values and no one's level changes). The caller asks for every
field the schema has; a field must be non-null exactly when the "Level each field needs" table says its
level is at or below the caller's documented level, and every nulled field must be in `extensions.redacted`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.bootstrap import Container
from chalicelib.domain.access.sharing import Grant
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.response.tasks import CrewTask, TaskStatus
from tests.support.authorization_table import (
    LAT,
    LON,
    NOW,
    OWNER,
    SITUATIONS,
    Situation,
    field_levels,
    principal,
    situation_levels,
)
from tests.support.graphql_client import Answer, GraphQLCaller, every_field, object_below, object_type

LEVELS = situation_levels()
FIELDS = field_levels()
PAIRS = [pytest.param(situation, role, id=f"{situation}-{role}") for situation, role in LEVELS]
VISIBILITIES = [AccessLevel.PUBLIC, AccessLevel.SUMMARY, AccessLevel.OPERATIONAL, AccessLevel.RESTRICTED]
DEVICE = "aq-001"
BYSTANDER = "police"
ResponsePath = tuple[str | int, ...]

INCIDENT = f"query ($id: ID!) {{ incident(id: $id) {every_field('Incident')} }}"
# A page of 50 cannot carry notes and grants (one storage read each, priced out by the cost limit) nor ten
# events each: the list asks for every other field, and for one event per incident.
NOT_LISTED = frozenset({"notes", "grants"})
LISTED_FIELDS = every_field(
    "Incident", frozenset(f"Incident.{name}" for name in NOT_LISTED), {"Incident.events": "(first: 1)"}
)
INCIDENTS = f"{{ incidents(first: 50) {{ edges {{ cursor node {LISTED_FIELDS} }} }} }}"


@pytest.fixture(scope="module")
def caller(tmp_path_factory: pytest.TempPathFactory) -> GraphQLCaller:
    return GraphQLCaller(tmp_path_factory.mktemp("jwks"))


def recent_event(incident_id: str) -> DetectionEvent:
    return DetectionEvent(
        f"evt-{incident_id}",
        DEVICE,
        "airPollution",
        Severity.HIGH,
        0.8,
        255.0,
        LAT,
        LON,
        NOW - timedelta(minutes=5),
        "threshold",
        "PM2.5 180 µg/m³",
        {"metric": "pm2_5", "value": 180.0, "unit": "µg/m³"},
    )


def note(incident_id: str, visibility: AccessLevel) -> Note:
    created = NOW - timedelta(minutes=20 - int(visibility))
    return Note(
        f"note-{visibility.name.lower()}",
        incident_id,
        "operator-1",
        OWNER,
        f"{visibility.name} note",
        visibility,
        created,
    )


def bystander_grant(incident_id: str) -> Grant:
    return Grant(
        "gra-bystander",
        incident_id,
        OWNER,
        BYSTANDER,
        AccessLevel.OPERATIONAL,
        NOW + timedelta(hours=2),
        "joint response, called off",
        "supervisor-1",
        NOW - timedelta(hours=1),
        revoked_at=NOW - timedelta(minutes=30),
        revoked_by="supervisor-1",
    )


def hold(container: Container, built: Situation) -> Situation:
    """Store the situation with data behind every field; returns it as stored."""
    incident = replace(
        built.incident,
        recent_events=[recent_event(built.incident.incident_id)],
        source_confidence={DEVICE: 0.8},
    )
    incident_id = incident.incident_id
    tasks = built.tasks or [CrewTask("task-unrelated", incident_id, OWNER, "crew-9", TaskStatus.EN_ROUTE)]
    grants = [*built.grants, bystander_grant(incident_id)]
    container.incidents.put(incident)  # type: ignore[attr-defined]
    for policy in built.policies:
        container.sharing.put_policy(policy, None)
    for grant in grants:
        container.sharing.add_grant(grant)
    for task in tasks:
        container.tasks.add(task)
    for visibility in VISIBILITIES:
        container.notes.add(note(incident_id, visibility))
    return Situation(incident, built.policies, grants, tasks, built.caller_agency)


@dataclass(frozen=True)
class Served:
    path: ResponsePath
    type_name: str
    field_name: str
    value: Any

    @property
    def required(self) -> AccessLevel | None:
        """The documented level of this field; None for types outside the table (GeoPoint, Grant)."""
        return FIELDS.get((self.type_name, self.field_name))


def served(node: dict[str, Any], type_name: str, path: ResponsePath) -> Iterator[Served]:
    """Every field of a response object and, below, of the objects it holds, with its response path."""
    for name, value in node.items():
        yield Served((*path, name), type_name, name, value)
        below = object_below(type_name, name)
        if value is None or below is None:
            continue
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from served(item, below, (*path, name, index))
        else:
            yield from served(value, below, (*path, name))


def assert_fields_follow_the_table(
    node: dict[str, Any], path: ResponsePath, level: AccessLevel, left_out: frozenset[str] = frozenset()
) -> list[ResponsePath]:
    """Every field of the schema's Incident but `left_out` was answered; each documented field is non-null
    exactly when its level is at or below `level`, every other field is non-null. Returns the paths that
    had to be redacted."""
    fields = list(served(node, "Incident", path))
    nulls = sorted(f.path for f in fields if f.value is None)
    above = sorted(f.path for f in fields if f.required is not None and f.required > level)
    assert nulls == above
    assert set(node) == set(object_type("Incident").fields) - left_out
    return above


def ask(caller: GraphQLCaller, situation: str, role: str, query: str) -> tuple[Situation, Answer]:
    container = caller.container(NOW)
    stored = hold(container, SITUATIONS[situation]())
    with caller.session(container) as session:
        return stored, session.ask(
            principal(role, stored.caller_agency), query, id=stored.incident.incident_id
        )


@pytest.mark.parametrize(("situation", "role"), PAIRS)
def test_given_a_role_in_a_situation_when_it_reads_every_field_then_exactly_the_documented_fields_are_shown(
    caller: GraphQLCaller, situation: str, role: str
) -> None:
    level = LEVELS[(situation, role)]

    stored, answer = ask(caller, situation, role, INCIDENT)

    shown = answer.body["data"]["incident"]
    assert "errors" not in answer.body
    if level == AccessLevel.NONE:
        assert answer.body == {"data": {"incident": None}}
        return
    above = assert_fields_follow_the_table(shown, ("incident",), level)
    assert sorted(map(tuple, answer.redacted)) == above
    assert shown["accessLevel"] == level.name
    assert [n["visibility"] for n in shown["notes"]] == [v.name for v in VISIBILITIES if v <= level]
    if level >= AccessLevel.OPERATIONAL:
        assert [task["id"] for task in shown["tasks"]] == [task.task_id for task in stored.tasks]
        assert [event["description"] for event in shown["events"]] == ["PM2.5 180 µg/m³"]
    if level >= AccessLevel.RESTRICTED:
        assert shown["deviceIds"] == [DEVICE] and shown["events"][0]["deviceId"] == DEVICE
        assert [grant["id"] for grant in shown["grants"]] == [grant.grant_id for grant in stored.grants]


@pytest.mark.parametrize(("situation", "role"), PAIRS)
def test_given_a_role_in_a_situation_when_it_lists_incidents_then_the_incident_is_there_exactly_at_the_documented_level(
    caller: GraphQLCaller, situation: str, role: str
) -> None:
    level = LEVELS[(situation, role)]
    lowest_listed = AccessLevel.PUBLIC if role == "public" else AccessLevel.SUMMARY

    stored, answer = ask(caller, situation, role, INCIDENTS)

    edges = answer.body["data"]["incidents"]["edges"]
    assert "errors" not in answer.body
    assert [edge["node"]["id"] for edge in edges] == (
        [stored.incident.incident_id] if level >= lowest_listed else []
    )
    above = [
        path
        for index, edge in enumerate(edges)
        for path in assert_fields_follow_the_table(
            edge["node"], ("incidents", "edges", index, "node"), level, NOT_LISTED
        )
    ]
    assert sorted(map(tuple, answer.redacted)) == sorted(above)


def test_given_the_published_schema_then_every_field_of_the_protected_types_has_a_documented_level() -> None:
    for type_name in ("Incident", "DetectionEvent", "Task", "Note"):
        assert {name for kind, name in FIELDS if kind == type_name} == set(object_type(type_name).fields)
