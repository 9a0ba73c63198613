"""The device-side DynamoDB adapters, routing and agencies against tables created from resources.json
(in-process moto). Incidents: test_incident_repository.py; sharing, tasks, notes, audit: test_sharing_storage.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters.dynamodb.repositories import (
    DynamoAgencyDirectory,
    DynamoBaselineRepository,
    DynamoDeviceRepository,
    DynamoNonceStore,
    DynamoReadingStore,
    DynamoRoutingTable,
)
from chalicelib.adapters.dynamodb.tables import LOGICAL_TABLES
from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.sensing.baseline import BaselineState
from chalicelib.domain.sensing.devices import Device
from chalicelib.domain.sensing.readings import Reading
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


@pytest.mark.parametrize("logical", sorted(LOGICAL_TABLES))
def test_given_the_request_recorder_when_any_table_is_scanned_then_the_scan_is_seen(
    aws: EmulatedAws, logical: str
) -> None:
    aws.client("dynamodb").scan(TableName=aws.settings.name(logical))
    assert aws.dynamodb_calls == ["Scan"]
    list(LOGICAL_TABLES[logical].scan())  # through the models' own client, as the adapters do
    assert aws.dynamodb_calls == ["Scan", "Scan"]
    aws.dynamodb_calls.clear()  # the fixture fails any test that scanned; this one scanned on purpose
