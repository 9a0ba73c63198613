"""Analyse one uploaded still or burst: check it, run the camera's models, redact faces, find crowds
and motion, and record what was found as DetectionEvents in the common correlation.

Exactly once in effect: events have ids derived from the object key, so a re-delivered S3 event
records nothing twice; the camera's state is saved only after its events are recorded and remembers
the frames it has analysed. Bad input is moved to quarantine with the reason; it never raises.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain.cameras.config import CameraConfig
from chalicelib.domain.cameras.events import FrameContext
from chalicelib.domain.cameras.media_keys import UPLOAD_KEY, derivative_type, redacted_key_of
from chalicelib.domain.cameras.ports import CameraRepository, DetectorRegistry, MediaStore, StoredObject
from chalicelib.domain.cameras.state import CameraState
from chalicelib.domain.cameras.vision import MEDIA_TYPES, Box, Frame, RejectedMedia
from chalicelib.domain.incidents import IncidentRepository, RoutingTable
from chalicelib.domain.instants import parse_instant
from chalicelib.domain.response import PlaybookIndex, TaskRepository
from chalicelib.domain.sensing import DeviceRepository
from chalicelib.services.cameras.analytics import CameraAnalytics, analyse_frames
from chalicelib.services.incidents.correlate_event import correlate_event

_DERIVATIVES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="derivative")
FACE = "face"

Decode = Callable[[bytes, str, datetime], list[Frame]]
EncodeRedacted = Callable[[list[Frame], list[list[Box]], str], tuple[bytes, str]]


@dataclass(frozen=True)
class UploadDependencies:
    media: MediaStore
    devices: DeviceRepository
    cameras: CameraRepository
    incidents: IncidentRepository
    routing: RoutingTable
    detectors: DetectorRegistry
    decode: Decode
    encode_redacted: EncodeRedacted
    max_bytes: int
    tasks: TaskRepository | None = None  # field photos under evidence/ belong to a task
    playbooks: Callable[[], PlaybookIndex | None] = lambda: None  # the current index, cached by its owner


@dataclass
class UploadOutcome:
    key: str
    status: str  # "analysed", "quarantined", "already_analysed", "missing"
    reason: str | None = None
    events: int = 0
    faces: int = 0
    incidents: set[str] = field(default_factory=set)
    redacted_key: str | None = None


Step = Callable[[str, datetime, "UploadDependencies"], UploadOutcome]


def analyse_upload(key: str, event_time: datetime, deps: UploadDependencies) -> UploadOutcome:
    return quarantining(_analyse, key, event_time, deps)


def quarantining(step: Step, key: str, event_time: datetime, deps: UploadDependencies) -> UploadOutcome:
    """Run `step`; media it rejects is moved to quarantine with the reason, never raised."""
    try:
        return step(key, event_time, deps)
    except RejectedMedia as rejection:
        deps.media.quarantine(key, rejection.code)
        return UploadOutcome(key, "quarantined", reason=rejection.code)


def _analyse(key: str, event_time: datetime, deps: UploadDependencies) -> UploadOutcome:
    match = UPLOAD_KEY.match(key)
    if match is None:
        raise RejectedMedia(f"{key!r} is not an upload key", "MALFORMED_KEY")
    stored = deps.media.head(key)
    if stored is None:
        return UploadOutcome(key, "missing")  # already quarantined, or deleted: nothing to do
    device = deps.devices.get(match["device"])
    if device is None or device.kind != "camera":
        raise RejectedMedia(f"no camera {match['device']!r} is registered", "UNKNOWN_DEVICE")
    check_object(stored, deps.max_bytes)
    camera = deps.cameras.get_config(device.device_id) or CameraConfig(
        device.device_id, device.lat, device.lon
    )
    state = deps.cameras.get_state(camera.camera_id)
    redacted_key = redacted_key_of(key, stored.content_type)
    if state.has_seen(key):
        return UploadOutcome(key, "already_analysed", redacted_key=redacted_key)
    frames = deps.decode(deps.media.read(key), stored.content_type, _captured_at(stored.metadata, event_time))
    boxes = [_detect_all(frame, camera, deps.detectors) for frame in frames]
    faces = [[box for box in frame_boxes if box.label == FACE] for frame_boxes in boxes]
    redacted_key = redacted_key_of(key, stored.content_type, len(frames))
    # The derivative is encoded and written while the analytics and correlation run (Pillow's encoder
    # and the upload release the GIL); the frame counts as analysed only once both are done.
    derivative = _DERIVATIVES.submit(
        write_derivative, deps, key, redacted_key, frames, faces, stored.content_type
    )
    ctx = FrameContext(camera, key, redacted_key, frames[-1].captured_at)
    models = {name: _model_info(deps.detectors, name) for name in camera.models}
    analytics = analyse_frames(CameraAnalytics(frames, boxes, models, state), ctx)
    outcome = UploadOutcome(key, "analysed", faces=sum(map(len, faces)), redacted_key=redacted_key)
    for event in analytics.events:
        correlation = correlate_event(event, device.agency, deps.incidents, deps.routing, deps.playbooks())
        if correlation.incident_id:
            outcome.events += 1
            outcome.incidents.add(correlation.incident_id)
    derivative.result()  # raises what the write raised: the record is retried, nothing is lost
    _save_state(deps.cameras, analytics.state.with_frame(key))
    return outcome


def check_object(stored: StoredObject, max_bytes: int) -> None:
    """What can be refused from the object's head alone, before a byte of it is read."""
    if stored.size == 0:
        raise RejectedMedia("the object is empty", "EMPTY_OBJECT")
    if stored.size > max_bytes:
        raise RejectedMedia(f"{stored.size} bytes is over the {max_bytes} byte limit", "TOO_LARGE")
    if stored.content_type not in MEDIA_TYPES:
        raise RejectedMedia(f"content type {stored.content_type!r} is not accepted", "UNSUPPORTED_TYPE")


def write_derivative(
    deps: UploadDependencies,
    key: str,
    redacted_key: str,
    frames: list[Frame],
    faces: list[list[Box]],
    content_type: str,
) -> None:
    body, encoded_type = deps.encode_redacted(frames, faces, content_type)
    if encoded_type != derivative_type(content_type, len(frames)):
        raise ValueError(f"the derivative of {key} was encoded as {encoded_type}")
    metadata = {"original-key": key, "faces": str(sum(map(len, faces)))}
    deps.media.write(redacted_key, body, encoded_type, metadata)


def _detect_all(frame: Frame, camera: CameraConfig, detectors: DetectorRegistry) -> list[Box]:
    found: list[Box] = []
    for name in camera.models:
        found.extend(detectors.detector(name).detect(frame.pixels))
    return found


def _model_info(detectors: DetectorRegistry, name: str) -> dict[str, str]:
    manifest = detectors.detector(name).manifest
    return {"name": manifest.name, "version": manifest.version}


def _captured_at(metadata: dict[str, str], fallback: datetime) -> datetime:
    try:
        return parse_instant(metadata["captured-at"])
    except (KeyError, ValueError):
        return fallback


def _save_state(cameras: CameraRepository, state: CameraState) -> None:
    if cameras.save_state(state):
        return
    # Someone else moved the state (another upload of this camera): merge what this frame adds.
    latest = cameras.get_state(state.camera_id)
    for observation in state.observations:
        latest = latest.with_observation(observation)
    latest = latest.with_frame(state.seen_frames[-1]) if state.seen_frames else latest
    cameras.save_state(latest)
