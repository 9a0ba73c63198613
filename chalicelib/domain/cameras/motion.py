"""Motion analytics on a burst of frames: wrong-way travel, stopped objects and queues in zones.

`analyse_burst` finds foreground against a background model, follows blobs across frames
(`motion_tracking`) and applies three rules:
- `wrong_way`: a track mostly inside a traffic lane moves against the lane direction, faster than
  a minimum; magnitude = its speed against the direction (px/s).
- `stopped_object`: a track inside a no-stopping zone stays within a few pixels for at least
  `min_stop_seconds`; magnitude = seconds stopped.
- `queueing`: foreground covers at least `queue_occupancy` of a traffic lane while the median
  speed of its tracks is a crawl; magnitude = occupancy (0..1).

Background: the camera's stored model (grayscale grid, as returned by a previous call) when it
fits, else the per-cell median of the burst. The median absorbs whatever stands still for most of
the burst, so stopped objects are never reported without a usable stored background (the first
burst of a camera, or after a stale one) and queues of slow traffic are usually missed too. A
stored background under which most of the image is foreground (camera moved, light changed) is
stale: the burst median replaces it. Differences are in brightness only: an object as bright as
the road behind it is not seen. Pure and deterministic: the same burst gives the same result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from chalicelib.domain.cameras.config import Zone, ZonePurpose
from chalicelib.domain.cameras.motion_tracking import (
    Rect,
    Track,
    foreground,
    label_blobs,
    polygon_cells,
    to_grid,
    track_blobs,
)
from chalicelib.domain.errors import InvalidInput

if TYPE_CHECKING:
    from chalicelib.domain.cameras.vision import Frame


@dataclass(frozen=True)
class MotionParams:
    grid_factor: int = 4  # analyse block means of factor x factor pixels
    foreground_threshold: float = 25.0  # gray levels from the background
    stale_foreground_fraction: float = 0.5  # more foreground than this: the stored background is stale
    min_blob_area_px: float = 150.0
    max_speed_px_s: float = 400.0  # farthest a blob may jump between frames, per second
    min_track_points: int = 3
    min_inside_fraction: float = 0.6  # share of a track's points that must lie inside the zone
    wrong_way_min_speed_px_s: float = 15.0
    wrong_way_min_alignment: float = 0.7  # cosine between the motion and the reversed lane direction
    stop_radius_px: float = 6.0
    min_stop_seconds: float = 2.0
    queue_occupancy: float = 0.35
    queue_slow_speed_px_s: float = 20.0
    background_alpha: float = 0.2  # weight of this burst in the stored background


@dataclass(frozen=True)
class MotionFinding:
    kind: str  # "wrong_way", "stopped_object" or "queueing"
    zone_id: str
    confidence: float
    magnitude: float
    box: Rect  # original image pixels
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "zone_id": self.zone_id,
            "confidence": self.confidence,
            "magnitude": round(self.magnitude, 3),
            "box": [round(v, 1) for v in self.box],
            "details": self.details,
        }


@dataclass(frozen=True)
class MotionAnalysis:
    findings: list[MotionFinding]
    tracks: list[Track]
    background: np.ndarray  # uint8 grayscale grid to store for the camera's next burst
    stored_background_used: bool = False


def analyse_burst(
    frames: list[Frame],
    zones: list[Zone],
    background: np.ndarray | None = None,
    params: MotionParams = MotionParams(),
) -> MotionAnalysis:
    """Findings and tracks of one burst, and the background to store for the camera's next burst.

    Raises InvalidInput (code INVALID_BURST) for no frames, frames of different sizes or capture
    times that do not increase. Fewer than two frames give no findings, only a background.
    """
    times = _seconds(frames)
    grid = to_grid([frame.pixels for frame in frames], params.grid_factor)
    mask, new_background, stored = _background_model(grid, background, params)
    if len(frames) < 2:
        return MotionAnalysis([], [], new_background, stored)
    min_cells = max(1, math.ceil(params.min_blob_area_px / params.grid_factor**2))
    blobs = label_blobs(mask, params.grid_factor, min_cells)
    tracks = track_blobs(blobs, times, params.max_speed_px_s, slack=2.0 * params.grid_factor)
    findings: list[MotionFinding] = []
    for zone in zones:
        if zone.purpose is ZonePurpose.TRAFFIC_LANE:
            findings += [f for track in tracks if (f := _wrong_way(track, zone, params))]
            cells = polygon_cells(zone.polygon, mask.shape[1:], params.grid_factor)
            findings += _queueing(zone, cells, mask, tracks, params)
        elif zone.purpose is ZonePurpose.NO_STOPPING and stored:
            findings += [f for track in tracks if (f := _stopped(track, zone, params))]
    return MotionAnalysis(findings, tracks, new_background, stored)


def _background_model(
    grid: np.ndarray, background: np.ndarray | None, params: MotionParams
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Foreground mask, updated background, and whether the stored background was used."""
    median = np.median(grid, axis=0)
    if background is not None and background.shape == median.shape:
        mask = foreground(grid, background, params.foreground_threshold)
        if float(np.median(mask.mean(axis=(1, 2)))) <= params.stale_foreground_fraction:
            alpha = params.background_alpha
            updated = (1 - alpha) * background.astype(np.float32) + alpha * median
            return mask, np.clip(np.rint(updated), 0, 255).astype(np.uint8), True
    mask = foreground(grid, median, params.foreground_threshold)
    return mask, np.clip(np.rint(median), 0, 255).astype(np.uint8), False


