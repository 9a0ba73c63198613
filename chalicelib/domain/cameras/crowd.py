"""Crowd analytics: people counted per zone, density over capacity, and rapid crowd formation.

A person is placed where a detector saw them: a `person` box by its foot point (bottom centre, on
the ground plane the zone was drawn on), a `face` box by its centre. Counting faces is a lower bound
of the people present (backs of heads are missed); it is what the bundled CenterFace model gives
until an operator uploads a person detector.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from chalicelib.domain.cameras.config import Zone, ZonePurpose
from chalicelib.domain.cameras.state import CrowdObservation
from chalicelib.domain.cameras.vision import Box
from chalicelib.domain.categories import Severity

PEOPLE_LABELS = frozenset({"person", "pedestrian", "face"})
DENSITY_LEVELS = ((1.5, Severity.CRITICAL), (1.0, Severity.HIGH), (0.8, Severity.MEDIUM))
FORMATION_WINDOW = timedelta(minutes=5)
FORMATION_MIN_GROWTH = 5  # people
FORMATION_SHARE_OF_CAPACITY = 0.3


@dataclass(frozen=True)
class CrowdFinding:
    kind: str  # "crowdDensity" or "crowdFormation"
    zone_id: str
    severity: Severity
    confidence: float
    magnitude: float  # density (count / capacity) or growth in people per minute
    details: dict[str, float | int | str]


def people_per_zone(boxes: list[Box], zones: list[Zone]) -> dict[str, int]:
    counts = {zone.zone_id: 0 for zone in zones}
    for box in boxes:
        if box.label not in PEOPLE_LABELS:
            continue
        x, y = box.center if box.label == "face" else box.foot
        for zone in zones:
            if zone.contains(x, y):
                counts[zone.zone_id] += 1
    return counts


def crowd_findings(
    zones: list[Zone], observation: CrowdObservation, history: tuple[CrowdObservation, ...]
) -> list[CrowdFinding]:
    findings: list[CrowdFinding] = []
    for zone in zones:
        if zone.purpose is not ZonePurpose.CROWD_AREA or not zone.capacity:
            continue
        count = observation.counts.get(zone.zone_id, 0)
        density = _density(zone, count)
        if density is not None:
            findings.append(density)
        formation = _formation(zone, observation, history)
        if formation is not None:
            findings.append(formation)
    return findings


def _density(zone: Zone, count: int) -> CrowdFinding | None:
    capacity = zone.capacity or 1
    ratio = count / capacity
    for floor, severity in DENSITY_LEVELS:
        if ratio >= floor:
            confidence = min(0.95, 0.6 + 0.05 * count)
            details: dict[str, float | int | str] = {"people": count, "capacity": capacity}
            return CrowdFinding("crowdDensity", zone.zone_id, severity, confidence, round(ratio, 3), details)
    return None


def _formation(
    zone: Zone, observation: CrowdObservation, history: tuple[CrowdObservation, ...]
) -> CrowdFinding | None:
    """Growth from the smallest count seen in the window before this observation."""
    since = observation.observed_at - FORMATION_WINDOW
    earlier = [o for o in history if since <= o.observed_at < observation.observed_at]
    if not earlier:
        return None
    now = observation.counts.get(zone.zone_id, 0)
    low = min(earlier, key=lambda o: o.counts.get(zone.zone_id, 0))
    growth = now - low.counts.get(zone.zone_id, 0)
    needed = max(FORMATION_MIN_GROWTH, FORMATION_SHARE_OF_CAPACITY * (zone.capacity or 0))
    if growth < needed:
        return None
    minutes = max((observation.observed_at - low.observed_at).total_seconds() / 60, 1 / 60)
    rate = growth / minutes
    severity = Severity.HIGH if growth >= 2 * needed else Severity.MEDIUM
    details: dict[str, float | int | str] = {"people": now, "growth": growth, "minutes": round(minutes, 2)}
    confidence = min(0.9, 0.5 + 0.05 * growth)
    return CrowdFinding("crowdFormation", zone.zone_id, severity, confidence, round(rate, 2), details)
