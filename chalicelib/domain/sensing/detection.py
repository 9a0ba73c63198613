"""Detection: turn one sensor reading (or one silent device) into DetectionEvents.

For each reading:
1. Fixed thresholds (thresholds.py) are checked, also for late or redelivered readings: their
   event ids are deterministic, so downstream deduplication drops repeats.
2. A duplicate or out-of-order reading (observed_at ≤ the baseline's last_observed_at) stops here:
   the baseline is left as is (Detection.baseline is None) and no anomaly is evaluated.
3. The reading is scored against the adaptive baseline (baseline.py) and absorbed into it. An
   anomaly becomes an event only when no fixed-threshold event fired for the same reading; it has a
   lower confidence than a threshold event and its magnitude is |z|.

Confidences: threshold 0.8 (a standard was exceeded; the sensor may still be wrong), baseline 0.5
(unusual for this sensor, not necessarily harmful), silence 0.9 (the device is certainly silent; it
may be the network rather than the device). Pure functions: the caller supplies every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents import DetectionEvent, event_id_for
from chalicelib.domain.instants import format_instant
from chalicelib.domain.sensing.baseline import (
    ANOMALY_RULES,
    BaselineState,
    absorb,
    anomaly_z,
    is_late,
    is_outlier,
)
from chalicelib.domain.sensing.devices import SILENCE_FACTOR, Device
from chalicelib.domain.sensing.readings import Reading
from chalicelib.domain.sensing.thresholds import Finding, threshold_hit

THRESHOLD_CONFIDENCE = 0.8
BASELINE_CONFIDENCE = 0.5
SILENCE_CONFIDENCE = 0.9

SUB_CATEGORIES: dict[str, str] = {
    "pm2_5": "airPollution",
    "pm10": "airPollution",
    "no2": "airPollution",
    "o3": "airPollution",
    "noise_laeq": "noise",
    "h2s": "odour",
    "water_level": "flood",
    "traffic_speed": "trafficJam",
    "traffic_volume": "trafficJam",
}

DISPLAY: dict[str, tuple[str, str, str]] = {  # metric: (label, unit, value format)
    "pm2_5": ("PM2.5", "µg/m³", ".1f"),
    "pm10": ("PM10", "µg/m³", ".0f"),
    "no2": ("NO2", "ppb", ".0f"),
    "o3": ("O3", "ppb", ".0f"),
    "noise_laeq": ("Noise", "dB(A)", ".1f"),
    "h2s": ("H2S", "ppm", ".3g"),
    "water_level": ("Water level", "cm", ".0f"),
    "traffic_speed": ("Traffic speed", "km/h", ".1f"),
    "traffic_volume": ("Traffic volume", "vehicles/min", ".0f"),
}


@dataclass(frozen=True)
class Detection:
    events: list[DetectionEvent]
    baseline: BaselineState | None  # the new baseline state for (device, reading.metric); None = leave as is


def detect(reading: Reading, device: Device, baseline: BaselineState | None, local_hour: int) -> Detection:
    """Events for one reading, and the baseline after it. `local_hour` is the city's hour (0–23) at the reading."""
    if not 0 <= local_hour <= 23:
        raise ValueError(f"local_hour must lie between 0 and 23, got {local_hour}")
    rule = ANOMALY_RULES.get(reading.metric)
    if reading.metric not in SUB_CATEGORIES or rule is None:
        return Detection([], None)
    hit = threshold_hit(reading, device, local_hour)
    events = [_event(reading, device, "threshold", THRESHOLD_CONFIDENCE, hit)] if hit else []
    if is_late(baseline, reading.observed_at):
        return Detection(events, None)
    z = anomaly_z(baseline, reading.value, rule)
    if z is not None and baseline is not None and not events:
        anomaly = _anomaly(reading, baseline, z, rule.severity_for(z))
        events.append(_event(reading, device, "baseline", BASELINE_CONFIDENCE, anomaly))
    outlier = is_outlier(baseline, reading.value, rule)
    return Detection(events, absorb(baseline, reading.value, reading.observed_at, outlier))


def silence_deadline(last_seen: datetime, expected_interval_s: int) -> datetime:
    """When a device that last reported at `last_seen` counts as silent."""
    return last_seen + timedelta(seconds=SILENCE_FACTOR * expected_interval_s)


def offline_event(device: Device, now: datetime) -> DetectionEvent:
    """The one event of a silence spell: its id depends on when the device was last seen, not on `now`."""
    last_seen = format_instant(device.last_seen) if device.last_seen else "never"
    silent_s = (now - device.last_seen).total_seconds() if device.last_seen else None
    silent_for = f"since {last_seen}" if silent_s is None else f"for {silent_s / 60:.0f} min"
    return DetectionEvent(
        event_id=event_id_for(device.device_id, "offline", last_seen),
        source_id=device.device_id,
        sub_category="sensorOffline",
        severity=Severity.LOW,
        confidence=SILENCE_CONFIDENCE,
        magnitude=round((silent_s or 0.0) / 60, 1),
        lat=device.lat,
        lon=device.lon,
        observed_at=now,
        detector="silence",
        description=f"{device.device_id} sent nothing {silent_for} (expected every {device.expected_interval_s} s)",
        details={
            "last_seen": last_seen,
            "silent_s": silent_s,
            "expected_interval_s": device.expected_interval_s,
        },
    )


def _event(
    reading: Reading, device: Device, detector: str, confidence: float, finding: Finding
) -> DetectionEvent:
    label, unit, fmt = DISPLAY[reading.metric]
    return DetectionEvent(
        event_id=event_id_for(
            device.device_id, reading.metric, format_instant(reading.observed_at), detector
        ),
        source_id=device.device_id,
        sub_category=SUB_CATEGORIES[reading.metric],
        severity=finding.severity,
        confidence=confidence,
        magnitude=finding.magnitude,
        lat=device.lat,
        lon=device.lon,
        observed_at=reading.observed_at,
        detector=detector,
        description=f"{label} {reading.value:{fmt}} {unit} ({finding.summary}) at {device.device_id}",
        details={"metric": reading.metric, "value": reading.value, "unit": reading.unit, **finding.details},
    )


def _anomaly(reading: Reading, state: BaselineState, z: float, severity: Severity) -> Finding:
    _, unit, fmt = DISPLAY[reading.metric]
    way = "above" if z > 0 else "below"
    summary = f"{abs(z):.1f} standard deviations {way} the usual {state.mean:{fmt}} {unit}"
    details = {"z_score": round(z, 2), "baseline_mean": round(state.mean, 3), "baseline_count": state.count}
    return Finding(severity, round(abs(z), 2), summary, details)
