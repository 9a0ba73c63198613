"""An agency admin configures one of its cameras: location, models, zones (optimistic version)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.domain.cameras.config import CameraConfig, validate_camera
from chalicelib.domain.cameras.ports import CameraRepository
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.sensing import DeviceRepository


def configure_camera(
    camera_id: str,
    settings: dict[str, Any],
    expected_version: int | None,
    principal: Principal,
    devices: DeviceRepository,
    cameras: CameraRepository,
) -> CameraConfig:
    """`settings` holds lat, lon, models and zones (as dicts: zone_id, purpose, polygon, capacity,
    direction_deg). A stale `expected_version` raises Conflict with the current version."""
    _authorise(camera_id, principal, devices)
    config = validate_camera(
        camera_id, settings.get("lat"), settings.get("lon"), settings.get("models"), settings.get("zones")
    )
    return cameras.save_config(replace(config, updated_by=principal.subject), expected_version)


def read_camera(
    camera_id: str, principal: Principal, devices: DeviceRepository, cameras: CameraRepository
) -> CameraConfig:
    device = _authorise(camera_id, principal, devices, roles=(Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR))
    return cameras.get_config(camera_id) or CameraConfig(camera_id, device.lat, device.lon)


def _authorise(
    camera_id: str, principal: Principal, devices: DeviceRepository, roles: tuple[Role, ...] = (Role.ADMIN,)
) -> Any:
    if not any(principal.has_role(role) for role in roles):
        raise Forbidden(f"only {' or '.join(roles)} of the camera's agency may do this", "FORBIDDEN")
    device = devices.get(camera_id)
    if device is None or device.kind != "camera" or device.agency != principal.agency:
        raise NotFound(f"your agency has no camera {camera_id!r}", "UNKNOWN_CAMERA")
    return device
