"""Incident storage: the same assertions on the in-memory fake and on DynamoDB (`storage` fixture),
then what only DynamoDB can show (requests made, attributes stored)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.adapters.dynamodb.repositories import DynamoIncidentRepository
from chalicelib.domain.categories import Severity
from chalicelib.domain.errors import Conflict, DuplicateEvent, InvalidInput, NotFound
from chalicelib.domain.incidents.correlation import absorb, cell_of, neighbourhood, open_incident
from chalicelib.domain.incidents.incident import Incident, IncidentStatus, seen_key
from chalicelib.domain.incidents.ports import IncidentRepository
from tests.integration.conftest import T0, EmulatedAws, Storage, StoredIncidents, make_event


def record_new(incidents: IncidentRepository, number: int, **changes: object) -> Incident:
    """A new incident of the environment agency, opened by one event `number` minutes after T0."""
    event = make_event(f"evt-{number}", T0 + timedelta(minutes=number))
    incident = replace(open_incident(event, f"inc-{number}", "environment"), **changes)  # type: ignore[arg-type]
    return incidents.record_event(event, incident, is_new=True)


# --- recording events --------------------------------------------------------------------------------


def test_given_a_new_incident_when_recorded_then_it_and_its_event_are_stored(storage: Storage) -> None:
    incidents = storage.incidents
    event = make_event("evt-1", T0, confidence=0.1 + 0.2, magnitude=1 / 3)
    stored = incidents.record_event(event, open_incident(event, "inc-1", "environment"), is_new=True)
    assert stored.version == 1
    read = incidents.get("inc-1")
    assert read == stored
    assert read is not None and read.recent_events == [event] and read.description == "AQI 120"
    assert read.recent_events[0].confidence == 0.1 + 0.2  # floats survive exactly
    assert incidents.events_of("inc-1") == [event]
    assert incidents.get("inc-404") is None


def test_given_an_open_incident_when_it_absorbs_an_event_then_the_version_moves_on(storage: Storage) -> None:
    incidents = storage.incidents
    first = make_event("evt-1", T0)
    incidents.record_event(first, open_incident(first, "inc-1", "environment"), is_new=True)
    second = make_event(
        "evt-2",
        T0 + timedelta(minutes=5),
        source_id="aq-2",
        magnitude=180.0,
        severity=Severity.HIGH,
        description="AQI 180",
    )
    current = incidents.get("inc-1")
    assert current is not None

    stored = incidents.record_event(second, absorb(current, second), is_new=False)

    assert stored.version == 2 and stored.event_count == 2 and stored.severity is Severity.HIGH
    read = incidents.get("inc-1")
    assert read == stored
    assert read is not None and read.recent_events == [second, first] and read.description == "AQI 180"
    assert incidents.events_of("inc-1") == [second, first]


def test_given_a_recorded_event_when_recorded_again_then_duplicate_and_nothing_changes(
    storage: Storage,
) -> None:
    incidents = storage.incidents
    event = make_event("evt-1", T0)
    stored = incidents.record_event(event, open_incident(event, "inc-1", "environment"), is_new=True)
    with pytest.raises(DuplicateEvent):
        incidents.record_event(event, absorb(stored, event), is_new=False)
    assert incidents.get("inc-1") == stored
    assert incidents.events_of("inc-1") == [event]


def test_given_a_stale_incident_when_recorded_then_conflict_names_the_current_version(
    storage: Storage,
) -> None:
    incidents = storage.incidents
    first = make_event("evt-1", T0)
    stale = incidents.record_event(first, open_incident(first, "inc-1", "environment"), is_new=True)
    second, third = (
        make_event("evt-2", T0 + timedelta(minutes=1)),
        make_event("evt-3", T0 + timedelta(minutes=2)),
    )
    winner = incidents.record_event(second, absorb(stale, second), is_new=False)

    with pytest.raises(Conflict) as refused:
        incidents.record_event(third, absorb(stale, third), is_new=False)

    assert refused.value.current_version == winner.version == 2
    assert incidents.get("inc-1") == winner
    assert [event.event_id for event in incidents.events_of("inc-1")] == ["evt-2", "evt-1"]
    with pytest.raises(Conflict):
        incidents.record_event(third, open_incident(third, "inc-1", "environment"), is_new=True)


def test_given_stored_incidents_when_fetched_in_a_batch_then_missing_ids_are_absent(storage: Storage) -> None:
    for number in (1, 2):
        record_new(storage.incidents, number)
    found = storage.incidents.get_many(["inc-1", "inc-404", "inc-2", "inc-1"])
    assert sorted(found) == ["inc-1", "inc-2"]
    assert found["inc-2"] == storage.incidents.get("inc-2")
    assert storage.incidents.get_many([]) == {}


def test_given_incidents_around_when_active_near_then_only_active_ones_of_the_family_nearby(
    storage: Storage,
) -> None:
    incidents = storage.incidents
    near, closed = make_event("evt-near", T0), make_event("evt-closed", T0)
    noise, far = (
        make_event("evt-noise", T0, sub_category="noise"),
        make_event("evt-far", T0, lat=51.6, lon=-0.3),
    )
    for event, status in (
        (near, IncidentStatus.VERIFIED),
        (closed, IncidentStatus.RESOLVED),
        (noise, None),
        (far, None),
    ):
        incident = open_incident(event, event.event_id.replace("evt", "inc"), "environment")
        incidents.record_event(event, replace(incident, status=status or incident.status), is_new=True)

    found = incidents.active_near("airPollution", neighbourhood(cell_of(near.lat, near.lon)))

    assert [incident.incident_id for incident in found] == ["inc-near"]


# --- saving a changed incident --------------------------------------------------------------------------


def test_given_a_changed_incident_when_saved_then_it_is_stored_at_the_next_version(storage: Storage) -> None:
    stored = record_new(storage.incidents, 1)
    changed = replace(stored, sensitive=True, status=IncidentStatus.VERIFIED, task_ids=["task-9"])

    saved = storage.incidents.save(changed)

    assert saved == replace(changed, version=2)
    assert storage.incidents.get("inc-1") == saved


def test_given_a_stale_incident_when_saved_then_conflict_carries_the_current_version(
    storage: Storage,
) -> None:
    stale = record_new(storage.incidents, 1)
    winner = storage.incidents.save(replace(stale, status=IncidentStatus.VERIFIED))
    with pytest.raises(Conflict) as refused:
        storage.incidents.save(replace(stale, status=IncidentStatus.DISMISSED))
    assert refused.value.current_version == winner.version == 2
    assert storage.incidents.get("inc-1") == winner
    with pytest.raises(NotFound):
        storage.incidents.save(replace(stale, incident_id="inc-404"))


def test_given_a_resolved_incident_when_saved_then_correlation_no_longer_finds_it(storage: Storage) -> None:
    stored = record_new(storage.incidents, 1)
    cells = neighbourhood(stored.h3_cell)
    assert [i.incident_id for i in storage.incidents.active_near("airPollution", cells)] == ["inc-1"]
    storage.incidents.save(replace(stored, status=IncidentStatus.RESOLVED))
    assert storage.incidents.active_near("airPollution", cells) == []


# --- an agency's incidents, newest first ------------------------------------------------------------------


def seed_listing(incidents: IncidentRepository) -> None:
    """Eight incidents of the environment agency (one a minute) and two of transport."""
    plan = [
        ("airPollution", IncidentStatus.OPEN),
        ("flood", IncidentStatus.OPEN),
        ("noise", IncidentStatus.RESOLVED),
        ("airPollution", IncidentStatus.VERIFIED),
        ("flood", IncidentStatus.RESOLVED),
        ("odour", IncidentStatus.OPEN),
        ("airPollution", IncidentStatus.DISMISSED),
        ("flood", IncidentStatus.OPEN),
    ]
    for number, (sub_category, status) in enumerate(plan):
        event = make_event(f"evt-e{number}", T0 + timedelta(minutes=number), sub_category=sub_category)
        incident = replace(open_incident(event, f"env-{number}", "environment"), status=status)
        incidents.record_event(event, incident, is_new=True)
    for number in range(2):
        event = make_event(f"evt-t{number}", T0 + timedelta(minutes=30 + number), sub_category="trafficJam")
        incidents.record_event(event, open_incident(event, f"tfl-{number}", "transport"), is_new=True)


def collect_pages(
    incidents: IncidentRepository,
    status: IncidentStatus | None,
    category: str | None,
    limit: int,
    sub_category: str | None = None,
) -> tuple[list[str], list[int]]:
    ids: list[str] = []
    sizes: list[int] = []
    cursor: str | None = None
    while True:
        page = incidents.list_for_agency(
            "environment", status, category, limit, cursor, sub_category=sub_category
        )
        ids.extend(incident.incident_id for incident in page.incidents)
        sizes.append(len(page.incidents))
        if page.next_cursor is None:
            return ids, sizes
        assert page.next_cursor == seen_key(page.incidents[-1])
        cursor = page.next_cursor


def test_given_many_incidents_when_listed_by_page_then_newest_first_own_agency_only(storage: Storage) -> None:
    seed_listing(storage.incidents)
    ids, sizes = collect_pages(storage.incidents, None, None, limit=3)
    assert ids == [f"env-{number}" for number in range(7, -1, -1)]
    assert sizes == [3, 3, 2]


def test_given_filters_when_listed_then_only_matching_incidents_across_pages(storage: Storage) -> None:
    incidents = storage.incidents
    seed_listing(incidents)
    assert collect_pages(incidents, IncidentStatus.OPEN, None, limit=2)[0] == [
        "env-7",
        "env-5",
        "env-1",
        "env-0",
    ]
    assert collect_pages(incidents, None, "naturalDisaster", limit=1) == (
        ["env-7", "env-4", "env-1"],
        [1, 1, 1],
    )
    assert collect_pages(incidents, IncidentStatus.RESOLVED, "environment", limit=5)[0] == ["env-2"]
    assert collect_pages(incidents, IncidentStatus.OPEN, "traffic", limit=5) == ([], [0])
    assert collect_pages(incidents, None, "environment", limit=2, sub_category="airPollution")[0] == [
        "env-6",
        "env-3",
        "env-0",
    ]
    assert collect_pages(incidents, None, "environment", limit=2, sub_category="flood")[0] == []


def test_given_any_incident_seen_key_when_used_as_cursor_then_listing_resumes_strictly_after_it(
    storage: Storage,
) -> None:
    seed_listing(storage.incidents)
    middle = storage.incidents.get("env-4")
    assert middle is not None
    page = storage.incidents.list_for_agency("environment", None, None, 10, seen_key(middle))
    assert [incident.incident_id for incident in page.incidents] == ["env-3", "env-2", "env-1", "env-0"]
    assert page.next_cursor is None


@pytest.mark.parametrize(
    ("limit", "cursor", "code"), [(3, "", "INVALID_CURSOR"), (0, None, "INVALID_PAGE_SIZE")]
)
def test_given_an_empty_cursor_or_an_empty_page_when_listing_then_invalid_input(
    storage: Storage, limit: int, cursor: str | None, code: str
) -> None:
    seed_listing(storage.incidents)
    with pytest.raises(InvalidInput) as refused:
        storage.incidents.list_for_agency("environment", None, None, limit, cursor)
    assert refused.value.code == code
    with pytest.raises(InvalidInput) as refused:
        storage.incidents.list_public(limit, cursor)
    assert refused.value.code == code


# --- the public feed -----------------------------------------------------------------------------------


def seed_public_feed(incidents: StoredIncidents) -> None:
    record_new(incidents, 1)  # public
    record_new(incidents, 2, sensitive=True)  # embargoed: flagged by the owner
    record_new(incidents, 3, status=IncidentStatus.DISMISSED)
    event = make_event("evt-4", T0, sub_category="sensorOffline", source_id="gauge-1")
    incidents.record_event(event, open_incident(event, "inc-4", "environment"), is_new=True)  # sensitive kind
    record_new(incidents, 5, status=IncidentStatus.RESOLVED)  # public
    record_new(incidents, 6, sensitive=True, status=IncidentStatus.RESOLVED)  # embargo over
    record_new(incidents, 7, status=IncidentStatus.VERIFIED)  # public


def public_ids(incidents: IncidentRepository, limit: int) -> list[str]:
    ids: list[str] = []
    cursor: str | None = None
    while True:
        page = incidents.list_public(limit, cursor)
        ids.extend(incident.incident_id for incident in page.incidents)
        if page.next_cursor is None:
            return ids
        assert page.next_cursor == page.incidents[-1].incident_id
        cursor = page.next_cursor


def test_given_embargoed_and_dismissed_incidents_when_the_public_feed_is_read_then_they_are_left_out(
    storage: Storage,
) -> None:
    seed_public_feed(storage.incidents)
    assert public_ids(storage.incidents, limit=2) == ["inc-1", "inc-5", "inc-6", "inc-7"]
    assert public_ids(storage.incidents, limit=10) == ["inc-1", "inc-5", "inc-6", "inc-7"]


def test_given_embargoed_incidents_when_resolved_then_they_join_the_public_feed(storage: Storage) -> None:
    seed_public_feed(storage.incidents)
    for incident_id in ("inc-2", "inc-4"):
        incident = storage.incidents.get(incident_id)
        assert incident is not None
        storage.incidents.save(replace(incident, status=IncidentStatus.RESOLVED))
    public = storage.incidents.get("inc-7")
    assert public is not None
    storage.incidents.save(replace(public, sensitive=True))  # flagged later: leaves the feed
    assert public_ids(storage.incidents, limit=3) == ["inc-1", "inc-2", "inc-4", "inc-5", "inc-6"]


def test_given_an_embargoed_incident_when_it_absorbs_events_then_it_stays_off_the_public_feed(
    storage: Storage,
) -> None:
    stored = record_new(storage.incidents, 1, sensitive=True)
    event = make_event("evt-later", T0 + timedelta(minutes=9))
    storage.incidents.record_event(event, absorb(stored, event), is_new=False)
    assert storage.incidents.list_public(10, None).incidents == []


# --- what only DynamoDB shows ---------------------------------------------------------------------------


def test_given_dynamodb_when_incidents_are_written_and_read_then_one_request_each(aws: EmulatedAws) -> None:
    incidents = DynamoIncidentRepository()
    aws.dynamodb_calls.clear()
    stored = record_new(incidents, 1)
    assert aws.dynamodb_calls == ["TransactWriteItems"]
    aws.dynamodb_calls.clear()
    incidents.save(replace(stored, status=IncidentStatus.VERIFIED))
    incidents.list_public(10, None)
    incidents.list_for_agency("environment", None, None, 10, None)
    assert aws.dynamodb_calls == ["PutItem", "Query", "Query"]
    aws.dynamodb_calls.clear()
    found = incidents.active_near("airPollution", neighbourhood(stored.h3_cell))
    assert [incident.incident_id for incident in found] == ["inc-1"]
    assert aws.dynamodb_calls == ["Query"] * 7


def test_given_dynamodb_when_an_incident_leaves_the_feed_and_correlation_then_its_index_keys_are_gone(
    aws: EmulatedAws,
) -> None:
    incidents = DynamoIncidentRepository()
    stored = record_new(incidents, 1)
    incidents.save(replace(stored, status=IncidentStatus.DISMISSED))
    item = aws.client("dynamodb").get_item(
        TableName=aws.settings.name("incidents"), Key={"incident_id": {"S": "inc-1"}}
    )["Item"]
    assert "public_feed" not in item and "active_cell" not in item
    assert item["status"] == {"S": "dismissed"} and item["version"] == {"N": "2"}
