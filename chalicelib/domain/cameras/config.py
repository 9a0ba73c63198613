"""Per-camera configuration: where the camera is, which models run, and zones drawn on its image.

Zones are polygons in image pixel coordinates with a purpose:
- `crowd_area` with a `capacity` (people): crowd density is the count inside over the capacity;
- `traffic_lane` with the allowed `direction_deg` of travel in the image (0 = rightwards, 90 = downwards);
- `no_stopping`: an object that stays still inside it is reported.

Pure Python (no numpy): the API validates configurations without the vision stack.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chalicelib.domain.errors import InvalidInput

MAX_ZONES = 32
MAX_VERTICES = 64
MAX_MODELS = 4
MAX_COORDINATE = 8192
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class ZonePurpose(StrEnum):
    CROWD_AREA = "crowd_area"
    TRAFFIC_LANE = "traffic_lane"
    NO_STOPPING = "no_stopping"


@dataclass(frozen=True)
class Zone:
    zone_id: str
    purpose: ZonePurpose
    polygon: tuple[tuple[float, float], ...]
    capacity: int | None = None
    direction_deg: float | None = None

    def contains(self, x: float, y: float) -> bool:
        """Even-odd ray casting; points on the boundary may fall either way."""
        inside = False
        points = self.polygon
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        return inside

    @property
    def direction(self) -> tuple[float, float]:
        """Unit vector of the allowed travel direction (image coordinates, y downwards)."""
        radians = math.radians(self.direction_deg or 0.0)
        return (math.cos(radians), math.sin(radians))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "zone_id": self.zone_id,
            "purpose": self.purpose.value,
            "polygon": [[x, y] for x, y in self.polygon],
        }
        if self.capacity is not None:
            data["capacity"] = self.capacity
        if self.direction_deg is not None:
            data["direction_deg"] = self.direction_deg
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str = "zone") -> Zone:
        if not isinstance(data, dict):
            raise InvalidInput(f"{where} must be an object", "INVALID_ZONE")
        zone_id = data.get("zone_id")
        if not isinstance(zone_id, str) or not _ID.match(zone_id):
            raise InvalidInput(f"{where}.zoneId must be 1-64 letters, digits, '_', '.', '-'", "INVALID_ZONE")
        try:
            purpose = ZonePurpose(str(data.get("purpose")))
        except ValueError:
            choices = ", ".join(p.value for p in ZonePurpose)
            raise InvalidInput(f"{where}.purpose must be one of {choices}", "INVALID_ZONE") from None
        polygon = _polygon(data.get("polygon"), where)
        capacity = data.get("capacity")
        direction = data.get("direction_deg")
        if purpose is ZonePurpose.CROWD_AREA and not (
            isinstance(capacity, int) and not isinstance(capacity, bool) and 0 < capacity <= 1_000_000
        ):
            raise InvalidInput(f"{where}.capacity must be a positive whole number of people", "INVALID_ZONE")
        if purpose is ZonePurpose.TRAFFIC_LANE and not (
            isinstance(direction, int | float)
            and not isinstance(direction, bool)
            and math.isfinite(direction)
        ):
            raise InvalidInput(f"{where}.directionDeg is required for a traffic lane", "INVALID_ZONE")
        return cls(
            zone_id=zone_id,
            purpose=purpose,
            polygon=polygon,
            capacity=int(capacity)
            if isinstance(capacity, int) and purpose is ZonePurpose.CROWD_AREA
            else None,
            direction_deg=float(direction) % 360
            if isinstance(direction, int | float) and purpose is ZonePurpose.TRAFFIC_LANE
            else None,
        )


def _polygon(value: Any, where: str) -> tuple[tuple[float, float], ...]:
    if not isinstance(value, list) or not 3 <= len(value) <= MAX_VERTICES:
        raise InvalidInput(f"{where}.polygon must have 3 to {MAX_VERTICES} points", "INVALID_ZONE")
    points: list[tuple[float, float]] = []
    for index, point in enumerate(value):
        if not (
            isinstance(point, list | tuple)
            and len(point) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
            and all(0 <= v <= MAX_COORDINATE for v in point)
        ):
            raise InvalidInput(
                f"{where}.polygon[{index}] must be [x, y] pixels within 0..{MAX_COORDINATE}", "INVALID_ZONE"
            )
        points.append((float(point[0]), float(point[1])))
    if _area(points) < 1.0:
        raise InvalidInput(f"{where}.polygon encloses no area", "INVALID_ZONE")
    return tuple(points)


def _area(points: list[tuple[float, float]]) -> float:
    pairs = zip(points, points[1:] + points[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


@dataclass(frozen=True)
class CameraConfig:
    camera_id: str  # the camera's device id
    lat: float
    lon: float
    models: tuple[str, ...] = ("centerface",)
    zones: tuple[Zone, ...] = ()
    version: int = 0
    updated_by: str = ""

    def zones_for(self, purpose: ZonePurpose) -> list[Zone]:
        return [zone for zone in self.zones if zone.purpose is purpose]

    def to_dict(self) -> dict[str, Any]:
        return {
            "camera_id": self.camera_id,
            "lat": self.lat,
            "lon": self.lon,
            "models": list(self.models),
            "zones": [zone.to_dict() for zone in self.zones],
            "version": self.version,
            "updated_by": self.updated_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CameraConfig:
        return cls(
            camera_id=str(data["camera_id"]),
            lat=float(data["lat"]),
            lon=float(data["lon"]),
            models=tuple(str(m) for m in data.get("models", ())),
            zones=tuple(Zone.from_dict(z, f"zones[{i}]") for i, z in enumerate(data.get("zones", ()))),
            version=int(data.get("version", 0)),
            updated_by=str(data.get("updated_by", "")),
        )


def validate_camera(camera_id: str, lat: Any, lon: Any, models: Any, zones: Any) -> CameraConfig:
    """Build a configuration from untrusted input; each error names the field at fault."""
    if not isinstance(lat, int | float) or not -90 <= lat <= 90:
        raise InvalidInput("lat must be between -90 and 90", "INVALID_CAMERA")
    if not isinstance(lon, int | float) or not -180 <= lon <= 180:
        raise InvalidInput("lon must be between -180 and 180", "INVALID_CAMERA")
    if not isinstance(models, list) or len(models) > MAX_MODELS or len(set(models)) != len(models):
        raise InvalidInput(f"models must list at most {MAX_MODELS} distinct model names", "INVALID_CAMERA")
    if not all(isinstance(m, str) and _ID.match(m) for m in models):
        raise InvalidInput("models must be model names", "INVALID_CAMERA")
    if not isinstance(zones, list) or len(zones) > MAX_ZONES:
        raise InvalidInput(f"zones must be a list of at most {MAX_ZONES} zones", "INVALID_CAMERA")
    parsed = tuple(Zone.from_dict(zone, f"zones[{index}]") for index, zone in enumerate(zones))
    ids = [zone.zone_id for zone in parsed]
    if len(set(ids)) != len(ids):
        raise InvalidInput("zone ids must be unique within a camera", "INVALID_CAMERA")
    return CameraConfig(camera_id, float(lat), float(lon), tuple(models), parsed)
