"""The analytics of one upload: people per crowd zone and motion in lanes and no-stopping zones.

Returns the DetectionEvents to record and the camera's next state (people counts, background).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chalicelib.domain.cameras.config import ZonePurpose
from chalicelib.domain.cameras.crowd import PEOPLE_LABELS, crowd_findings, people_per_zone
from chalicelib.domain.cameras.events import FrameContext, crowd_event, motion_event
from chalicelib.domain.cameras.motion import analyse_burst
from chalicelib.domain.cameras.state import CameraState, CrowdObservation
from chalicelib.domain.cameras.vision import Box, Frame, RejectedMedia
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.incidents import DetectionEvent


@dataclass(frozen=True)
class CameraAnalytics:
    frames: list[Frame]
    boxes: list[list[Box]]  # per frame, from every model the camera runs
    models: dict[str, dict[str, str]]  # model name → {"name", "version"}
    state: CameraState


@dataclass(frozen=True)
class AnalyticsResult:
    events: list[DetectionEvent]
    state: CameraState


def analyse_frames(inputs: CameraAnalytics, ctx: FrameContext) -> AnalyticsResult:
    events, state = _crowds(inputs, ctx)
    motion_events, state = _motion(inputs, ctx, state)
    return AnalyticsResult(events + motion_events, state)


def _crowds(inputs: CameraAnalytics, ctx: FrameContext) -> tuple[list[DetectionEvent], CameraState]:
    zones = ctx.camera.zones_for(ZonePurpose.CROWD_AREA)
    if not zones:
        return [], inputs.state
    per_frame = [people_per_zone(boxes, zones) for boxes in inputs.boxes]
    busiest = max(range(len(per_frame)), key=lambda index: sum(per_frame[index].values()))
    observation = CrowdObservation(ctx.frame_key, inputs.frames[busiest].captured_at, per_frame[busiest])
    findings = crowd_findings(zones, observation, inputs.state.observations)
    model = next(iter(inputs.models.values()), {"name": "unknown", "version": "0"})
    by_zone = {zone.zone_id: zone for zone in zones}
    events = []
    for finding in findings:
        zone = by_zone[finding.zone_id]
        people = [
            box
            for box in inputs.boxes[busiest]
            if box.label in PEOPLE_LABELS
            and zone.contains(*(box.center if box.label == "face" else box.foot))
        ]
        events.append(crowd_event(finding, people, model, ctx))
    return events, inputs.state.with_observation(observation)


def _motion(
    inputs: CameraAnalytics, ctx: FrameContext, state: CameraState
) -> tuple[list[DetectionEvent], CameraState]:
    zones = ctx.camera.zones_for(ZonePurpose.TRAFFIC_LANE) + ctx.camera.zones_for(ZonePurpose.NO_STOPPING)
    if not zones or len(inputs.frames) < 2:
        return [], state
    background = None
    if state.background is not None and state.background_shape is not None:
        background = np.frombuffer(state.background, dtype=np.uint8).reshape(state.background_shape)
    try:
        analysis = analyse_burst(inputs.frames, zones, background)
    except InvalidInput as error:  # frames of mixed sizes, or capture times not increasing
        raise RejectedMedia(error.message, "INVALID_BURST") from None
    events = [
        motion_event(f.kind, f.zone_id, f.confidence, f.magnitude, f.box, dict(f.details), ctx)
        for f in analysis.findings
    ]
    learned = np.ascontiguousarray(analysis.background, dtype=np.uint8)
    shape = (int(learned.shape[0]), int(learned.shape[1]))
    return events, state.with_background(learned.tobytes(), shape)
