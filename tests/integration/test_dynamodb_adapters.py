"""The DynamoDB adapters against tables created from resources.json (in-process moto)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters.dynamodb.models import LOGICAL_TABLES
from chalicelib.adapters.dynamodb.repositories import (
    DynamoAgencyDirectory,
    DynamoBaselineRepository,
    DynamoDeviceRepository,
    DynamoIncidentRepository,
    DynamoNonceStore,
    DynamoReadingStore,
    DynamoRoutingTable,
)
from chalicelib.domain.baseline import BaselineState
from chalicelib.domain.categories import Severity
from chalicelib.domain.correlation import absorb, cell_of, neighbourhood, open_incident
from chalicelib.domain.devices import Device
from chalicelib.domain.errors import Conflict, DuplicateEvent, InvalidInput
from chalicelib.domain.events import DetectionEvent
from chalicelib.domain.incidents import IncidentStatus
from chalicelib.domain.readings import Reading
from chalicelib.resources import resources
from tests.integration.conftest import EmulatedAws

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def make_device(device_id: str, **changes: object) -> Device:
    device = Device(
        device_id=device_id,
        kind="water_level",
        agency="environment",
        lat=51.5072,
        lon=-0.1276,
        secret_sha256="ab" * 32,
        expected_interval_s=60,
        alarm_levels_cm={"advisory": 120.0, "warning": 150.5},
    )
    return replace(device, **changes)  # type: ignore[arg-type]


# --- the tables match resources.json ---------------------------------------------------------------


def test_given_resources_json_when_models_are_compared_then_keys_and_indexes_match(aws: EmulatedAws) -> None:
    for logical, table in resources()["tables"].items():
        schema = LOGICAL_TABLES[logical]._get_schema()
        assert key_roles(schema["key_schema"]) == expected_roles(table), logical
        indexes = {
            index["index_name"]: key_roles(index["key_schema"])
            for index in schema["global_secondary_indexes"]
        }
        assert indexes == {name: expected_roles(keys) for name, keys in table.get("indexes", {}).items()}, (
            logical
        )


def key_roles(key_schema: list[Any]) -> dict[str, str]:
    return {key["AttributeName"]: key["KeyType"] for key in key_schema}


def expected_roles(keys: dict[str, list[str]]) -> dict[str, str]:
    roles = {keys["hash_key"][0]: "HASH"}
    if "range_key" in keys:
        roles[keys["range_key"][0]] = "RANGE"
    return roles


# --- devices ------------------------------------------------------------------------------------


def test_given_a_registered_device_when_read_back_then_every_field_survives(aws: EmulatedAws) -> None:
    devices = DynamoDeviceRepository()
    device = make_device("gauge-1", noise_zone="residential", key_version=2)
    devices.add(device)
    assert devices.get("gauge-1") == device
    assert devices.get("gauge-unknown") is None


def test_given_a_taken_device_id_when_added_again_then_conflict_and_the_first_is_kept(
    aws: EmulatedAws,
) -> None:
    devices = DynamoDeviceRepository()
    devices.add(make_device("gauge-1"))
    with pytest.raises(Conflict):
        devices.add(make_device("gauge-1", kind="noise"))
    stored = devices.get("gauge-1")
    assert stored is not None and stored.kind == "water_level"


def test_given_readings_out_of_order_when_marked_seen_then_last_seen_only_moves_forward(
    aws: EmulatedAws,
) -> None:
    devices = DynamoDeviceRepository()
    devices.add(make_device("gauge-1", last_seen=T0 - timedelta(hours=1), offline=True))
    devices.mark_seen("gauge-1", T0 + timedelta(minutes=10), 60)
    devices.mark_seen("gauge-1", T0 + timedelta(minutes=5), 60)
    stored = devices.get("gauge-1")
    assert stored is not None
    assert stored.last_seen == T0 + timedelta(minutes=10)
    assert stored.offline is False


def test_given_a_disabled_or_unknown_device_when_marked_seen_then_nothing_is_stored(aws: EmulatedAws) -> None:
    devices = DynamoDeviceRepository()
    devices.add(make_device("gauge-off", enabled=False))
    devices.mark_seen("gauge-off", T0, 60)
    devices.mark_seen("gauge-ghost", T0, 60)
    assert devices.get("gauge-off") == make_device("gauge-off", enabled=False)
    assert devices.get("gauge-ghost") is None
    assert devices.silent_since(T0 + timedelta(days=1)) == []


def test_given_a_fleet_when_silence_is_checked_then_exactly_the_overdue_online_devices_return(
    aws: EmulatedAws,
) -> None:
    devices = DynamoDeviceRepository()
    for device_id in ("overdue", "fresh", "flagged", "never-seen"):
        devices.add(make_device(device_id))
    devices.add(make_device("disabled", enabled=False, last_seen=T0))
    devices.mark_seen("overdue", T0, 60)  # silent after T0 + 3 min
    devices.mark_seen("fresh", T0 + timedelta(minutes=5), 60)  # silent after T0 + 8 min
    devices.mark_seen("flagged", T0, 60)
    assert devices.mark_offline("flagged", T0) is True
    aws.dynamodb_calls.clear()

    silent = devices.silent_since(T0 + timedelta(minutes=6))

    assert [device.device_id for device in silent] == ["overdue"]
    assert silent[0].last_seen == T0
    assert aws.dynamodb_calls == ["Query"]
    later = devices.silent_since(T0 + timedelta(minutes=9))
    assert sorted(device.device_id for device in later) == ["fresh", "overdue"]


def test_given_a_silent_device_when_flagged_offline_twice_then_only_the_first_call_flags(
    aws: EmulatedAws,
) -> None:
    devices = DynamoDeviceRepository()
    devices.add(make_device("gauge-1"))
    devices.mark_seen("gauge-1", T0, 60)
    assert devices.mark_offline("gauge-1", T0) is True
    assert devices.mark_offline("gauge-1", T0) is False
    stored = devices.get("gauge-1")
    assert stored is not None and stored.offline is True
    assert devices.silent_since(T0 + timedelta(hours=1)) == []


def test_given_a_device_heard_again_when_flagged_with_the_old_last_seen_then_it_stays_online(
    aws: EmulatedAws,
) -> None:
    devices = DynamoDeviceRepository()
    devices.add(make_device("gauge-1"))
    devices.mark_seen("gauge-1", T0, 60)
    devices.mark_seen("gauge-1", T0 + timedelta(minutes=4), 60)
    assert devices.mark_offline("gauge-1", T0) is False
    stored = devices.get("gauge-1")
    assert stored is not None and stored.offline is False


def test_given_an_offline_device_when_heard_again_then_it_is_watched_again(aws: EmulatedAws) -> None:
    devices = DynamoDeviceRepository()
    devices.add(make_device("gauge-1"))
    devices.mark_seen("gauge-1", T0, 60)
    devices.mark_offline("gauge-1", T0)
    devices.mark_seen("gauge-1", T0 + timedelta(hours=1), 60)
    assert [device.device_id for device in devices.silent_since(T0 + timedelta(hours=2))] == ["gauge-1"]


# --- nonces, readings, baselines ----------------------------------------------------------------------


def test_given_a_used_nonce_when_presented_again_then_it_is_a_replay(aws: EmulatedAws) -> None:
    nonces = DynamoNonceStore()
    expires_at = T0 + timedelta(minutes=15)
    assert nonces.remember("gauge-1", "n" * 16, expires_at) is True
    assert nonces.remember("gauge-1", "n" * 16, expires_at) is False
    assert nonces.remember("gauge-1", "m" * 16, expires_at) is True
    assert nonces.remember("gauge-2", "n" * 16, expires_at) is True


def test_given_a_reading_when_stored_twice_then_it_is_stored_once_with_its_expiry(aws: EmulatedAws) -> None:
    store = DynamoReadingStore(ttl_days=30)
    reading = Reading("gauge-1", "water_level", 131.5, "cm", T0)
    assert store.add_if_new(reading) is True
    assert store.add_if_new(replace(reading, value=99.0)) is False
    item = aws.client("dynamodb").get_item(
        TableName=aws.settings.name("readings"),
        Key={"device_id": {"S": "gauge-1"}, "reading_key": {"S": reading.key}},
    )["Item"]
    assert float(item["value"]["N"]) == 131.5
    assert int(item["expires_at"]["N"]) == int((T0 + timedelta(days=30)).timestamp())


def test_given_two_workers_when_both_save_from_the_same_baseline_then_the_second_loses(
    aws: EmulatedAws,
) -> None:
    baselines = DynamoBaselineRepository()
    assert baselines.get("gauge-1", "water_level") is None
    first = BaselineState(1, 120.0, 0.0, T0)
    assert baselines.save("gauge-1", "water_level", first, previous=None) is True
    assert baselines.save("gauge-1", "water_level", BaselineState(1, 5.0, 0.0, T0), previous=None) is False
    read = baselines.get("gauge-1", "water_level")
    assert read == first
    winner = BaselineState(2, 121.25, 1.5625, T0 + timedelta(minutes=1, microseconds=250))
    loser = BaselineState(2, 119.0, 0.5, T0 + timedelta(minutes=2))
    assert baselines.save("gauge-1", "water_level", winner, previous=read) is True
    assert baselines.save("gauge-1", "water_level", loser, previous=read) is False
    assert baselines.get("gauge-1", "water_level") == winner


# --- routing and agencies ----------------------------------------------------------------------------


def test_given_routes_when_owners_are_asked_then_routed_or_device_agency_and_cached_a_minute(
    aws: EmulatedAws,
) -> None:
    now = [0.0]
    routing = DynamoRoutingTable(clock=lambda: now[0])
    assert routing.owner_of("flood", "environment") == "environment"
    DynamoRoutingTable().set_owner("flood", "emergency")
    assert routing.owner_of("flood", "environment") == "environment"  # cached
    now[0] = 61.0
    assert routing.owner_of("flood", "environment") == "emergency"
    routing.set_owner("flood", "utilities")
    assert routing.owner_of("flood", "environment") == "utilities"


def test_given_agencies_when_listed_then_every_agency_appears_once_by_id(aws: EmulatedAws) -> None:
    agencies = DynamoAgencyDirectory()
    agencies.put("transport", "Transport")
    agencies.put("environment", "Environment")
    agencies.put("transport", "City Transport")
    assert [(agency.agency_id, agency.name) for agency in agencies.list()] == [
        ("environment", "Environment"),
        ("transport", "City Transport"),
    ]
    found = agencies.get("environment")
    assert found is not None and found.name == "Environment"
    assert agencies.get("police") is None
    with pytest.raises(InvalidInput):
        agencies.put("#directory", "Not an agency")


# --- the request recorder ----------------------------------------------------------------------------


def test_given_the_request_recorder_when_a_table_is_scanned_then_the_scan_is_seen(aws: EmulatedAws) -> None:
    aws.client("dynamodb").scan(TableName=aws.settings.name("devices"))
    assert "Scan" in aws.dynamodb_calls
    aws.dynamodb_calls.clear()  # the fixture fails any test that scanned; this one scanned on purpose


def make_event(event_id: str, observed_at: datetime, **changes: object) -> DetectionEvent:
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
    return replace(event, **changes)  # type: ignore[arg-type]


# --- incidents and their events ------------------------------------------------------------------------


def test_given_a_new_incident_when_recorded_then_it_and_its_event_are_stored(aws: EmulatedAws) -> None:
    incidents = DynamoIncidentRepository()
    event = make_event("evt-1", T0)
    aws.dynamodb_calls.clear()
    stored = incidents.record_event(event, open_incident(event, "inc-1", "environment"), is_new=True)
    assert aws.dynamodb_calls == ["TransactWriteItems"]
    assert stored.version == 1
    assert incidents.get("inc-1") == stored
    assert incidents.events_of("inc-1") == [event]
    assert incidents.get("inc-404") is None


def test_given_an_open_incident_when_it_absorbs_an_event_then_the_version_moves_on(aws: EmulatedAws) -> None:
    incidents = DynamoIncidentRepository()
    first = make_event("evt-1", T0)
    incidents.record_event(first, open_incident(first, "inc-1", "environment"), is_new=True)
    second = make_event(
        "evt-2", T0 + timedelta(minutes=5), source_id="aq-2", magnitude=180.0, severity=Severity.HIGH
    )
    current = incidents.get("inc-1")
    assert current is not None

    stored = incidents.record_event(second, absorb(current, second), is_new=False)

    assert stored.version == 2 and stored.event_count == 2 and stored.severity is Severity.HIGH
    assert incidents.get("inc-1") == stored
    assert incidents.events_of("inc-1") == [second, first]


def test_given_a_recorded_event_when_recorded_again_then_duplicate_and_nothing_changes(
    aws: EmulatedAws,
) -> None:
    incidents = DynamoIncidentRepository()
    event = make_event("evt-1", T0)
    stored = incidents.record_event(event, open_incident(event, "inc-1", "environment"), is_new=True)
    with pytest.raises(DuplicateEvent):
        incidents.record_event(event, absorb(stored, event), is_new=False)
    assert incidents.get("inc-1") == stored
    assert incidents.events_of("inc-1") == [event]


def test_given_a_stale_incident_when_recorded_then_conflict_names_the_current_version(
    aws: EmulatedAws,
) -> None:
    incidents = DynamoIncidentRepository()
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


def test_given_stored_incidents_when_fetched_in_a_batch_then_missing_ids_are_absent(aws: EmulatedAws) -> None:
    incidents = DynamoIncidentRepository()
    for number in (1, 2):
        event = make_event(f"evt-{number}", T0)
        incidents.record_event(event, open_incident(event, f"inc-{number}", "environment"), is_new=True)
    found = incidents.get_many(["inc-1", "inc-404", "inc-2", "inc-1"])
    assert sorted(found) == ["inc-1", "inc-2"]
    assert found["inc-2"] == incidents.get("inc-2")
    assert incidents.get_many([]) == {}


def test_given_incidents_around_when_active_near_then_only_active_ones_of_the_family_nearby(
    aws: EmulatedAws,
) -> None:
    incidents = DynamoIncidentRepository()
    near = make_event("evt-near", T0)
    closed = make_event("evt-closed", T0)
    noise = make_event("evt-noise", T0, sub_category="noise")
    far = make_event("evt-far", T0, lat=51.60, lon=-0.30)
    for event, status in (
        (near, IncidentStatus.VERIFIED),
        (closed, IncidentStatus.RESOLVED),
        (noise, None),
        (far, None),
    ):
        incident = open_incident(event, event.event_id.replace("evt", "inc"), "environment")
        incidents.record_event(event, replace(incident, status=status or incident.status), is_new=True)
    cells = neighbourhood(cell_of(near.lat, near.lon))
    aws.dynamodb_calls.clear()

    found = incidents.active_near("airPollution", cells)

    assert [incident.incident_id for incident in found] == ["inc-near"]
    assert aws.dynamodb_calls == ["Query"] * len(cells)


def seed_listing(incidents: DynamoIncidentRepository) -> None:
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
    incidents: DynamoIncidentRepository, status: IncidentStatus | None, category: str | None, limit: int
) -> tuple[list[str], list[int]]:
    ids: list[str] = []
    sizes: list[int] = []
    cursor: str | None = None
    while True:
        page = incidents.list_for_agency("environment", status, category, limit, cursor)
        ids.extend(incident.incident_id for incident in page.incidents)
        sizes.append(len(page.incidents))
        if page.next_cursor is None:
            return ids, sizes
        cursor = page.next_cursor


def test_given_many_incidents_when_listed_by_page_then_newest_first_own_agency_only(aws: EmulatedAws) -> None:
    incidents = DynamoIncidentRepository()
    seed_listing(incidents)
    ids, sizes = collect_pages(incidents, None, None, limit=3)
    assert ids == [f"env-{number}" for number in range(7, -1, -1)]
    assert sizes == [3, 3, 2]


def test_given_filters_when_listed_then_only_matching_incidents_across_pages(aws: EmulatedAws) -> None:
    incidents = DynamoIncidentRepository()
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


def test_given_a_foreign_or_malformed_cursor_when_listing_then_invalid_cursor(aws: EmulatedAws) -> None:
    incidents = DynamoIncidentRepository()
    seed_listing(incidents)
    foreign = incidents.list_for_agency("transport", None, None, 1, None).next_cursor
    assert foreign is not None
    for cursor in (foreign, "not-a-cursor", "e30", "!!!"):
        with pytest.raises(InvalidInput) as refused:
            incidents.list_for_agency("environment", None, None, 3, cursor)
        assert refused.value.code == "INVALID_CURSOR"
