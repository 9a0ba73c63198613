"""Fixed thresholds from standards: which single reading is, on its own, worth an event.

Air quality: the US EPA AQI (see aqi.py); an event from AQI 101 (Unhealthy for Sensitive Groups).

Noise (LAeq, dB(A)): WHO Guidelines for Community Noise (1999) set 55 dB(A) by day and 45 dB(A) at
night outside dwellings; the EU Environmental Noise Directive (2002/49/EC) defines the periods (night
23:00–07:00 local; its evening period is counted as day here) and leaves limit values to member
states, which set them per land-use zone. The zone table below follows that common pattern.
An event from the limit on (exceedance ≥ 0 dB); severity by the exceedance: < 5 dB low, < 10 medium,
< 20 high, else critical.

Hydrogen sulphide (ppm): smelt by most people from about 0.008 ppm (ATSDR) — too low for an alert on
its own, the baseline detector reports unusual rises below the first band. Bands:
0.03 ppm low (odour nuisance; California 1-hour ambient standard, complaints expected),
0.07 ppm medium (ATSDR acute inhalation MRL), 5 ppm high (eye and airway irritation, WHO/ATSDR),
20 ppm critical (OSHA ceiling; NIOSH IDLH is 100 ppm).

Water level (cm): alarm levels are per gauge (Device.alarm_levels_cm: "advisory", "warning",
"severe"); a gauge without levels raises no fixed-threshold event. The highest level reached sets
the severity (advisory low, warning high, severe critical). Magnitude is the height above the gauge's
lowest alarm level — the first one any rise crosses — so it grows steadily with the water.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.categories import Severity
from chalicelib.domain.sensing.aqi import AqiCategory, aqi_for
from chalicelib.domain.sensing.devices import Device
from chalicelib.domain.sensing.readings import Reading

AQI_SEVERITY: dict[AqiCategory, Severity] = {
    AqiCategory.UNHEALTHY_FOR_SENSITIVE_GROUPS: Severity.LOW,
    AqiCategory.UNHEALTHY: Severity.MEDIUM,
    AqiCategory.VERY_UNHEALTHY: Severity.HIGH,
    AqiCategory.HAZARDOUS: Severity.CRITICAL,
}

NIGHT_STARTS_AT = 23
NIGHT_ENDS_AT = 7
DEFAULT_NOISE_ZONE = "mixed"
NOISE_LIMITS_DBA: dict[str, tuple[float, float]] = {  # zone: (day, night)
    "residential": (55.0, 45.0),
    "mixed": (60.0, 50.0),
    "commercial": (65.0, 55.0),
    "industrial": (70.0, 60.0),
}
NOISE_SEVERITY: tuple[tuple[float, Severity], ...] = (  # (exceedance below, severity)
    (5.0, Severity.LOW),
    (10.0, Severity.MEDIUM),
    (20.0, Severity.HIGH),
)

H2S_BANDS_PPM: tuple[tuple[float, Severity, str], ...] = (  # (from, severity, what it means), descending
    (20.0, Severity.CRITICAL, "occupational ceiling"),
    (5.0, Severity.HIGH, "irritation"),
    (0.07, Severity.MEDIUM, "acute health"),
    (0.03, Severity.LOW, "odour nuisance"),
)

WATER_LEVEL_SEVERITY: dict[str, Severity] = {
    "advisory": Severity.LOW,
    "warning": Severity.HIGH,
    "severe": Severity.CRITICAL,
}


@dataclass(frozen=True)
class Finding:
    """What a rule found about one reading: worth an event of this severity and magnitude."""

    severity: Severity
    magnitude: float
    summary: str  # for people, e.g. "AQI 255, Very Unhealthy"
    details: dict[str, Any] = field(default_factory=dict)


def is_night(local_hour: int) -> bool:
    return local_hour >= NIGHT_STARTS_AT or local_hour < NIGHT_ENDS_AT


def noise_limit(zone: str, local_hour: int) -> tuple[str, float]:
    """The zone actually applied (unknown zones count as mixed) and its limit at that hour."""
    known = zone.strip().lower() if zone.strip().lower() in NOISE_LIMITS_DBA else DEFAULT_NOISE_ZONE
    day, night = NOISE_LIMITS_DBA[known]
    return known, night if is_night(local_hour) else day


def air_quality_hit(reading: Reading, device: Device, local_hour: int) -> Finding | None:
    index = aqi_for(reading.metric, reading.value)
    severity = AQI_SEVERITY.get(index.category)
    if severity is None:
        return None
    summary = f"AQI {index.aqi}, {index.category.value}"
    return Finding(
        severity, float(index.aqi), summary, {"aqi": index.aqi, "aqi_category": index.category.value}
    )


def noise_hit(reading: Reading, device: Device, local_hour: int) -> Finding | None:
    zone, limit = noise_limit(device.noise_zone, local_hour)
    if reading.value < limit:
        return None
    over = round(reading.value - limit, 1)
    period = "night" if is_night(local_hour) else "day"
    severity = next((s for below, s in NOISE_SEVERITY if over < below), Severity.CRITICAL)
    summary = f"{over:.1f} dB over the {period} limit of {limit:g} dB(A), {zone} zone"
    return Finding(
        severity, over, summary, {"limit": limit, "zone": zone, "period": period, "exceedance": over}
    )


def h2s_hit(reading: Reading, device: Device, local_hour: int) -> Finding | None:
    band = next((b for b in H2S_BANDS_PPM if reading.value >= b[0]), None)
    if band is None:
        return None
    limit, severity, meaning = band
    summary = f"at or above the {limit:g} ppm {meaning} level"
    return Finding(severity, reading.value, summary, {"limit": limit, "level": meaning})


def water_level_hit(reading: Reading, device: Device, local_hour: int) -> Finding | None:
    levels = {name: cm for name, cm in device.alarm_levels_cm.items() if name in WATER_LEVEL_SEVERITY}
    reached = [name for name, cm in levels.items() if reading.value >= cm]
    if not reached:
        return None
    name = max(reached, key=lambda level: WATER_LEVEL_SEVERITY[level].rank)
    above = round(reading.value - min(levels.values()), 1)
    summary = f"{name} level of {levels[name]:g} cm reached"
    details = {"level": name, "limit": levels[name], "above_lowest_level": above}
    return Finding(WATER_LEVEL_SEVERITY[name], above, summary, details)


THRESHOLD_RULES: dict[str, Callable[[Reading, Device, int], Finding | None]] = {
    "pm2_5": air_quality_hit,
    "pm10": air_quality_hit,
    "no2": air_quality_hit,
    "o3": air_quality_hit,
    "noise_laeq": noise_hit,
    "h2s": h2s_hit,
    "water_level": water_level_hit,
}


def threshold_hit(reading: Reading, device: Device, local_hour: int) -> Finding | None:
    """The fixed-threshold finding for one reading, or None (also for metrics without fixed thresholds)."""
    rule = THRESHOLD_RULES.get(reading.metric)
    return rule(reading, device, local_hour) if rule else None
