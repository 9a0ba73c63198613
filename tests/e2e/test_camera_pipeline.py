"""The camera pipeline over real HTTP: signed upload requests, presigned POSTs to the embedded S3, and
what the inference function makes of them (blurred faces, crowd and wrong-way incidents, quarantine).

Needs `make models` (CenterFace and the astronaut photo under .local/).
"""

from __future__ import annotations

import io
import random
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
import numpy as np
import pytest
import requests
from botocore.exceptions import ClientError
from PIL import Image

from chalicelib.domain.instants import format_instant
from local.api_client import GraphQLFailed
from local.camera_frames import (
    ASTRONAUT,
    as_jpeg,
    as_webp_burst,
    astronaut_pixels,
    crowd_frame,
    wrong_way_burst,
)
from local.camera_simulator import CONFIGURE_CAMERA, band
from local.models import DEFAULT_MODELS_DIR
from tests.e2e.conftest import RunningStack

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not ASTRONAUT.exists() or not (DEFAULT_MODELS_DIR / "centerface").exists(),
        reason="run `make models` first: CenterFace and the astronaut photo",
    ),
]

TIMEOUT_S = 60.0
BUCKET = "concord-local-media"
FACE = (slice(51, 183), slice(183, 268))  # rows, columns of the astronaut's face
AWAY = (slice(300, 500), slice(330, 500))  # his suit, far from the face
INCIDENTS = (
    "{ incidents(first: 100) { edges { node { id subCategory location { lat lon } events { id } } } } }"
)
EVENT_IMAGE = (
    "query($i: ID!, $e: ID!) { eventImage(incidentId: $i, eventId: $e) { url redacted expiresInS } }"
)
LANE = {"zoneId": "lane", "purpose": "TRAFFIC_LANE", "polygon": band(170, 310), "directionDeg": 0}
CROWD = {"zoneId": "square", "purpose": "CROWD_AREA", "polygon": band(10, 470), "capacity": 4}


class Camera:
    """A camera registered and configured through GraphQL, at a location of its own."""

    def __init__(
        self, stack: RunningStack, agency: str, zones: list[dict[str, Any]], kind: str = "camera"
    ) -> None:
        self.stack = stack
        self.device_id = f"e2e-cam-{secrets.token_hex(4)}"
        self.lat, self.lon = round(random.uniform(51.45, 51.55), 6), round(random.uniform(-0.2, -0.05), 6)
        admin = stack.token(agency, "admin")
        device = {"deviceId": self.device_id, "kind": kind, "lat": self.lat, "lon": self.lon}
        self.secret = stack.api.register_device(admin, device)
        if kind == "camera":
            config = {"cameraId": self.device_id, "lat": self.lat, "lon": self.lon, "models": ["centerface"]}
            stack.api.graphql(CONFIGURE_CAMERA, {"input": {**config, "zones": zones}}, admin)

    def ask(self, content_type: str = "image/jpeg", secret: str | None = None) -> Any:
        captured_at = format_instant(datetime.now(UTC))
        return self.stack.api.request_upload(self.device_id, secret or self.secret, content_type, captured_at)

    def upload(self, body: bytes, content_type: str = "image/jpeg") -> str:
        ticket = self.ask(content_type)
        assert ticket.status == 201, ticket.body
        status = self.stack.api.post_form(ticket.body["url"], ticket.body["fields"], body, content_type)
        assert status in (200, 201, 204)
        return str(ticket.body["key"])


