"""Adaptive per-sensor baseline: exponentially weighted mean and variance, and z-scores against it.

Update (the incremental EWMA of mean and variance, after T. Finch, "Incremental calculation of
weighted mean and variance", 2009), for a new value x with weight w:

    diff = x - mean;  mean += w × diff;  variance = (1 - w) × (variance + w × diff²)

- w = max(ALPHA, 1 / count): while few readings are known this is the plain running mean and
  (population) variance, so the warm-up estimate is not dominated by the first value; afterwards it
  is the EWMA with ALPHA = 0.05, a memory of about 1 / ALPHA = 20 readings (half-life ≈ 14 readings,
  about a quarter of an hour for a sensor reporting every minute).
- The z-score of a value is taken against the state *before* it is absorbed. The standard deviation
  has a per-metric floor (about the sensor's resolution) so that a flat-lining sensor does not make
  the next tiny wiggle look infinitely unusual.
- Outliers (|z| at or beyond the metric's anomaly level, in either direction, once warm) move the
  mean with a tenth of the weight (OUTLIER_ALPHA = 0.005, half-life ≈ 140 readings) and leave the
  variance alone: even a small weight on a value 20 σ away would widen the variance by w × 400 σ² a
  step and hide the episode within a dozen readings. So a long pollution episode keeps being reported
  for hours (a 20 σ step for about 320 readings), while a sensor that was moved or recalibrated still
  settles: once the mean has crept within the anomaly level, the values are absorbed at full weight.
- No anomaly is raised before WARM_UP_READINGS readings have been absorbed.
- Direction: a pollutant, noise, odour or water level matters only when it rises; traffic speed only
  when it falls (a jam, from z ≤ -3); traffic volume both ways (informational to low).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from chalicelib.domain.categories import Severity

ALPHA = 0.05
OUTLIER_ALPHA = ALPHA / 10
WARM_UP_READINGS = 30
ANOMALY_Z = 4.0


@dataclass(frozen=True)
class BaselineState:
    count: int
    mean: float
    variance: float
    last_observed_at: datetime


class Direction(Enum):
    UP = 1
    DOWN = -1
    BOTH = 0


@dataclass(frozen=True)
class AnomalyRule:
    direction: Direction
    min_std: float  # floor of the standard deviation, in the metric's unit
    bands: tuple[tuple[float, Severity], ...] = (
        (ANOMALY_Z, Severity.LOW),
    )  # (|z| from, severity), descending

    @property
    def threshold(self) -> float:
        return min(bound for bound, _ in self.bands)

    def severity_for(self, z: float) -> Severity:
        return next(severity for bound, severity in self.bands if abs(z) >= bound)


ANOMALY_RULES: dict[str, AnomalyRule] = {
    "pm2_5": AnomalyRule(Direction.UP, 1.0),
    "pm10": AnomalyRule(Direction.UP, 2.0),
    "no2": AnomalyRule(Direction.UP, 2.0),
    "o3": AnomalyRule(Direction.UP, 2.0),
    "noise_laeq": AnomalyRule(Direction.UP, 1.0),
    "h2s": AnomalyRule(Direction.UP, 0.002),
    "water_level": AnomalyRule(Direction.UP, 1.0),
    "traffic_speed": AnomalyRule(Direction.DOWN, 2.0, ((5.0, Severity.MEDIUM), (3.0, Severity.LOW))),
    "traffic_volume": AnomalyRule(
        Direction.BOTH, 1.0, ((6.0, Severity.LOW), (ANOMALY_Z, Severity.INFORMATIONAL))
    ),
}


def is_late(state: BaselineState | None, observed_at: datetime) -> bool:
    """True for a duplicate or out-of-order reading: it must not move the baseline."""
    return state is not None and observed_at <= state.last_observed_at


def is_warm(state: BaselineState | None) -> bool:
    return state is not None and state.count >= WARM_UP_READINGS


def z_score(state: BaselineState, value: float, min_std: float) -> float:
    return (value - state.mean) / max(math.sqrt(max(state.variance, 0.0)), min_std)


def anomaly_z(state: BaselineState | None, value: float, rule: AnomalyRule) -> float | None:
    """The z-score of `value` if it is an anomaly in the rule's direction, else None (also while warming up)."""
    if state is None or not is_warm(state):
        return None
    z = z_score(state, value, rule.min_std)
    signed = abs(z) if rule.direction is Direction.BOTH else z * rule.direction.value
    return z if signed >= rule.threshold else None


def is_outlier(state: BaselineState | None, value: float, rule: AnomalyRule) -> bool:
    """Far from the baseline in either direction (absorbed with reduced weight)."""
    return state is not None and is_warm(state) and abs(z_score(state, value, rule.min_std)) >= rule.threshold


def absorb(
    state: BaselineState | None, value: float, observed_at: datetime, outlier: bool = False
) -> BaselineState:
    """The baseline after taking in one new (in-order) value."""
    if state is None:
        return BaselineState(count=1, mean=value, variance=0.0, last_observed_at=observed_at)
    count = state.count + 1
    diff = value - state.mean
    if outlier:
        return BaselineState(count, state.mean + OUTLIER_ALPHA * diff, state.variance, observed_at)
    weight = max(ALPHA, 1.0 / count)
    variance = (1.0 - weight) * (state.variance + weight * diff * diff)
    return BaselineState(count, state.mean + weight * diff, variance, observed_at)
