"""Event and incident categories.

Terms follow the Smart Data Models `Alert` vocabulary where it has one (category + subCategory);
the extensions are documented in docs/data-model.md (noise, odour, crowdDensity, crowdFormation,
sensorOffline).
A *family* groups events that may join the same incident; each family has a correlation window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Severity(StrEnum):
    """Smart Data Models Alert severities, in increasing order."""

    INFORMATIONAL = "informational"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self)

    @classmethod
    def highest(cls, first: Severity, second: Severity) -> Severity:
        return first if first.rank >= second.rank else second


_SEVERITY_ORDER = list(Severity)


@dataclass(frozen=True)
class CategorySpec:
    category: str
    sub_category: str
    family: str
    window: timedelta
    title: str
    standard: bool  # True where the term is Smart Data Models Alert vocabulary


CATEGORIES: dict[str, CategorySpec] = {
    spec.sub_category: spec
    for spec in (
        CategorySpec(
            "environment", "airPollution", "airPollution", timedelta(hours=2), "Air pollution", True
        ),
        CategorySpec("environment", "noise", "noise", timedelta(hours=1), "Noise", False),
        CategorySpec("environment", "odour", "odour", timedelta(hours=3), "Odour", False),
        CategorySpec("naturalDisaster", "flood", "flood", timedelta(hours=6), "Flood", True),
        CategorySpec("traffic", "trafficJam", "trafficJam", timedelta(minutes=30), "Traffic jam", True),
        CategorySpec(
            "traffic",
            "carWrongDirection",
            "carWrongDirection",
            timedelta(minutes=15),
            "Wrong-way vehicle",
            True,
        ),
        CategorySpec("traffic", "carStopped", "carStopped", timedelta(minutes=30), "Stopped vehicle", True),
        CategorySpec("security", "crowdDensity", "crowd", timedelta(hours=1), "Crowd over capacity", False),
        CategorySpec(
            "security", "crowdFormation", "crowd", timedelta(hours=1), "Rapid crowd formation", False
        ),
        CategorySpec(
            "technical", "sensorOffline", "sensorOffline", timedelta(hours=24), "Sensor offline", False
        ),
    )
}


def spec_for(sub_category: str) -> CategorySpec:
    return CATEGORIES[sub_category]
