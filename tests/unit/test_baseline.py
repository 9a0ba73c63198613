"""The adaptive baseline: running statistics, warm-up, direction-aware anomalies, late readings."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.categories import Severity
from chalicelib.domain.sensing.baseline import (
    ANOMALY_RULES,
    WARM_UP_READINGS,
    BaselineState,
    absorb,
    anomaly_z,
    is_late,
    is_outlier,
    is_warm,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def absorb_all(values: list[float], state: BaselineState | None = None) -> BaselineState:
    start = state.count if state else 0
    for offset, value in enumerate(values):
        state = absorb(state, value, T0 + timedelta(minutes=start + offset))
    assert state is not None
    return state


def steady(mean: float, spread: float, count: int = WARM_UP_READINGS) -> BaselineState:
    """A warm baseline around `mean`, alternating ±spread."""
    return absorb_all([mean + spread * (-1) ** i for i in range(count)])


def test_given_no_baseline_when_a_first_value_arrives_then_it_becomes_the_mean() -> None:
    state = absorb(None, 12.5, T0)

    assert (state.count, state.mean, state.variance, state.last_observed_at) == (1, 12.5, 0.0, T0)


def test_given_few_readings_when_absorbed_then_mean_and_variance_are_the_plain_running_ones() -> None:
    values = [3.0, 7.0, 4.0, 9.0, 5.5, 6.0, 8.0, 2.0, 5.0, 6.5]

    state = absorb_all(values)

    assert state.count == len(values)
    assert state.mean == pytest.approx(statistics.fmean(values))
    assert state.variance == pytest.approx(statistics.pvariance(values))


def test_given_a_warm_baseline_when_the_level_shifts_then_the_mean_follows_and_old_values_fade() -> None:
    old, new = [10.0] * 100, [20.0] * 100

    state = absorb_all(old + new)

    assert state.mean == pytest.approx(20.0, abs=0.1)  # the plain mean of all 200 values would be 15


def test_given_an_outlier_when_absorbed_then_it_moves_the_mean_less_than_a_normal_value() -> None:
    state = steady(10.0, 1.0)

    normal = absorb(state, 30.0, T0 + timedelta(hours=1))
    outlier = absorb(state, 30.0, T0 + timedelta(hours=1), outlier=True)

    assert state.mean < outlier.mean < normal.mean
    assert (outlier.mean - state.mean) * 5 < normal.mean - state.mean


def test_given_readings_at_or_before_the_last_one_when_checked_then_they_are_late() -> None:
    state = absorb(None, 1.0, T0)

    assert is_late(state, T0)
    assert is_late(state, T0 - timedelta(seconds=1))
    assert not is_late(state, T0 + timedelta(milliseconds=1))
    assert not is_late(None, T0)


def test_given_a_baseline_still_warming_up_when_a_wild_value_arrives_then_no_anomaly_is_raised() -> None:
    warming = steady(10.0, 1.0, count=WARM_UP_READINGS - 1)
    warm = absorb(warming, 10.0, T0 + timedelta(hours=1))

    assert not is_warm(warming)
    assert anomaly_z(warming, 500.0, ANOMALY_RULES["pm2_5"]) is None
    assert is_warm(warm)
    assert anomaly_z(warm, 500.0, ANOMALY_RULES["pm2_5"]) is not None


@pytest.mark.parametrize("metric", ["pm2_5", "pm10", "no2", "o3", "noise_laeq", "water_level"])
def test_given_an_upward_metric_when_it_jumps_either_way_then_only_the_rise_is_an_anomaly(
    metric: str,
) -> None:
    state = steady(100.0, 2.0)

    rise = anomaly_z(state, 120.0, ANOMALY_RULES[metric])
    fall = anomaly_z(state, 80.0, ANOMALY_RULES[metric])

    assert rise is not None and rise >= 4
    assert fall is None


def test_given_hydrogen_sulphide_when_it_rises_well_above_its_usual_trace_then_it_is_an_anomaly() -> None:
    state = steady(0.004, 0.001)

    assert anomaly_z(state, 0.02, ANOMALY_RULES["h2s"]) is not None
    assert anomaly_z(state, 0.0, ANOMALY_RULES["h2s"]) is None


def test_given_traffic_speed_when_it_changes_then_only_a_drop_beyond_three_sigma_is_an_anomaly() -> None:
    state = steady(50.0, 2.0)  # standard deviation 2 km/h
    rule = ANOMALY_RULES["traffic_speed"]

    assert anomaly_z(state, 70.0, rule) is None
    assert anomaly_z(state, 45.0, rule) is None  # z = -2.5
    jam = anomaly_z(state, 43.0, rule)  # z = -3.5
    assert jam is not None and jam < 0
    assert rule.severity_for(jam) is Severity.LOW
    assert rule.severity_for(-6.0) is Severity.MEDIUM


def test_given_traffic_volume_when_it_jumps_either_way_then_both_are_informational_to_low() -> None:
    state = steady(30.0, 2.0)
    rule = ANOMALY_RULES["traffic_volume"]

    up = anomaly_z(state, 40.0, rule)  # z = +5
    down = anomaly_z(state, 16.0, rule)  # z = -7

    assert up is not None and rule.severity_for(up) is Severity.INFORMATIONAL
    assert down is not None and rule.severity_for(down) is Severity.LOW


def test_given_a_flat_lining_sensor_when_it_wiggles_slightly_then_the_deviation_floor_prevents_an_anomaly() -> (
    None
):
    state = absorb_all([20.0] * WARM_UP_READINGS)

    assert state.variance == 0.0
    assert anomaly_z(state, 20.5, ANOMALY_RULES["pm2_5"]) is None
    assert anomaly_z(state, 30.0, ANOMALY_RULES["pm2_5"]) is not None


def test_given_a_warm_baseline_when_a_value_is_far_either_way_then_it_counts_as_an_outlier() -> None:
    state = steady(100.0, 2.0)
    rule = ANOMALY_RULES["pm10"]

    assert is_outlier(state, 150.0, rule)
    assert is_outlier(state, 50.0, rule)
    assert not is_outlier(state, 103.0, rule)
