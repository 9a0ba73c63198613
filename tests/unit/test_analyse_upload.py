"""Analysing one upload with in-memory adapters: bursts give motion events, bad objects are
quarantined with a reason, re-deliveries add nothing, and the camera's state survives a lost race."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.adapters.vision.pillow_frames import (
    decode_frames,
    encode_burst,
    encode_redacted,
    encode_still,
)
from chalicelib.bootstrap import build_memory_container
from chalicelib.domain.cameras.config import CameraConfig, Zone, ZonePurpose
from chalicelib.domain.cameras.vision import Box, ModelManifest
from chalicelib.domain.sensing.devices import Device
from chalicelib.services.cameras.analyse_upload import UploadDependencies, analyse_upload
from local.camera_scenes import moving_object_burst, street_background

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
LANE = Zone("lane", ZonePurpose.TRAFFIC_LANE, ((0, 200), (640, 200), (640, 330), (0, 330)), direction_deg=0)
MANIFEST = ModelManifest("fake", "7", "0" * 64, "yolo", 640, 480, ("person",))


class FakeDetector:
    manifest = MANIFEST

    def __init__(self, boxes: list[Box]) -> None:
        self.boxes = boxes
        self.calls = 0

    def detect(self, pixels: object) -> list[Box]:
        self.calls += 1
        return list(self.boxes)


class FakeRegistry:
    def __init__(self, detector: FakeDetector) -> None:
        self.found = detector

    def detector(self, name: str) -> FakeDetector:
        return self.found


@pytest.fixture
def world():
    container = build_memory_container(routing={"carWrongDirection": "police", "crowdDensity": "police"})
    container.devices.add(Device("cam-1", "camera", "police", 51.5, -0.12, "x"))
    container.devices.add(Device("aq-1", "air_quality", "police", 51.5, -0.12, "x"))
    detector = FakeDetector([Box(10, 10, 40, 40, 0.9, "face")])
    deps = UploadDependencies(
        container.media, container.devices, container.cameras, container.incidents, container.routing,
        FakeRegistry(detector), decode_frames, encode_redacted, max_bytes=1_000_000,
    )  # fmt: skip
    return container, deps, detector


def put(container, key: str, body: bytes, content_type: str = "image/webp") -> str:
    container.media.write(key, body, content_type, {"captured-at": "2026-11-30T11:59:00Z"})
    return key


def wrong_way_burst() -> bytes:
    frames = moving_object_burst(
        street_background(), (560, 265), (-120, 0), (60, 40), frames=8, interval_s=0.25
    )
    return encode_burst(frames, 250)


def test_given_a_wrong_way_burst_then_one_event_with_its_media_and_the_background_is_remembered(world):
    container, deps, _ = world
    container.cameras.save_config(CameraConfig("cam-1", 51.5, -0.12, ("fake",), (LANE,)), None)
    key = put(container, "uploads/cam-1/2026/11/30/b1.webp", wrong_way_burst())

    outcome = analyse_upload(key, NOW, deps)

    assert (outcome.status, outcome.events) == ("analysed", 1)
    incident = container.incidents.get(next(iter(outcome.incidents)))
    assert incident.sub_category == "carWrongDirection" and incident.owner_agency == "police"
    event = incident.recent_events[0]
    assert event.details["media"] == {"frame": key, "redacted": "redacted/cam-1/2026/11/30/b1.webp"}
    assert event.details["model"] == {"name": "motion", "version": "1"}
    assert event.observed_at > datetime(2026, 11, 30, 11, 59, tzinfo=UTC)  # the last frame's capture time
    state = container.cameras.get_state("cam-1")
    assert state.background is not None and state.has_seen(key)
    derivative = decode_frames(container.media.read(outcome.redacted_key), "image/webp", NOW)
    assert len(derivative) == 8  # every frame of the burst, faces blurred


def test_given_the_same_upload_twice_then_the_second_is_recognised_and_adds_nothing(world):
    container, deps, detector = world
    container.cameras.save_config(CameraConfig("cam-1", 51.5, -0.12, ("fake",), (LANE,)), None)
    key = put(container, "uploads/cam-1/2026/11/30/b2.webp", wrong_way_burst())
    first = analyse_upload(key, NOW, deps)
    calls = detector.calls

    second = analyse_upload(key, NOW, deps)

    assert second.status == "already_analysed" and detector.calls == calls
    assert container.incidents.get(next(iter(first.incidents))).event_count == 1


def test_given_state_saved_by_someone_else_meanwhile_then_both_frames_are_remembered(world):
    container, deps, _ = world
    crowd = Zone("plaza", ZonePurpose.CROWD_AREA, ((0, 0), (640, 0), (640, 480), (0, 480)), capacity=100)
    container.cameras.save_config(CameraConfig("cam-1", 51.5, -0.12, ("fake",), (crowd,)), None)
    original_get = container.cameras.get_state

    def get_then_race(camera_id):
        state = original_get(camera_id)
        if not container.cameras.states:  # another upload of this camera saves first
            container.cameras.save_state(original_get(camera_id).with_frame("uploads/cam-1/other.jpg"))
        return state

    container.cameras.get_state = get_then_race
    still = encode_still(street_background(), "image/jpeg")
    key = put(container, "uploads/cam-1/2026/11/30/s1.jpg", still, "image/jpeg")

    analyse_upload(key, NOW, deps)

    state = original_get("cam-1")
    assert set(state.seen_frames) == {"uploads/cam-1/other.jpg", key}
    assert [o.frame_key for o in state.observations] == [key]


@pytest.mark.parametrize(
    ("key", "body", "content_type", "reason"),
    [
        ("uploads/cam-1/../../etc/passwd", b"x", "image/jpeg", "MALFORMED_KEY"),
        ("uploads/aq-1/2026/11/30/x.jpg", b"x", "image/jpeg", "UNKNOWN_DEVICE"),
        ("uploads/cam-1/2026/11/30/x.jpg", b"x" * 1_000_001, "image/jpeg", "TOO_LARGE"),
        ("uploads/cam-1/2026/11/30/x.jpg", b"", "image/jpeg", "EMPTY_OBJECT"),
        ("uploads/cam-1/2026/11/30/x.bmp", b"BM", "image/bmp", "UNSUPPORTED_TYPE"),
        ("uploads/cam-1/2026/11/30/x.jpg", b"%PDF-1.7", "image/jpeg", "NOT_AN_IMAGE"),
    ],
)
def test_given_bad_input_then_it_is_quarantined_with_the_reason(world, key, body, content_type, reason):
    container, deps, detector = world
    put(container, key, body, content_type)

    outcome = analyse_upload(key, NOW, deps)

    assert (outcome.status, outcome.reason) == ("quarantined", reason)
    assert key not in container.media.objects
    assert detector.calls == 0


def test_given_an_object_already_gone_then_nothing_happens(world):
    _, deps, _ = world
    assert analyse_upload("uploads/cam-1/2026/11/30/gone.jpg", NOW, deps).status == "missing"


def test_given_a_burst_whose_frames_share_one_capture_time_then_it_is_quarantined_not_retried(world):
    container, deps, _ = world
    container.cameras.save_config(CameraConfig("cam-1", 51.5, -0.12, ("fake",), (LANE,)), None)
    frames = moving_object_burst(
        street_background(), (560, 265), (-120, 0), (60, 40), frames=4, interval_s=0.25
    )
    key = put(container, "uploads/cam-1/2026/11/30/still-time.webp", encode_burst(frames, 0))

    outcome = analyse_upload(key, NOW, deps)

    assert (outcome.status, outcome.reason) == ("quarantined", "INVALID_BURST")
