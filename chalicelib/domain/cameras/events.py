"""Turn camera findings (crowd counts, motion) into DetectionEvents that join the common correlation.

Each event records the model (name and version) or analytic that produced it, the scores and boxes,
and the frame with its redacted derivative; its id comes from the object key, the finding's kind and
zone, so a re-delivered upload yields the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.cameras.config import CameraConfig
from chalicelib.domain.cameras.crowd import CrowdFinding
from chalicelib.domain.cameras.vision import Box
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents import DetectionEvent, event_id_for

MOTION_CATEGORIES = {
    "wrong_way": ("carWrongDirection", Severity.HIGH, "moving against the lane's direction"),
    "stopped_object": ("carStopped", Severity.MEDIUM, "stopped in a no-stopping zone"),
    "queueing": ("trafficJam", Severity.MEDIUM, "traffic queueing in the lane"),
}
MOTION_ANALYTIC = {"name": "motion", "version": "1"}


@dataclass(frozen=True)
class FrameContext:
    camera: CameraConfig
    frame_key: str
    redacted_key: str
    observed_at: datetime

    @property
    def media(self) -> dict[str, str]:
        return {"frame": self.frame_key, "redacted": self.redacted_key}


def crowd_event(
    finding: CrowdFinding, boxes: list[Box], model: dict[str, str], ctx: FrameContext
) -> DetectionEvent:
    people = [box.to_dict() for box in boxes][:50]
    what = "people over capacity" if finding.kind == "crowdDensity" else "crowd growing fast"
    return DetectionEvent(
        event_id=event_id_for(ctx.camera.camera_id, ctx.frame_key, finding.kind, finding.zone_id),
        source_id=ctx.camera.camera_id,
        sub_category=finding.kind,
        severity=finding.severity,
        confidence=finding.confidence,
        magnitude=finding.magnitude,
        lat=ctx.camera.lat,
        lon=ctx.camera.lon,
        observed_at=ctx.observed_at,
        detector="model",
        description=f"{what} in zone {finding.zone_id}: {finding.details.get('people')} people",
        details={
            "zone": finding.zone_id,
            **finding.details,
            "model": model,
            "boxes": people,
            "media": ctx.media,
        },
    )


def motion_event(
    kind: str,
    zone_id: str,
    confidence: float,
    magnitude: float,
    box: tuple[float, float, float, float],
    extra: dict[str, Any],
    ctx: FrameContext,
) -> DetectionEvent:
    sub_category, severity, what = MOTION_CATEGORIES[kind]
    return DetectionEvent(
        event_id=event_id_for(ctx.camera.camera_id, ctx.frame_key, kind, zone_id),
        source_id=ctx.camera.camera_id,
        sub_category=sub_category,
        severity=severity,
        confidence=confidence,
        magnitude=magnitude,
        lat=ctx.camera.lat,
        lon=ctx.camera.lon,
        observed_at=ctx.observed_at,
        detector="motion",
        description=f"object {what} (zone {zone_id})",
        details={
            "zone": zone_id,
            "model": MOTION_ANALYTIC,
            "boxes": [
                {"label": "moving object", "score": round(confidence, 4), "box": [round(v, 1) for v in box]}
            ],
            **extra,
            "media": ctx.media,
        },
    )
