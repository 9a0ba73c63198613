"""Register a device: store it and hand its signing secret out exactly once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.sensing.devices import Device, secret_fingerprint
from chalicelib.domain.sensing.ports import DeviceKeyring, DeviceRepository

DEVICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")
DEVICE_KINDS = frozenset({"air_quality", "noise", "odour", "water_level", "traffic", "multi", "camera"})
NOISE_ZONES = frozenset({"residential", "mixed", "commercial", "industrial"})


@dataclass(frozen=True)
class RegisterDevice:
    device_id: str
    kind: str
    lat: float
    lon: float
    agency: str
    expected_interval_s: int = 60
    noise_zone: str = "mixed"
    alarm_levels_cm: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RegisteredDevice:
    device: Device
    secret: str  # hex; shown once, never stored


def register_device(
    command: RegisterDevice, principal: Principal, devices: DeviceRepository, keyring: DeviceKeyring
) -> RegisteredDevice:
    if not principal.has_role(Role.ADMIN):
        raise Forbidden("only an admin may register devices", "FORBIDDEN")
    if principal.agency != command.agency:
        raise Forbidden("an admin registers devices of their own agency only", "FORBIDDEN")
    _validate(command)
    secret = keyring.secret_for(command.device_id, 1)
    device = Device(
        device_id=command.device_id,
        kind=command.kind,
        agency=command.agency,
        lat=command.lat,
        lon=command.lon,
        secret_sha256=secret_fingerprint(secret),
        key_version=1,
        expected_interval_s=command.expected_interval_s,
        noise_zone=command.noise_zone,
        alarm_levels_cm=dict(command.alarm_levels_cm),
    )
    devices.add(device)  # raises Conflict when the id is taken: the secret is never handed out twice
    return RegisteredDevice(device, secret.hex())


def _validate(command: RegisterDevice) -> None:
    problems = []
    if not DEVICE_ID.match(command.device_id):
        problems.append("deviceId must be 2-64 characters of letters, digits, '.', '_' or '-'")
    if command.kind not in DEVICE_KINDS:
        problems.append(f"kind must be one of {', '.join(sorted(DEVICE_KINDS))}")
    if not (-90 <= command.lat <= 90 and -180 <= command.lon <= 180):
        problems.append("lat must lie in [-90, 90] and lon in [-180, 180]")
    if not 5 <= command.expected_interval_s <= 86_400:
        problems.append("expectedIntervalS must lie between 5 and 86400 seconds")
    if command.noise_zone not in NOISE_ZONES:
        problems.append(f"noiseZone must be one of {', '.join(sorted(NOISE_ZONES))}")
    if set(command.alarm_levels_cm) - {"advisory", "warning", "severe"}:
        problems.append("alarm levels are advisory, warning and severe")
    if problems:
        raise InvalidInput("; ".join(problems), "INVALID_DEVICE")


__all__ = ["RegisterDevice", "RegisteredDevice", "register_device"]
