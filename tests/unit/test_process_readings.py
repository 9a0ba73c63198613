"""Processing accepted readings: stored once, detected, correlated; redelivery changes nothing more."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.bootstrap import build_memory_container
from chalicelib.domain.sensing.devices import Device
from chalicelib.domain.sensing.readings import Reading
from chalicelib.services.sensing.detect_silence import detect_silence
from chalicelib.services.sensing.process_readings import ProcessDependencies, process_readings

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def device(device_id, lat=51.5072, lon=-0.1276, agency="environment", interval=60):
    return Device(device_id, "air_quality", agency, lat, lon, "fingerprint", expected_interval_s=interval)


@pytest.fixture
def deps():
    container = build_memory_container(routing={"airPollution": "environment", "odour": "sanitation"})
    for d in (device("aq-001"), device("aq-002", lat=51.5090), device("od-001", agency="utilities")):
        container.devices.add(d)
    return container, ProcessDependencies(
        container.devices, container.readings, container.baselines, container.incidents, container.routing
    )


def pm25(device_id, value, minutes):
    return Reading(device_id, "pm2_5", value, "ug/m3", T0 + timedelta(minutes=minutes))


def incidents(container):
    return sorted(container.incidents.items.values(), key=lambda i: i.incident_id)


def test_given_a_pollution_spike_when_processed_then_one_incident_opens_for_environment(deps):
    container, d = deps
    outcome = process_readings("aq-001", [pm25("aq-001", 12.0, 0), pm25("aq-001", 180.0, 1)], d)
    assert outcome.stored == 2
    [incident] = incidents(container)
    assert (incident.owner_agency, incident.sub_category, incident.event_count) == (
        "environment",
        "airPollution",
        1,
    )
    assert incident.peak_magnitude > 200  # AQI of 180 µg/m³


def test_given_two_nearby_sensors_then_they_share_one_incident_with_higher_confidence(deps):
    container, d = deps
    process_readings("aq-001", [pm25("aq-001", 180.0, 0)], d)
    single = incidents(container)[0].confidence
    process_readings("aq-002", [pm25("aq-002", 160.0, 2)], d)
    [incident] = incidents(container)
    assert incident.event_count == 2
    assert incident.confidence > single


def test_given_the_same_batch_delivered_twice_then_nothing_changes_the_second_time(deps):
    container, d = deps
    batch = [pm25("aq-001", v, m) for m, v in enumerate([12.0, 180.0, 190.0, 14.0])]
    process_readings("aq-001", batch, d)
    before = (incidents(container), dict(container.baselines.items), len(container.readings.items))
    again = process_readings("aq-001", batch, d)
    assert (again.stored, again.duplicates, again.events) == (0, 4, 0)
    assert (incidents(container), dict(container.baselines.items), len(container.readings.items)) == before


def test_given_batches_out_of_order_then_the_incident_converges_to_the_same_state():
    readings_ = [pm25("aq-001", 150.0 + 10 * m, m) for m in range(6)]
    states = []
    for order in (list(range(6)), [5, 3, 1, 0, 2, 4]):
        container = build_memory_container(routing={"airPollution": "environment"})
        container.devices.add(device("aq-001"))
        d = ProcessDependencies(
            container.devices, container.readings, container.baselines, container.incidents, container.routing
        )
        for index in order:
            process_readings("aq-001", [readings_[index]], d)
        [incident] = incidents(container)
        states.append(
            (incident.event_count, incident.first_seen, incident.last_seen, incident.peak_magnitude)
        )
    assert states[0] == states[1]


def test_given_an_odour_reading_then_the_routing_table_picks_the_owning_agency(deps):
    container, d = deps
    process_readings("od-001", [Reading("od-001", "h2s", 2.0, "ppm", T0)], d)
    [incident] = incidents(container)
    assert (incident.sub_category, incident.owner_agency) == ("odour", "sanitation")


def test_given_a_device_silent_for_three_intervals_then_one_offline_incident_for_its_agency(deps):
    container, d = deps
    process_readings("od-001", [Reading("od-001", "h2s", 0.001, "ppm", T0)], d)
    assert (
        detect_silence(T0 + timedelta(seconds=179), container.devices, container.incidents, container.routing)
        == []
    )
    later = T0 + timedelta(seconds=181)
    assert detect_silence(later, container.devices, container.incidents, container.routing) == ["od-001"]
    assert detect_silence(later, container.devices, container.incidents, container.routing) == []
    [offline] = [i for i in incidents(container) if i.sub_category == "sensorOffline"]
    assert offline.owner_agency == "utilities"


def test_given_a_device_that_came_back_then_a_new_silence_raises_a_new_event(deps):
    container, d = deps
    process_readings("od-001", [Reading("od-001", "h2s", 0.001, "ppm", T0)], d)
    detect_silence(T0 + timedelta(minutes=4), container.devices, container.incidents, container.routing)
    process_readings("od-001", [Reading("od-001", "h2s", 0.001, "ppm", T0 + timedelta(minutes=5))], d)
    assert detect_silence(
        T0 + timedelta(minutes=9), container.devices, container.incidents, container.routing
    )
    [offline] = [i for i in incidents(container) if i.sub_category == "sensorOffline"]
    assert offline.event_count == 2


def test_given_many_random_orders_of_two_sensors_then_the_event_count_is_stable():
    rng = random.Random(7)
    batch = [pm25("aq-001", 170.0 + m, m) for m in range(5)] + [
        pm25("aq-002", 165.0 + m, m) for m in range(5)
    ]
    counts = set()
    for _ in range(5):
        rng.shuffle(batch)
        container = build_memory_container(routing={"airPollution": "environment"})
        container.devices.add(device("aq-001"))
        container.devices.add(device("aq-002", lat=51.5090))
        d = ProcessDependencies(
            container.devices, container.readings, container.baselines, container.incidents, container.routing
        )
        for reading in batch:
            process_readings(reading.device_id, [reading], d)
        counts.add(tuple(sorted(i.event_count for i in container.incidents.items.values())))
    assert counts == {(10,)}
