"""Cameras in GraphQL: the per-camera configuration (admins of the owning agency) and the evidence
image of a camera event (the redacted derivative, or the original for the owning agency only)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from chalicelib.domain.cameras.config import CameraConfig, ZonePurpose
from chalicelib.domain.cameras.vision import ModelManifest
from chalicelib.gql.common import GeoPoint


@strawberry.enum(name="ZonePurpose", description="What a zone drawn on the camera image is for.")
class ZonePurposeEnum(Enum):
    CROWD_AREA = ZonePurpose.CROWD_AREA.value
    TRAFFIC_LANE = ZonePurpose.TRAFFIC_LANE.value
    NO_STOPPING = ZonePurpose.NO_STOPPING.value


@strawberry.input(description="A zone: a polygon in image pixel coordinates with a purpose.")
class ZoneInput:
    zone_id: str
    purpose: ZonePurposeEnum
    polygon: list[list[float]] = strawberry.field(description="[[x, y], …]: 3 to 64 points.")
    capacity: int | None = strawberry.field(default=None, description="People; required for CROWD_AREA.")
    direction_deg: float | None = strawberry.field(
        default=None,
        description="Allowed direction of travel; required for TRAFFIC_LANE (0 = right, 90 = down).",
    )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "zone_id": self.zone_id,
            "purpose": self.purpose.value,
            "polygon": self.polygon,
        }
        if self.capacity is not None:
            data["capacity"] = self.capacity
        if self.direction_deg is not None:
            data["direction_deg"] = self.direction_deg
        return data


@strawberry.input(description="A camera's configuration; replaces the previous one as a whole.")
class CameraConfigInput:
    camera_id: strawberry.ID
    lat: float
    lon: float
    models: list[str] = strawberry.field(description="Model names from the registry, e.g. centerface.")
    zones: list[ZoneInput] = strawberry.field(default_factory=list)
    expected_version: int | None = strawberry.field(
        default=None, description="The version you read (0 for a first configuration); stale → CONFLICT."
    )

    def settings(self) -> dict[str, Any]:
        return {
            "lat": self.lat,
            "lon": self.lon,
            "models": list(self.models),
            "zones": [zone.to_dict() for zone in self.zones],
        }


@strawberry.type(name="Zone")
class ZoneType:
    zone_id: str
    purpose: ZonePurposeEnum
    polygon: list[list[float]]
    capacity: int | None
    direction_deg: float | None


@strawberry.type(name="CameraConfig", description="Where a camera is, which models run, its zones.")
class CameraConfigType:
    camera_id: strawberry.ID
    location: GeoPoint
    models: list[str]
    zones: list[ZoneType]
    version: int
    updated_by: str

    @classmethod
    def from_domain(cls, config: CameraConfig) -> CameraConfigType:
        return cls(
            camera_id=strawberry.ID(config.camera_id),
            location=GeoPoint(lat=config.lat, lon=config.lon),
            models=list(config.models),
            zones=[
                ZoneType(
                    zone_id=zone.zone_id,
                    purpose=ZonePurposeEnum(zone.purpose.value),
                    polygon=[[x, y] for x, y in zone.polygon],
                    capacity=zone.capacity,
                    direction_deg=zone.direction_deg,
                )
                for zone in config.zones
            ],
            version=config.version,
            updated_by=config.updated_by,
        )


@strawberry.type(name="EventImage", description="The image behind a camera event, as a short-lived link.")
class EventImageType:
    url: str
    redacted: bool = strawberry.field(description="True unless you are the owning agency at RESTRICTED.")
    expires_in_s: int


@strawberry.enum(name="ModelLayout", description="How a model's outputs are decoded.")
class ModelLayoutEnum(Enum):
    CENTERFACE = "centerface"
    YOLO = "yolo"


@strawberry.input(description="A model version's manifest: how to run and decode it.")
class ModelManifestInput:
    name: str
    version: str
    sha256: str = strawberry.field(description="Hex SHA-256 of the ONNX file you will upload.")
    layout: ModelLayoutEnum = strawberry.field(description="YOLO covers Ultralytics v5, v8 and v11 exports.")
    input_width: int
    input_height: int
    class_names: list[str]
    score_threshold: float = 0.5
    nms_threshold: float = 0.45

    def to_dict(self) -> dict[str, Any]:
        """The manifest's stored form, unvalidated: register_model validates it (ModelManifest.from_dict)."""
        return ModelManifest(
            name=self.name,
            version=self.version,
            sha256=self.sha256,
            layout=self.layout.value,
            input_width=self.input_width,
            input_height=self.input_height,
            class_names=tuple(self.class_names),
            score_threshold=self.score_threshold,
            nms_threshold=self.nms_threshold,
        ).to_dict()


@strawberry.type(name="Model", description="A model version in the registry.")
class ModelType:
    name: str
    version: str
    sha256: str
    layout: str
    class_names: list[str]


@strawberry.type(name="ModelUpload", description="Where to POST the ONNX file: the url and its form fields.")
class ModelUploadType:
    model: ModelType
    url: str
    fields: JSON


def model_type(manifest: ModelManifest) -> ModelType:
    return ModelType(
        name=manifest.name,
        version=manifest.version,
        sha256=manifest.sha256,
        layout=manifest.layout,
        class_names=list(manifest.class_names),
    )


@strawberry.type(
    name="EvidencePhoto", description="A field crew's photo of an incident, as a short-lived link."
)
class EvidencePhotoType:
    task_id: strawberry.ID
    taken_by: str
    taken_at: datetime
    url: str
    redacted: bool = strawberry.field(description="True unless you are the owning agency at RESTRICTED.")
