"""Simulated cameras: registered and configured through GraphQL, then signed uploads to presigned POSTs.

The plaza camera (police) films a crowd that gathers and disperses (crowdFormation, crowdDensity);
the ring-road camera (transport) sees a car driving the wrong way every few ticks (carWrongDirection).
Frames are drawn by camera_frames.py; faces in them are blurred by the stack under `redacted/`.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.instants import format_instant
from chalicelib.domain.principal import Role
from local.api_client import ApiClient
from local.camera_frames import KERB_Y, LANE_Y, as_jpeg, as_webp_burst, crowd_frame, wrong_way_burst
from local.issuer import DevIssuer
from local.simulator import run_ticks

TICK_S = 5.0
DEFAULT_DURATION_S = 3600.0
CROWD_STEP_S = 8.0
CROWD_SIZES = (1, 2, 4, 6, 8, 8, 6, 4, 2)  # people on the plaza, one entry per CROWD_STEP_S, repeated
ROAD_EVERY_TICKS = 3
CONFIGURE_CAMERA = """
mutation($input: CameraConfigInput!) { configureCamera(input: $input) { cameraId version zones { zoneId } } }
"""
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraSpec:
    name: str
    agency: str
    lat: float
    lon: float
    zones: tuple[dict[str, Any], ...]


def band(y1: int, y2: int, width: int = 640) -> list[list[int]]:
    return [[0, y1], [width, y1], [width, y2], [0, y2]]


CAMERAS = (
    CameraSpec(
        "plaza",
        "police",
        51.5101,
        -0.1340,
        ({"zoneId": "square", "purpose": "CROWD_AREA", "polygon": band(10, 470), "capacity": 4},),
    ),
    CameraSpec(
        "ring-road",
        "transport",
        51.5033,
        -0.1195,
        (
            {"zoneId": "eastbound", "purpose": "TRAFFIC_LANE", "polygon": band(*LANE_Y), "directionDeg": 0},
            {"zoneId": "kerb", "purpose": "NO_STOPPING", "polygon": band(*KERB_Y)},
        ),
    ),
)


@dataclass(frozen=True)
class RegisteredCamera:
    spec: CameraSpec
    device_id: str
    secret: str


def crowd_size(elapsed_s: float) -> int:
    return CROWD_SIZES[int(elapsed_s // CROWD_STEP_S) % len(CROWD_SIZES)]


class CameraSimulator:
    def __init__(
        self,
        api: ApiClient,
        issuer: DevIssuer,
        run_id: str | None = None,
        cameras: tuple[CameraSpec, ...] = CAMERAS,
    ) -> None:
        self.api = api
        self.issuer = issuer
        self.run_id = run_id or secrets.token_hex(2)
        self.cameras = cameras
        self.registered: dict[str, RegisteredCamera] = {}
        self.ticks = 0
        self.sent = 0
        self.refused = 0

    def register(self) -> list[RegisteredCamera]:
        """Register every camera with an admin of its agency, then configure its zones."""
        for spec in self.cameras:
            admin = self.issuer.mint(spec.agency, [Role.ADMIN.value], subject=f"camera-admin-{spec.agency}")
            device_id = f"cam-{self.run_id}-{spec.name}"
            device = {"deviceId": device_id, "kind": "camera", "lat": spec.lat, "lon": spec.lon}
            secret = self.api.register_device(admin, {**device, "expectedIntervalS": 60})
            config = {
                "cameraId": device_id,
                "lat": spec.lat,
                "lon": spec.lon,
                "models": ["centerface"],
                "zones": list(spec.zones),
                "expectedVersion": 0,
            }
            self.api.graphql(CONFIGURE_CAMERA, {"input": config}, admin)
            self.registered[spec.name] = RegisteredCamera(spec, device_id, secret)
        return list(self.registered.values())

    def upload(self, camera: RegisteredCamera, body: bytes, content_type: str, captured_at: datetime) -> str:
        """Signed upload request, then the presigned POST; the object's key, or "" when refused."""
        ticket = self.api.request_upload(
            camera.device_id, camera.secret, content_type, format_instant(captured_at)
        )
        status = ticket.status
        if status == 201:
            status = self.api.post_form(ticket.body["url"], ticket.body["fields"], body, content_type)
        if status in (200, 201, 204):
            self.sent += 1
            return str(ticket.body["key"])
        self.refused += 1
        logger.warning("%s: upload refused, HTTP %s %s", camera.device_id, status, ticket.body)
        return ""

    def upload_still(self, camera: RegisteredCamera, jpeg_bytes: bytes, captured_at: datetime) -> str:
        return self.upload(camera, jpeg_bytes, "image/jpeg", captured_at)

    def upload_burst(self, camera: RegisteredCamera, webp_bytes: bytes, captured_at: datetime) -> str:
        """An animated WebP; `captured_at` is the capture time of its first frame."""
        return self.upload(camera, webp_bytes, "image/webp", captured_at)

    def tick(self, elapsed_s: float) -> list[str]:
        """One round: the plaza sends a crowd frame; every few ticks the road sends a wrong-way burst."""
        now = datetime.now(UTC)
        keys = []
        if plaza := self.registered.get("plaza"):
            keys.append(self.upload_still(plaza, as_jpeg(crowd_frame(crowd_size(elapsed_s))), now))
        road = self.registered.get("ring-road")
        if road and self.ticks % ROAD_EVERY_TICKS == 0:
            keys.append(self.upload_burst(road, as_webp_burst(wrong_way_burst()), now))
        self.ticks += 1
        return [key for key in keys if key]

    def run(
        self, stop: threading.Event, duration_s: float = DEFAULT_DURATION_S, tick_s: float = TICK_S
    ) -> None:
        """Upload every `tick_s` until `stop` is set or `duration_s` has passed."""
        run_ticks(self.tick, stop, duration_s, tick_s, "camera upload failed")
