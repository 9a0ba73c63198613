"""Sharing policies, grants, crews' tasks, notes and the audit trail: the same assertions on the in-memory
fakes and on DynamoDB (`storage` fixture), then what only DynamoDB can show (requests made)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters.dynamodb.repositories import DynamoAuditLog
from chalicelib.adapters.memory import MemoryRoutingTable
from chalicelib.domain.access.audit import AuditEntry
from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.incidents.correlation import open_incident
from chalicelib.domain.incidents.notes import Note
from chalicelib.domain.response.tasks import CrewTask, Location, TaskStatus, changed
from chalicelib.services.incidents.correlate_event import correlate_event, incident_id_for
from tests.integration.conftest import T0, EmulatedAws, Storage, StoredIncidents, make_event


def make_policy(policy_id: str, **changes: Any) -> SharingPolicy:
    policy = SharingPolicy(
        policy_id=policy_id,
        owner_agency="environment",
        grantee_agency="emergency",
        category="environment",
        sub_category=None,
        level=AccessLevel.OPERATIONAL,
        area_cells=frozenset({"88195da49bfffff", "87195da49ffffff"}),
        created_by="sub-supervisor",
    )
    return replace(policy, **changes)


def make_grant(grant_id: str, **changes: Any) -> Grant:
    grant = Grant(
        grant_id=grant_id,
        incident_id="inc-1",
        owner_agency="police",
        grantee_agency="transport",
        level=AccessLevel.SUMMARY,
        expires_at=T0 + timedelta(hours=4),
        reason="road closure around the scene",
        created_by="sub-supervisor",
        created_at=T0,
    )
    return replace(grant, **changes)


def open_one_incident(incidents: StoredIncidents, incident_id: str = "inc-1") -> None:
    event = make_event(f"evt-{incident_id}", T0)
    incidents.record_event(event, open_incident(event, incident_id, "environment"), is_new=True)


# --- sharing policies ------------------------------------------------------------------------------------


def test_given_policies_when_read_by_grantee_or_owner_then_each_comes_back_whole_by_id(
    storage: Storage,
) -> None:
    sharing = storage.sharing
    created = [
        sharing.put_policy(make_policy("pol-2"), None),
        sharing.put_policy(make_policy("pol-1", sub_category="flood", area_cells=frozenset()), None),
        sharing.put_policy(make_policy("pol-3", owner_agency="transport", level=AccessLevel.SUMMARY), None),
        sharing.put_policy(make_policy("pol-4", grantee_agency="police"), None),
    ]
    assert [policy.version for policy in created] == [1, 1, 1, 1]
    assert sharing.get_policy("pol-1") == make_policy("pol-1", sub_category="flood", area_cells=frozenset())
    assert sharing.get_policy("pol-404") is None
    assert sharing.policies_for_grantee("emergency") == sorted(
        created[:3], key=lambda policy: policy.policy_id
    )
    assert [policy.policy_id for policy in sharing.policies_of_owner("environment")] == [
        "pol-1",
        "pol-2",
        "pol-4",
    ]
    assert sharing.policies_for_grantee("sanitation") == []


def test_given_a_policy_when_two_editors_save_from_the_same_version_then_the_second_gets_a_conflict(
    storage: Storage,
) -> None:
    sharing = storage.sharing
    sharing.put_policy(make_policy("pol-1"), None)
    first = sharing.put_policy(make_policy("pol-1", level=AccessLevel.RESTRICTED), expected_version=1)
    assert first.version == 2

    with pytest.raises(Conflict) as refused:
        sharing.put_policy(make_policy("pol-1", level=AccessLevel.PUBLIC), expected_version=1)

    assert refused.value.current_version == 2
    assert sharing.get_policy("pol-1") == first
    with pytest.raises(Conflict) as taken:
        sharing.put_policy(make_policy("pol-1"), None)
    assert taken.value.current_version == 2
    with pytest.raises(NotFound):
        sharing.put_policy(make_policy("pol-404"), expected_version=1)


def test_given_a_policy_when_deleted_then_only_at_its_current_version(storage: Storage) -> None:
    sharing = storage.sharing
    sharing.put_policy(make_policy("pol-1"), None)
    sharing.put_policy(make_policy("pol-1"), expected_version=1)
    with pytest.raises(Conflict) as refused:
        sharing.delete_policy("pol-1", expected_version=1)
    assert refused.value.current_version == 2
    assert sharing.get_policy("pol-1") is not None

    sharing.delete_policy("pol-1", expected_version=2)

    assert sharing.get_policy("pol-1") is None
    assert sharing.policies_for_grantee("emergency") == []
    with pytest.raises(NotFound):
        sharing.delete_policy("pol-1", expected_version=2)


# --- grants --------------------------------------------------------------------------------------------


def test_given_grants_when_read_by_grantee_then_revoked_ones_are_left_out_and_expired_ones_kept(
    storage: Storage,
) -> None:
    sharing = storage.sharing
    expired = make_grant("gr-1", expires_at=T0 - timedelta(minutes=1))
    live = make_grant("gr-2")
    for grant in (
        expired,
        live,
        make_grant("gr-3"),
        make_grant("gr-4", grantee_agency="utilities", incident_id="inc-2"),
    ):
        sharing.add_grant(grant)

    revoked = sharing.revoke_grant("gr-3", "sub-owner", T0 + timedelta(minutes=30))

    assert revoked == replace(
        make_grant("gr-3"), revoked_by="sub-owner", revoked_at=T0 + timedelta(minutes=30)
    )
    assert sharing.grants_for_grantee("transport") == [expired, live]
    assert sharing.grants_of_incident("inc-1") == [expired, live, revoked]
    assert sharing.get_grant("gr-3") == revoked
    assert sharing.get_grant("gr-404") is None


def test_given_a_grant_when_revoked_twice_then_the_second_revocation_is_refused(storage: Storage) -> None:
    sharing = storage.sharing
    sharing.add_grant(make_grant("gr-1"))
    first = sharing.revoke_grant("gr-1", "sub-owner", T0 + timedelta(minutes=5))
    with pytest.raises(Conflict):
        sharing.revoke_grant("gr-1", "sub-other", T0 + timedelta(minutes=6))
    assert sharing.get_grant("gr-1") == first and first.revoked_by == "sub-owner"
    with pytest.raises(NotFound):
        sharing.revoke_grant("gr-404", "sub-owner", T0)
    with pytest.raises(Conflict):
        sharing.add_grant(make_grant("gr-1", reason="again"))
    assert sharing.get_grant("gr-1") == first


# --- crews' tasks ---------------------------------------------------------------------------------------


def test_given_an_incident_when_tasks_are_added_then_it_lists_them_at_a_new_version(storage: Storage) -> None:
    open_one_incident(storage.incidents)
    storage.tasks.add(CrewTask("task-1", "inc-1", "environment", "crew-7"))
    storage.tasks.add(CrewTask("task-2", "inc-1", "environment", None))

    incident = storage.incidents.get("inc-1")

    assert incident is not None and incident.task_ids == ["task-1", "task-2"] and incident.version == 3
    assert storage.tasks.get_many(["task-2", "task-404", "task-1"]) == {
        "task-1": CrewTask("task-1", "inc-1", "environment", "crew-7"),
        "task-2": CrewTask("task-2", "inc-1", "environment", None),
    }
    assert storage.tasks.get_many([]) == {}


def test_given_a_task_for_a_missing_incident_or_a_taken_id_when_added_then_nothing_is_stored(
    storage: Storage,
) -> None:
    open_one_incident(storage.incidents)
    storage.tasks.add(CrewTask("task-1", "inc-1", "environment", "crew-7"))
    with pytest.raises(NotFound):
        storage.tasks.add(CrewTask("task-2", "inc-404", "environment", "crew-7"))
    with pytest.raises(Conflict):
        storage.tasks.add(CrewTask("task-1", "inc-1", "environment", "crew-8"))
    incident = storage.incidents.get("inc-1")
    assert incident is not None and incident.task_ids == ["task-1"] and incident.version == 2
    assert storage.tasks.get_many(["task-1", "task-2"]) == {
        "task-1": CrewTask("task-1", "inc-1", "environment", "crew-7")
    }
    assert storage.incidents.get("inc-404") is None


def test_given_a_crew_when_its_open_tasks_are_asked_then_closed_and_other_crews_tasks_are_left_out(
    storage: Storage,
) -> None:
    for incident_id in ("inc-1", "inc-2", "inc-3"):
        open_one_incident(storage.incidents, incident_id)
    tasks = [
        CrewTask("task-a", "inc-2", "environment", "crew-7"),
        CrewTask("task-b", "inc-1", "environment", "crew-7", status=TaskStatus.EN_ROUTE),
        CrewTask("task-c", "inc-3", "environment", "crew-7", status=TaskStatus.DONE),
        CrewTask("task-d", "inc-3", "environment", "crew-7", status=TaskStatus.CANCELLED),
        CrewTask("task-e", "inc-1", "environment", "crew-8"),
        CrewTask("task-f", "inc-1", "environment", None),
    ]
    for task in tasks:
        storage.tasks.add(task)
    assert storage.tasks.open_tasks_of_crew("crew-7") == [tasks[1], tasks[0]]
    assert storage.tasks.open_tasks_of_crew("crew-9") == []


class TaskAddedMidway:
    """Incidents through which a supervisor's task lands right after correlation has read its candidates."""

    def __init__(self, incidents: StoredIncidents, add_task: Any) -> None:
        self._incidents = incidents
        self._add_task = add_task
        self.conflicts = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._incidents, name)

    def active_near(self, family: str, cells: set[str]) -> list[Any]:
        found = self._incidents.active_near(family, cells)
        if self._add_task is not None:
            self._add_task()
            self._add_task = None
        return found

    def record_event(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._incidents.record_event(*args, **kwargs)
        except Conflict:
            self.conflicts += 1
            raise


def test_given_a_task_added_while_an_event_is_correlated_then_the_incident_keeps_both(
    storage: Storage,
) -> None:
    routing = MemoryRoutingTable()
    first = make_event("evt_" + "1" * 32, T0)
    correlate_event(first, "environment", storage.incidents, routing)
    incident_id = incident_id_for(first)
    racing = TaskAddedMidway(
        storage.incidents, lambda: storage.tasks.add(CrewTask("task-1", incident_id, "environment", "crew-7"))
    )
    second = make_event("evt_" + "2" * 32, T0 + timedelta(minutes=3), source_id="aq-2")

    outcome = correlate_event(second, "environment", racing, routing)

    assert outcome.incident_id == incident_id and racing.conflicts == 1
    incident = storage.incidents.get(incident_id)
    assert incident is not None
    assert incident.task_ids == ["task-1"] and incident.event_count == 2 and incident.version == 3
    assert [event.event_id for event in incident.recent_events] == [second.event_id, first.event_id]


# --- notes ----------------------------------------------------------------------------------------------


def make_note(note_id: str, minutes: int, **changes: Any) -> Note:
    note = Note(
        note_id=note_id,
        incident_id="inc-1",
        author="sub-operator",
        author_agency="environment",
        text=f"crew on site ({note_id})",
        visibility=AccessLevel.OPERATIONAL,
        created_at=T0 + timedelta(minutes=minutes),
    )
    return replace(note, **changes)


def test_given_notes_when_read_then_the_incident_s_notes_come_oldest_first(storage: Storage) -> None:
    notes = [
        make_note("note-b", 5),
        make_note("note-a", 1, visibility=AccessLevel.RESTRICTED),
        make_note("note-c", 9),
    ]
    for note in notes:
        storage.notes.add(note)
    storage.notes.add(make_note("note-x", 3, incident_id="inc-2"))
    with pytest.raises(Conflict):
        storage.notes.add(replace(notes[0], text="edited"))
    assert storage.notes.notes_of("inc-1") == [notes[1], notes[0], notes[2]]
    assert storage.notes.notes_of("inc-404") == []


# --- the audit trail -----------------------------------------------------------------------------------


def audit_entries(count: int, request_id: str = "req-1") -> list[AuditEntry]:
    """One request's reads: `count` entries on inc-1, a second apart, and one on inc-2."""
    entries = [
        AuditEntry(
            incident_id="inc-1",
            at=T0 + timedelta(seconds=number),
            request_id=request_id,
            subject=f"sub-{number % 3}",
            agency="police",
            fields=("Incident.title", "Incident.location") if number % 2 else ("Incident.notes",),
            basis=f"grant:gr-{number}",
            level=AccessLevel.RESTRICTED if number % 2 else AccessLevel.OPERATIONAL,
        )
        for number in range(count)
    ]
    return [*entries, replace(entries[0], incident_id="inc-2")]


def test_given_a_request_s_reads_when_recorded_then_the_trail_shows_them_newest_first(
    storage: Storage,
) -> None:
    entries = audit_entries(29)
    storage.audit.record(entries)
    storage.audit.record(entries)  # a retried request writes the same entries, not new ones

    trail = storage.audit.trail("inc-1", limit=100)

    assert trail == sorted(entries[:29], key=lambda entry: entry.at, reverse=True)
    assert storage.audit.trail("inc-1", limit=5) == trail[:5]
    assert storage.audit.trail("inc-2", limit=5) == [entries[29]]


def test_given_the_same_subject_reading_twice_at_once_when_recorded_then_both_reads_are_kept(
    storage: Storage,
) -> None:
    read = audit_entries(1)[0]
    twice = [read, replace(read, fields=("Incident.description",))]
    storage.audit.record(twice)
    assert sorted(entry.fields for entry in storage.audit.trail("inc-1", limit=10)) == sorted(
        e.fields for e in twice
    )


def test_given_dynamodb_when_thirty_reads_are_recorded_then_two_batch_writes_suffice(
    aws: EmulatedAws,
) -> None:
    audit = DynamoAuditLog()
    entries = audit_entries(29)
    aws.dynamodb_calls.clear()

    audit.record(entries)

    assert len(entries) == 30
    assert aws.dynamodb_calls == ["BatchWriteItem", "BatchWriteItem"]
    item = aws.client("dynamodb").get_item(
        TableName=aws.settings.name("audit"),
        Key={"incident_id": {"S": "inc-2"}, "audit_key": {"S": "2026-11-22T10:00:00.000Z#req-1#sub-0#0029"}},
    )["Item"]
    assert int(item["expires_at"]["N"]) == int((T0 + timedelta(days=400)).timestamp())
    assert item["fields"] == {"L": [{"S": "Incident.notes"}]} and item["level"] == {"S": "OPERATIONAL"}


def test_given_a_task_when_changed_then_each_accepted_version_is_one_timeline_entry_and_stale_writes_conflict(
    storage: Storage,
) -> None:
    open_one_incident(storage.incidents, "inc-1")
    at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    task = CrewTask("task-t", "inc-1", "utilities", "crew-7", title="Barriers", created_at=at, updated_at=at)
    storage.tasks.add(task)
    moved, entry = changed(
        task, at, "crew-member", "utilities", "status", Location(51.5, -0.1), TaskStatus.ACKNOWLEDGED
    )
    storage.tasks.update(moved, entry)
    stale, stale_entry = changed(task, at, "other", "utilities", "status", None, TaskStatus.EN_ROUTE)

    with pytest.raises(Conflict) as raised:
        storage.tasks.update(stale, stale_entry)

    assert raised.value.current_version == 2
    assert storage.tasks.get("task-t") == moved
    timeline = storage.tasks.timeline("task-t")
    assert [(e.version, e.action, e.status, e.actor) for e in timeline] == [
        (1, "created", "open", ""),
        (2, "status", "acknowledged", "crew-member"),
    ]
    assert (timeline[1].lat, timeline[1].lon) == (51.5, -0.1)
