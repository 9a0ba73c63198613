"""Detection: which readings become which events, and what the baseline does with them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.sensing.baseline import WARM_UP_READINGS, BaselineState
from chalicelib.domain.sensing.detection import Detection, detect, offline_event, silence_deadline
from chalicelib.domain.sensing.devices import Device
from chalicelib.domain.sensing.metrics import METRICS
from chalicelib.domain.sensing.readings import Reading

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOON, NIGHT = 12, 2


def device(
    noise_zone: str = "mixed",
    alarm_levels_cm: dict[str, float] | None = None,
    last_seen: datetime | None = None,
    expected_interval_s: int = 60,
) -> Device:
    return Device(
        device_id="aq-001",
        kind="sensor",
        agency="environment",
        lat=51.5,
        lon=-0.12,
        secret_sha256="0" * 64,
        expected_interval_s=expected_interval_s,
        noise_zone=noise_zone,
        alarm_levels_cm=alarm_levels_cm or {},
        last_seen=last_seen,
    )


def reading(metric: str, value: float, at: datetime = T0) -> Reading:
    return Reading("aq-001", metric, value, METRICS[metric].unit, at)


def run(
    metric: str, value: float, hour: int = NOON, dev: Device | None = None, state: BaselineState | None = None
) -> Detection:
    """Detect one reading at T0."""
    return detect(reading(metric, value), dev or device(), state, hour)


def warm(metric: str, mean: float, spread: float, count: int = WARM_UP_READINGS) -> BaselineState:
    """Feed `count` readings alternating mean ± spread, ending one minute before T0."""
    state: BaselineState | None = None
    for i in range(count):
        at = T0 - timedelta(minutes=count - i)
        state = detect(reading(metric, mean + spread * (-1) ** i, at), device(), state, NOON).baseline
    assert state is not None
    return state


def only(detection: Detection) -> DetectionEvent:
    assert len(detection.events) == 1, detection.events
    return detection.events[0]


@pytest.mark.parametrize(
    ("metric", "value", "severity"),
    [("pm2_5", 40.0, Severity.LOW), ("pm2_5", 100.0, Severity.MEDIUM), ("pm2_5", 200.0, Severity.HIGH),
     ("pm2_5", 300.0, Severity.CRITICAL), ("pm10", 200, Severity.LOW), ("no2", 400, Severity.MEDIUM),
     ("o3", 150, Severity.HIGH)],
)  # fmt: skip
def test_given_air_above_aqi_100_when_detected_then_an_air_pollution_event_carries_the_aqi(
    metric: str, value: float, severity: Severity
) -> None:
    event = only(run(metric, value))

    assert (event.sub_category, event.detector, event.severity) == ("airPollution", "threshold", severity)
    assert event.magnitude == event.details["aqi"] > 100
    assert event.details["metric"] == metric and event.details["value"] == value


def test_given_pm2_5_at_aqi_100_or_below_when_detected_then_no_event() -> None:
    assert run("pm2_5", 35.4).events == []
    assert only(run("pm2_5", 35.5)).details["aqi"] == 101


def test_given_a_threshold_event_when_described_then_people_read_value_aqi_category_and_device() -> None:
    event = only(run("pm2_5", 180.0))

    assert event.description == "PM2.5 180.0 µg/m³ (AQI 255, Very Unhealthy) at aq-001"
    assert (event.source_id, event.lat, event.lon, event.observed_at) == ("aq-001", 51.5, -0.12, T0)
    assert DetectionEvent.from_dict(json.loads(json.dumps(event.to_dict()))) == event


@pytest.mark.parametrize(
    ("zone", "day_limit"),
    [("residential", 55), ("mixed", 60), ("commercial", 65), ("industrial", 70), ("harbour", 60)],
)
def test_given_a_noise_zone_when_noise_reaches_its_day_limit_then_an_event_fires(
    zone: str, day_limit: float
) -> None:
    zoned = device(noise_zone=zone)

    assert run("noise_laeq", day_limit - 0.1, dev=zoned).events == []
    event = only(run("noise_laeq", day_limit, dev=zoned))
    assert (event.sub_category, event.magnitude, event.details["limit"]) == ("noise", 0.0, day_limit)


@pytest.mark.parametrize(("hour", "is_night"), [(6, True), (7, False), (22, False), (23, True), (0, True)])
def test_given_the_hour_when_noise_is_between_night_and_day_limits_then_only_night_fires(
    hour: int, is_night: bool
) -> None:
    detection = run("noise_laeq", 50.0, hour=hour, dev=device(noise_zone="residential"))  # night 45, day 55

    assert bool(detection.events) is is_night


@pytest.mark.parametrize(
    ("over", "severity"),
    [(4.9, Severity.LOW), (5.0, Severity.MEDIUM), (10.0, Severity.HIGH), (20.0, Severity.CRITICAL)],
)
def test_given_noise_over_the_limit_when_detected_then_severity_grows_with_the_excess(
    over: float, severity: Severity
) -> None:
    event = only(run("noise_laeq", 50.0 + over, hour=NIGHT))  # mixed zone, night limit 50

    assert (event.severity, event.magnitude, event.details["period"]) == (severity, over, "night")


@pytest.mark.parametrize(
    ("ppm", "severity"),
    [
        (0.03, Severity.LOW),
        (0.07, Severity.MEDIUM),
        (5.0, Severity.HIGH),
        (20.0, Severity.CRITICAL),
        (150.0, Severity.CRITICAL),
    ],
)
def test_given_hydrogen_sulphide_in_a_band_when_detected_then_an_odour_event_with_that_severity(
    ppm: float, severity: Severity
) -> None:
    event = only(run("h2s", ppm))

    assert (event.sub_category, event.severity, event.magnitude) == ("odour", severity, ppm)


def test_given_hydrogen_sulphide_below_nuisance_level_when_detected_then_no_event() -> None:
    assert run("h2s", 0.029).events == []


LEVELS = {"advisory": 100.0, "warning": 150.0, "severe": 200.0}


@pytest.mark.parametrize(
    ("cm", "severity", "magnitude"),
    [(100.0, Severity.LOW, 0.0), (160.0, Severity.HIGH, 60.0), (250.0, Severity.CRITICAL, 150.0)],
)
def test_given_a_gauge_with_alarm_levels_when_water_reaches_one_then_a_flood_event_fires(
    cm: float, severity: Severity, magnitude: float
) -> None:
    event = only(run("water_level", cm, dev=device(alarm_levels_cm=LEVELS)))

    assert (event.sub_category, event.severity, event.magnitude) == ("flood", severity, magnitude)


def test_given_water_below_the_alarm_levels_or_a_gauge_without_levels_then_no_flood_event() -> None:
    assert run("water_level", 99.0, dev=device(alarm_levels_cm=LEVELS)).events == []
    assert run("water_level", 900.0).events == []


def test_given_usual_traffic_when_speed_drops_beyond_three_sigma_then_a_jam_is_reported() -> None:
    state = warm("traffic_speed", 50.0, 2.0)

    event = only(run("traffic_speed", 42.0, state=state))  # z = -4

    assert (event.sub_category, event.detector, event.severity, event.confidence) == (
        "trafficJam", "baseline", Severity.LOW, 0.5
    )  # fmt: skip
    assert event.magnitude == pytest.approx(4.0, abs=0.1)
    assert run("traffic_speed", 70.0, state=state).events == []


def test_given_usual_traffic_when_volume_surges_then_an_informational_traffic_event() -> None:
    event = only(run("traffic_volume", 40.0, state=warm("traffic_volume", 30.0, 2.0)))

    assert (event.sub_category, event.severity) == ("trafficJam", Severity.INFORMATIONAL)


def test_given_clean_air_when_pm2_5_jumps_but_stays_under_aqi_100_then_a_weaker_baseline_event() -> None:
    state = warm("pm2_5", 5.0, 1.0)

    anomaly = only(run("pm2_5", 30.0, state=state))
    threshold = only(run("pm2_5", 60.0, state=state))

    assert (anomaly.detector, anomaly.severity, anomaly.details["z_score"]) == (
        "baseline", Severity.LOW, pytest.approx(25.0, abs=0.1)
    )  # fmt: skip
    assert anomaly.confidence < threshold.confidence
    assert threshold.detector == "threshold"


def test_given_clean_air_when_pm2_5_falls_sharply_then_no_event() -> None:
    assert run("pm2_5", 0.0, state=warm("pm2_5", 20.0, 1.0)).events == []


def test_given_a_baseline_still_warming_up_when_a_jump_arrives_then_no_baseline_event() -> None:
    assert run("pm2_5", 30.0, state=warm("pm2_5", 5.0, 1.0, count=WARM_UP_READINGS - 1)).events == []


def pollution_episode(minutes: int) -> list[bool]:
    """Whether each minute of a steady 25 µg/m³ episode over a usual 5 ± 1 µg/m³ raised an event."""
    state: BaselineState | None = warm("pm2_5", 5.0, 1.0)
    flagged = []
    for minute in range(minutes):
        detection = detect(reading("pm2_5", 25.0, T0 + timedelta(minutes=minute)), device(), state, NOON)
        flagged.append(bool(detection.events))
        state = detection.baseline
    return flagged


def test_given_a_long_pollution_episode_when_it_lasts_an_hour_then_every_reading_is_still_reported() -> None:
    assert all(pollution_episode(60))


def test_given_a_pollution_episode_when_it_lasts_a_whole_day_then_it_finally_becomes_the_new_normal() -> None:
    flagged = pollution_episode(24 * 60)

    assert all(flagged[:60]) and not any(flagged[-60:])


def test_given_a_late_or_repeated_reading_when_detected_then_the_baseline_stays_and_only_thresholds_fire() -> (
    None
):
    state = warm("pm2_5", 5.0, 1.0)
    last = state.last_observed_at

    late_jump = detect(reading("pm2_5", 30.0, last - timedelta(minutes=5)), device(), state, NOON)
    repeat = detect(reading("pm2_5", 5.0, last), device(), state, NOON)
    late_smog = detect(reading("pm2_5", 90.0, last - timedelta(minutes=5)), device(), state, NOON)

    assert (late_jump.events, late_jump.baseline, repeat.baseline) == ([], None, None)
    assert only(late_smog).detector == "threshold" and late_smog.baseline is None


def test_given_the_same_reading_twice_when_detected_then_the_event_ids_match() -> None:
    first, again = only(run("pm2_5", 80.0)), only(run("pm2_5", 80.0))
    later = only(detect(reading("pm2_5", 80.0, T0 + timedelta(seconds=1)), device(), None, NOON))

    assert first.event_id == again.event_id != later.event_id


def test_given_a_silent_device_when_reported_offline_then_one_event_id_per_silence_spell() -> None:
    silent = device(last_seen=T0, expected_interval_s=60)

    first = offline_event(silent, T0 + timedelta(minutes=5))
    repeat = offline_event(silent, T0 + timedelta(minutes=9))
    next_spell = offline_event(device(last_seen=T0 + timedelta(hours=1)), T0 + timedelta(hours=2))

    assert (first.sub_category, first.detector, first.source_id) == ("sensorOffline", "silence", "aq-001")
    assert (first.observed_at, first.magnitude, first.lat) == (T0 + timedelta(minutes=5), 5.0, 51.5)
    assert first.event_id == repeat.event_id != next_spell.event_id
    assert json.dumps(first.to_dict())


def test_given_a_one_minute_interval_when_asking_the_deadline_then_three_minutes_of_silence_are_allowed() -> (
    None
):
    deadline = silence_deadline(T0, 60)

    assert T0 + timedelta(seconds=179) < deadline < T0 + timedelta(seconds=181)


def test_given_an_impossible_hour_when_detecting_then_it_is_refused() -> None:
    with pytest.raises(ValueError):
        run("noise_laeq", 80.0, hour=24)