class Media:
    """The stack's media bucket, read with boto3 against the embedded S3."""

    def __init__(self, stack: RunningStack) -> None:
        self.s3 = boto3.client(
            "s3",
            endpoint_url=stack.description["aws_endpoint_url"],
            region_name=stack.description["region"],
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    def get(self, key: str) -> bytes | None:
        try:
            return bytes(self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        except ClientError:
            return None

    def metadata(self, key: str) -> dict[str, str] | None:
        try:
            return dict(self.s3.head_object(Bucket=BUCKET, Key=key)["Metadata"])
        except ClientError:
            return None


def wait_for(found: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.5)
    return None


def incident_of(camera: Camera, sub_category: str, agency: str = "police") -> dict[str, Any] | None:
    data = camera.stack.api.graphql(INCIDENTS, None, camera.stack.token(agency, "operator"))
    return next(
        (
            node
            for node in (edge["node"] for edge in data["incidents"]["edges"])
            if node["subCategory"] == sub_category
            and node["location"] == {"lat": camera.lat, "lon": camera.lon}
        ),
        None,
    )


def gray(pixels: np.ndarray) -> np.ndarray:
    return pixels.astype(np.float64) @ np.array([0.299, 0.587, 0.114])


def detail(pixels: np.ndarray) -> float:
    """High-frequency detail: the spread of differences between neighbouring pixels."""
    return float(np.std(np.diff(gray(pixels), axis=1)))


def redacted_key(key: str) -> str:
    return "redacted/" + key.removeprefix("uploads/")


def test_given_a_photo_with_a_face_when_uploaded_then_the_face_is_blurred_in_the_redacted_copy(
    stack: RunningStack,
) -> None:
    media, camera = Media(stack), Camera(stack, "police", [])
    original = astronaut_pixels()
    key = camera.upload(as_jpeg(original))

    redacted_body = wait_for(lambda: media.get(redacted_key(key)))

    assert redacted_body is not None, "no redacted copy appeared"
    redacted = np.array(Image.open(io.BytesIO(redacted_body)).convert("RGB"))
    face_change = np.abs(gray(redacted[FACE]) - gray(original[FACE])).mean()
    away_change = np.abs(gray(redacted[AWAY]) - gray(original[AWAY])).mean()
    assert face_change > 10
    assert detail(redacted[FACE]) < 0.5 * detail(original[FACE])
    assert away_change < 3
    assert media.get(key) is not None, "the original left uploads/"


def test_given_six_faces_in_a_zone_for_four_when_uploaded_then_police_see_a_crowd_with_its_image(
    stack: RunningStack,
) -> None:
    camera = Camera(stack, "police", [CROWD])
    frame = as_jpeg(crowd_frame(6))
    camera.upload(frame)

    incident = wait_for(lambda: incident_of(camera, "crowdDensity"))

    assert incident is not None, "no crowdDensity incident for police"
    ids = {"i": incident["id"], "e": incident["events"][0]["id"]}
    operator = stack.api.graphql(EVENT_IMAGE, ids, stack.token("police", "operator"))["eventImage"]
    supervisor = stack.api.graphql(EVENT_IMAGE, ids, stack.token("police", "supervisor"))["eventImage"]
    assert (operator["redacted"], supervisor["redacted"]) == (True, False)
    assert requests.get(supervisor["url"], timeout=10).content == frame
    shown = requests.get(operator["url"], timeout=10)
    assert shown.status_code == 200 and shown.content != frame
    with pytest.raises(GraphQLFailed) as refused:
        stack.api.graphql(EVENT_IMAGE, ids, stack.token("environment", "operator"))
    assert refused.value.errors[0]["extensions"]["code"] == "NOT_FOUND"


def test_given_a_lane_when_a_car_drives_against_it_then_police_see_a_wrong_way_incident(
    stack: RunningStack,
) -> None:
    camera = Camera(stack, "transport", [LANE])
    camera.upload(as_webp_burst(wrong_way_burst()), "image/webp")

    assert wait_for(lambda: incident_of(camera, "carWrongDirection")) is not None


def test_given_random_bytes_declared_jpeg_when_uploaded_then_quarantined_and_the_next_upload_is_analysed(
    stack: RunningStack,
) -> None:
    media, camera = Media(stack), Camera(stack, "police", [])
    bad = camera.upload(secrets.token_bytes(2048))

    metadata = wait_for(lambda: media.metadata("quarantine/" + bad.removeprefix("uploads/")))
    good = camera.upload(as_jpeg(crowd_frame(1)))

    assert metadata is not None and metadata["reason"] == "NOT_AN_IMAGE"
    assert media.get(bad) is None
    assert wait_for(lambda: media.get(redacted_key(good))) is not None


def test_given_wrong_requests_when_an_upload_is_asked_then_each_is_refused_with_its_reason(
    stack: RunningStack,
) -> None:
    camera = Camera(stack, "police", [])
    sensor = Camera(stack, "environment", [], kind="air_quality")

    not_a_camera = sensor.ask()
    gif = camera.ask("image/gif")
    forged = camera.ask(secret=secrets.token_hex(32))

    assert (not_a_camera.status, not_a_camera.body["code"]) == (403, "NOT_A_CAMERA")
    assert (gif.status, gif.body["code"]) == (400, "UNSUPPORTED_MEDIA_TYPE")
    assert forged.status == 401
