"""An operator brings their own YOLO-layout detector: register its manifest through GraphQL, upload the
ONNX file, activate it, and the camera that names it counts people with it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chalicelib.adapters.vision.model_registry import ModelRegistry
from chalicelib.adapters.vision.pillow_frames import encode_still
from chalicelib.domain.cameras.config import CameraConfig, Zone, ZonePurpose
from chalicelib.domain.cameras.vision import model_key
from chalicelib.domain.sensing.devices import Device
from chalicelib.services.cameras.analyse_upload import analyse_upload
from tests.integration.test_graphql import answer, build_container, error_codes, post
from tests.support.onnx_graphs import tiny_model

CLASSES = ["person", "bicycle", "car", "motorcycle", "bus", "truck"]
REGISTER = """mutation ($input: ModelManifestInput!) {
  registerModel(input: $input) { model { name version sha256 } url fields }
}"""
ACTIVATE = "mutation ($name: String!, $version: String!) { activateModel(name: $name, version: $version) { name version } }"


def people_detector(count: int) -> bytes:
    """A YOLOv8-layout export (1, 4 + classes, anchors) that sees `count` people and one car."""
    anchors = np.zeros((1, 4 + len(CLASSES), count + 1), dtype=np.float32)
    for index in range(count):
        anchors[0, :4, index] = (60 + index * 100, 300, 40, 120)  # cx, cy, w, h in 640x640 input
        anchors[0, 4, index] = 0.9
    anchors[0, :4, count] = (320, 200, 120, 60)
    anchors[0, 4 + 2, count] = 0.8
    return tiny_model({"output0": anchors})


def manifest_input(model: bytes, version: str = "2") -> dict[str, Any]:
    return {
        "name": "crowd-yolo",
        "version": version,
        "sha256": hashlib.sha256(model).hexdigest(),
        "layout": "YOLO",
        "inputWidth": 640,
        "inputHeight": 640,
        "classNames": CLASSES,
    }


@pytest.fixture
def container(tmp_path: Path, signing_key: Any) -> Any:
    return build_container(tmp_path, signing_key)


def test_given_an_uploaded_yolo_model_when_activated_then_a_camera_counts_people_with_it(
    client, token, container, tmp_path
):
    admin = token("police", ("admin",))
    model = people_detector(5)
    registered = answer(post(client, REGISTER, admin, input=manifest_input(model)))["data"]["registerModel"]
    assert registered["fields"]["key"] == model_key("crowd-yolo", "2")
    container.media.write(model_key("crowd-yolo", "2"), model, "application/octet-stream", {})  # the POST
    assert (
        answer(post(client, ACTIVATE, admin, name="crowd-yolo", version="2"))["data"]["activateModel"][
            "version"
        ]
        == "2"
    )

    container.devices.add(Device("cam-7", "camera", "police", 51.5, -0.12, "x"))
    plaza = Zone("plaza", ZonePurpose.CROWD_AREA, ((0, 0), (640, 0), (640, 480), (0, 480)), capacity=4)
    container.cameras.save_config(CameraConfig("cam-7", 51.5, -0.12, ("crowd-yolo",), (plaza,)), None)
    key = "uploads/cam-7/2026/11/30/frame.jpg"
    still = encode_still(np.full((480, 640, 3), 120, dtype=np.uint8), "image/jpeg")
    container.media.write(key, still, "image/jpeg", {})
    container.detectors = ModelRegistry(container.media.read, str(tmp_path / "cache"))
    deps = container.inference

    outcome = analyse_upload(key, datetime.now(UTC), deps)

    event = container.incidents.get(next(iter(outcome.incidents))).recent_events[0]
    assert event.sub_category == "crowdDensity"
    assert event.details["people"] == 5
    assert event.details["model"] == {"name": "crowd-yolo", "version": "2"}
    assert {box["label"] for box in event.details["boxes"]} == {"person"}


def test_given_a_file_not_matching_its_manifest_then_activation_is_refused(client, token, container):
    admin = token("police", ("admin",))
    answer(post(client, REGISTER, admin, input=manifest_input(people_detector(1))))
    container.media.write(model_key("crowd-yolo", "2"), people_detector(3), "application/octet-stream", {})

    body = answer(post(client, ACTIVATE, admin, name="crowd-yolo", version="2"))

    assert error_codes(body) == ["MODEL_CHECKSUM_MISMATCH"]


def test_given_a_registered_version_then_it_cannot_be_registered_again(client, token, container):
    admin = token("police", ("admin",))
    answer(post(client, REGISTER, admin, input=manifest_input(people_detector(1))))
    assert error_codes(answer(post(client, REGISTER, admin, input=manifest_input(people_detector(2))))) == [
        "CONFLICT"
    ]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"sha256": "abc"}, "INVALID_MANIFEST"),
        ({"classNames": []}, "INVALID_MANIFEST"),
        ({"inputWidth": 0}, "INVALID_MANIFEST"),
    ],
)
def test_given_a_bad_manifest_then_it_is_refused_with_the_field(client, token, container, changes, code):
    body = answer(post(client, REGISTER, token("police", ("admin",)), input=manifest_input(b"x") | changes))
    assert error_codes(body) == [code]


def test_given_an_operator_then_models_cannot_be_published(client, token, container):
    body = answer(post(client, REGISTER, token("police", ("operator",)), input=manifest_input(b"x")))
    assert error_codes(body) == ["FORBIDDEN"]
