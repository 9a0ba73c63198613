"""What the simulated sensors measure: a quiet background and scripted episodes.

Times are seconds since the simulation started. The episodes are timed so that a newcomer sees
incidents within 30 s: a PM2.5 spike seen by two nearby air quality sensors (one airPollution
incident whose confidence rises with the second source), an H2S odour episode, a water level rising
through the gauge's alarm levels, and loud noise in a residential street. Backgrounds vary within
narrow bounds so that they never look anomalous.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

WATER_ALARM_LEVELS_CM = {"advisory": 120.0, "warning": 160.0, "severe": 200.0}


@dataclass(frozen=True)
class SensorSpec:
    name: str
    kind: str
    agency: str
    lat: float
    lon: float
    metrics: tuple[str, ...]
    noise_zone: str = "mixed"
    alarm_levels_cm: dict[str, float] = field(default_factory=dict)
    episode_scale: float = 1.0  # how strongly this sensor sees the episodes (1.0 = fully)


SENSORS: tuple[SensorSpec, ...] = (
    SensorSpec("aq-1", "air_quality", "environment", 51.5074, -0.1278, ("pm2_5", "pm10", "no2")),
    SensorSpec(
        "aq-2", "air_quality", "environment", 51.5081, -0.1262, ("pm2_5", "pm10", "no2"), episode_scale=0.85
    ),
    SensorSpec(
        "noise-1", "noise", "environment", 51.5115, -0.1235, ("noise_laeq",), noise_zone="residential"
    ),
    SensorSpec("odour-1", "odour", "sanitation", 51.4995, -0.1248, ("h2s",)),
    SensorSpec(
        "river-1",
        "water_level",
        "utilities",
        51.5055,
        -0.1195,
        ("water_level",),
        alarm_levels_cm=WATER_ALARM_LEVELS_CM,
    ),
    SensorSpec("traffic-1", "traffic", "transport", 51.5150, -0.1419, ("traffic_speed", "traffic_volume")),
)

# metric: (background low, background high)
BACKGROUND: dict[str, tuple[float, float]] = {
    "pm2_5": (8.0, 12.0),
    "pm10": (15.0, 22.0),
    "no2": (18.0, 26.0),
    "noise_laeq": (40.0, 43.0),
    "h2s": (0.002, 0.004),
    "water_level": (78.0, 82.0),
    "traffic_speed": (28.0, 33.0),
    "traffic_volume": (22.0, 28.0),
}


def _ramp(elapsed_s: float, start_s: float, rise_s: float) -> float:
    """0 before `start_s`, rising linearly to 1 over `rise_s` seconds."""
    return min(1.0, max(0.0, (elapsed_s - start_s) / rise_s))


def episode_extra(metric: str, elapsed_s: float) -> float:
    """How far above its background a metric is at this moment of the script."""
    if metric == "pm2_5":
        return 170.0 * _ramp(elapsed_s, 3, 6)  # AQI well into "Unhealthy" and beyond
    if metric == "pm10":
        return 140.0 * _ramp(elapsed_s, 3, 6)
    if metric == "h2s":
        return 6.0 * _ramp(elapsed_s, 6, 9)  # past the 0.03, 0.07 and 5 ppm bands
    if metric == "water_level":
        return 140.0 * _ramp(elapsed_s, 3, 40)  # through advisory, warning and severe levels
    if metric == "noise_laeq":
        return 40.0 * _ramp(elapsed_s, 9, 3)  # a street party in a residential street
    return 0.0


def value_of(sensor: SensorSpec, metric: str, elapsed_s: float, rng: random.Random) -> float:
    low, high = BACKGROUND[metric]
    value = rng.uniform(low, high) + sensor.episode_scale * episode_extra(metric, elapsed_s)
    return round(value, 4 if metric == "h2s" else 1)
