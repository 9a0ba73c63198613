"""Task lifecycle, dependencies, versions and the timeline, with in-memory repositories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.bootstrap import build_memory_container
from chalicelib.domain.categories import Severity
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.domain.incidents.incident import Incident, IncidentStatus
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.response.tasks import Location, TaskStatus, is_overdue
from chalicelib.services.response.manage_tasks import (
    NewTask,
    TaskDependencies,
    add_field_note,
    assign_crew,
    change_status,
    create_task,
    request_photo_upload,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CREW = Principal("crew-7-member", "utilities", frozenset({Role.FIELD_CREW}), crew_id="crew-7")
OTHER_CREW = Principal("crew-8-member", "utilities", frozenset({Role.FIELD_CREW}), crew_id="crew-8")
SUPERVISOR = Principal("sup", "utilities", frozenset({Role.SUPERVISOR}))
OPERATOR = Principal("op", "utilities", frozenset({Role.OPERATOR}))
HERE = Location(51.5, -0.12)


@pytest.fixture
def deps() -> TaskDependencies:
    container = build_memory_container()
    incident = Incident(
        "inc-1", "utilities", "flood", IncidentStatus.OPEN, Severity.HIGH, 0.9, "Flood", 51.5, -0.12,
        "88194ad30dfffff", NOW, NOW, 1, 200.0,
    )  # fmt: skip
    container.incidents.put(incident)  # type: ignore[attr-defined]
    return TaskDependencies(container.tasks, container.incidents, container.notes, container.media)


def new(deps: TaskDependencies, task_id: str, depends_on: tuple[str, ...] = ()) -> str:
    command = NewTask("inc-1", "utilities", "Deploy barriers", 30, "crew-7", depends_on, task_id)
    return create_task(command, "playbook:flood-level@1/barriers", deps, NOW).task_id


def test_given_a_new_task_then_it_is_open_with_its_sla_and_a_created_entry(deps):
    task = deps.tasks.get(new(deps, "t1"))
    assert (task.status, task.version, task.due_at) == ("open", 1, NOW + timedelta(minutes=30))
    assert [e.action for e in deps.tasks.timeline("t1")] == ["created"]
    assert deps.incidents.get("inc-1").task_ids == ["t1"]
    assert is_overdue(task, NOW + timedelta(minutes=31)) and not is_overdue(task, NOW)


def test_given_the_crew_when_it_moves_the_task_forward_then_each_step_is_on_the_timeline(deps):
    new(deps, "t1")
    for version, status in enumerate(
        (TaskStatus.ACKNOWLEDGED, TaskStatus.ON_SCENE, TaskStatus.DONE), start=1
    ):
        change_status("t1", status, version, HERE, CREW, deps, NOW + timedelta(minutes=version))
    timeline = deps.tasks.timeline("t1")
    assert [(e.version, e.status, e.actor) for e in timeline[1:]] == [
        (2, "acknowledged", "crew-7-member"),
        (3, "on_scene", "crew-7-member"),
        (4, "done", "crew-7-member"),
    ]
    assert all((e.lat, e.lon) == (51.5, -0.12) for e in timeline[1:])


@pytest.mark.parametrize(
    ("steps", "code"),
    [
        ([TaskStatus.EN_ROUTE, TaskStatus.ACKNOWLEDGED], "INVALID_TRANSITION"),
        ([TaskStatus.DONE, TaskStatus.ON_SCENE], "TASK_CLOSED"),
    ],
)
def test_given_a_backward_or_closed_move_then_it_is_refused_with_a_code(deps, steps, code):
    new(deps, "t1")
    change_status("t1", steps[0], 1, None, CREW, deps, NOW)
    with pytest.raises(InvalidInput) as raised:
        change_status("t1", steps[1], 2, None, CREW, deps, NOW)
    assert raised.value.code == code


def test_given_a_dependency_not_done_then_the_task_may_be_acknowledged_but_not_started(deps):
    new(deps, "barriers")
    new(deps, "evacuate", depends_on=("barriers",))
    change_status("evacuate", TaskStatus.ACKNOWLEDGED, 1, None, CREW, deps, NOW)
    with pytest.raises(InvalidInput) as raised:
        change_status("evacuate", TaskStatus.EN_ROUTE, 2, None, CREW, deps, NOW)
    assert raised.value.code == "TASK_BLOCKED"
    change_status("barriers", TaskStatus.DONE, 1, None, CREW, deps, NOW)
    assert change_status("evacuate", TaskStatus.EN_ROUTE, 2, None, CREW, deps, NOW).status == "en_route"


def test_given_a_stale_version_then_conflict_carries_the_current_one_and_nothing_is_recorded(deps):
    new(deps, "t1")
    change_status("t1", TaskStatus.ACKNOWLEDGED, 1, None, CREW, deps, NOW)
    with pytest.raises(Conflict) as raised:
        change_status("t1", TaskStatus.EN_ROUTE, 1, None, OPERATOR, deps, NOW)
    assert raised.value.current_version == 2
    assert len(deps.tasks.timeline("t1")) == 2


def test_given_someone_else_then_the_task_does_not_exist_for_them_and_crews_cannot_cancel(deps):
    new(deps, "t1")
    with pytest.raises(NotFound):
        change_status("t1", TaskStatus.ACKNOWLEDGED, 1, None, OTHER_CREW, deps, NOW)
    with pytest.raises(Forbidden):
        change_status("t1", TaskStatus.CANCELLED, 1, None, CREW, deps, NOW)
    assert change_status("t1", TaskStatus.CANCELLED, 1, None, SUPERVISOR, deps, NOW).status == "cancelled"


def test_given_a_field_note_and_a_photo_then_both_are_recorded_on_the_incident_and_the_timeline(deps):
    new(deps, "t1")
    task, note = add_field_note("t1", "  water at the kerb  ", 1, HERE, CREW, deps, NOW)
    task, key, form = request_photo_upload("t1", "image/jpeg", 2, HERE, CREW, deps, NOW)
    assert [n.text for n in deps.notes.notes_of("inc-1")] == ["water at the kerb"]
    assert key.startswith("evidence/inc-1/t1/") and key.endswith(".jpg")
    assert form["fields"]["key"] == key
    assert [e.action for e in deps.tasks.timeline("t1")] == ["created", "note", "photo"]
    assert task.version == 3


def test_given_a_field_note_then_it_holds_up_to_4000_characters_like_any_note_on_the_incident(deps):
    new(deps, "t1")
    _, note = add_field_note("t1", "x" * 4000, 1, None, CREW, deps, NOW)
    assert len(note.text) == 4000
    with pytest.raises(InvalidInput) as refused:
        add_field_note("t1", "x" * 4001, 2, None, CREW, deps, NOW)
    assert refused.value.code == "INVALID_NOTE"


def test_given_a_supervisor_when_assigning_a_crew_then_the_crew_sees_it_and_the_timeline_says_who(deps):
    create_task(NewTask("inc-1", "utilities", "Clear the culvert", 45), "sup", deps, NOW)
    [task] = [t for t in deps.tasks.items.values()]  # type: ignore[attr-defined]

    assigned = assign_crew(task.task_id, "crew-7", 1, SUPERVISOR, deps, NOW)

    assert (assigned.crew_id, assigned.version) == ("crew-7", 2)
    assert [t.task_id for t in deps.tasks.open_tasks_of_crew("crew-7")] == [task.task_id]
    assert [(e.action, e.actor, e.detail) for e in deps.tasks.timeline(task.task_id)][-1] == (
        "assigned",
        "sup",
        "crew-7",
    )


def test_given_a_crew_or_a_closed_task_then_assigning_is_refused(deps):
    new(deps, "t1")
    with pytest.raises(Forbidden):
        assign_crew("t1", "crew-9", 1, CREW, deps, NOW)
    change_status("t1", TaskStatus.CANCELLED, 1, None, SUPERVISOR, deps, NOW)
    with pytest.raises(InvalidInput) as raised:
        assign_crew("t1", "crew-9", 2, SUPERVISOR, deps, NOW)
    assert raised.value.code == "TASK_CLOSED"
