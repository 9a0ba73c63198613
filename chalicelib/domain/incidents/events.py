"""DetectionEvent: one observation that something may be happening, from one source."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.domain.categories import CategorySpec, Severity, spec_for
from chalicelib.domain.instants import format_instant, parse_instant


@dataclass(frozen=True)
class DetectionEvent:
    event_id: str
    source_id: str  # the device (or camera, or reporter) that observed it
    sub_category: str
    severity: Severity
    confidence: float  # 0..1, how sure this source is
    magnitude: float  # comparable within a family: AQI, dB over limit, z-score …
    lat: float
    lon: float
    observed_at: datetime
    detector: str  # "threshold", "baseline", "silence" …
    description: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> CategorySpec:
        return spec_for(self.sub_category)

    @property
    def category(self) -> str:
        return self.spec.category

    @property
    def family(self) -> str:
        return self.spec.family

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "source_id": self.source_id,
            "sub_category": self.sub_category,
            "severity": self.severity.value,
            "confidence": self.confidence,
            "magnitude": self.magnitude,
            "lat": self.lat,
            "lon": self.lon,
            "observed_at": format_instant(self.observed_at),
            "detector": self.detector,
            "description": self.description,
            "details": self.details,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DetectionEvent:
        return cls(
            event_id=str(data["event_id"]),
            source_id=str(data["source_id"]),
            sub_category=str(data["sub_category"]),
            severity=Severity(data["severity"]),
            confidence=float(data["confidence"]),
            magnitude=float(data["magnitude"]),
            lat=float(data["lat"]),
            lon=float(data["lon"]),
            observed_at=parse_instant(str(data["observed_at"])),
            detector=str(data["detector"]),
            description=str(data["description"]),
            details=dict(data.get("details") or {}),
        )


def event_id_for(*parts: str) -> str:
    """A deterministic event id: the same observation always yields the same id (idempotency)."""
    return "evt_" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