def _seconds(frames: list[Frame]) -> list[float]:
    if not frames:
        raise InvalidInput("a burst needs at least one frame", "INVALID_BURST")
    if len({frame.pixels.shape for frame in frames}) != 1 or frames[0].pixels.ndim != 3:
        raise InvalidInput("all frames of a burst must be RGB images of the same size", "INVALID_BURST")
    times = [(frame.captured_at - frames[0].captured_at).total_seconds() for frame in frames]
    if any(later <= earlier for earlier, later in zip(times, times[1:], strict=False)):
        raise InvalidInput("frame capture times must increase", "INVALID_BURST")
    return times


def _inside(track: Track, zone: Zone) -> float:
    return sum(zone.contains(x, y) for _, x, y in track.points) / len(track.points)


def _wrong_way(track: Track, zone: Zone, params: MotionParams) -> MotionFinding | None:
    inside = _inside(track, zone)
    if len(track.points) < params.min_track_points or inside < params.min_inside_fraction:
        return None
    vx, vy = track.velocity()
    speed = math.hypot(vx, vy)
    against = -(vx * zone.direction[0] + vy * zone.direction[1])
    if against < params.wrong_way_min_speed_px_s or against < params.wrong_way_min_alignment * speed:
        return None
    coverage = min(1.0, (len(track.points) - 1) / 4)
    details = {
        "speed_px_s": round(speed, 1),
        "heading_deg": round(math.degrees(math.atan2(vy, vx)) % 360, 1),
        "points": len(track.points),
    }
    confidence = round(0.9 * (against / speed) * inside * coverage, 3)
    return MotionFinding("wrong_way", zone.zone_id, confidence, against, track.boxes[-1], details)


def _stopped(track: Track, zone: Zone, params: MotionParams) -> MotionFinding | None:
    start, end = track.longest_still_run(params.stop_radius_px)
    seconds = track.points[end][0] - track.points[start][0]
    still = np.array(track.points[start : end + 1])
    x, y = float(still[:, 1].mean()), float(still[:, 2].mean())
    if seconds < params.min_stop_seconds or not zone.contains(x, y):
        return None
    confidence = round(0.9 * min(1.0, seconds / (2 * params.min_stop_seconds)), 3)
    details = {"stopped_seconds": round(seconds, 2), "x": round(x, 1), "y": round(y, 1)}
    return MotionFinding("stopped_object", zone.zone_id, confidence, seconds, track.boxes[end], details)


def _queueing(
    zone: Zone, cells: np.ndarray, mask: np.ndarray, tracks: list[Track], params: MotionParams
) -> list[MotionFinding]:
    area = int(cells.sum())
    if area == 0:
        return []
    occupancy = float(np.mean((mask & cells).sum(axis=(1, 2)))) / area
    speeds = [math.hypot(*t.velocity()) for t in tracks if _inside(t, zone) >= params.min_inside_fraction]
    speed = float(np.median(speeds)) if speeds else 0.0
    if occupancy < params.queue_occupancy or speed >= params.queue_slow_speed_px_s:
        return []
    xs, ys = zip(*zone.polygon, strict=True)
    confidence = round(min(0.9, 0.5 + (occupancy - params.queue_occupancy)), 3)
    details = {"occupancy": round(occupancy, 3), "median_speed_px_s": round(speed, 1), "tracks": len(speeds)}
    return [
        MotionFinding(
            "queueing",
            zone.zone_id,
            confidence,
            occupancy,
            (float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys))),
            details,
        )
    ]
