"""What a camera's analytics remember between uploads: recent people counts and the background.

Kept in DynamoDB (one item per camera, optimistic version). Observations are keyed by the frame's
object key, so a re-delivered upload adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.instants import format_instant, parse_instant

HISTORY_WINDOW = timedelta(minutes=15)
MAX_OBSERVATIONS = 120


@dataclass(frozen=True)
class CrowdObservation:
    frame_key: str
    observed_at: datetime
    counts: dict[str, int]  # zone id → people counted in it

    def to_dict(self) -> dict[str, Any]:
        return {"frame_key": self.frame_key, "at": format_instant(self.observed_at), "counts": self.counts}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrowdObservation:
        counts = {str(zone): int(count) for zone, count in dict(data["counts"]).items()}
        return cls(str(data["frame_key"]), parse_instant(str(data["at"])), counts)


@dataclass(frozen=True)
class CameraState:
    camera_id: str
    version: int = 0
    observations: tuple[CrowdObservation, ...] = ()
    background: bytes | None = None  # grayscale uint8, row-major
    background_shape: tuple[int, int] | None = None  # (rows, columns)
    seen_frames: tuple[str, ...] = field(default=())  # object keys whose analytics are recorded

    def has_seen(self, frame_key: str) -> bool:
        return frame_key in self.seen_frames

    def with_observation(self, observation: CrowdObservation) -> CameraState:
        """Add an observation once; keep those within the window of the newest."""
        if any(o.frame_key == observation.frame_key for o in self.observations):
            return self
        merged = sorted((*self.observations, observation), key=lambda o: o.observed_at)
        newest = merged[-1].observed_at
        kept = [o for o in merged if newest - o.observed_at <= HISTORY_WINDOW][-MAX_OBSERVATIONS:]
        return replace(self, observations=tuple(kept))

    def with_frame(self, frame_key: str) -> CameraState:
        if frame_key in self.seen_frames:
            return self
        return replace(self, seen_frames=(*self.seen_frames, frame_key)[-MAX_OBSERVATIONS:])

    def with_background(self, background: bytes, shape: tuple[int, int]) -> CameraState:
        return replace(self, background=background, background_shape=shape)
