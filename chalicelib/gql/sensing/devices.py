"""Devices in GraphQL: an agency admin registers its sensors and cameras; the signing secret is shown once."""

from __future__ import annotations

import strawberry

from chalicelib.domain.sensing.devices import Device
from chalicelib.gql.common import GeoPoint
from chalicelib.gql.context import Info
from chalicelib.services.sensing.register_device import RegisterDevice


@strawberry.type(name="Device", description="A registered sensor.")
class DeviceType:
    device_id: strawberry.ID
    kind: str
    agency: str
    location: GeoPoint
    enabled: bool
    expected_interval_s: int
    device: strawberry.Private[Device]

    @classmethod
    def from_domain(cls, device: Device) -> DeviceType:
        return cls(
            device_id=strawberry.ID(device.device_id),
            kind=device.kind,
            agency=device.agency,
            location=GeoPoint(lat=device.lat, lon=device.lon),
            enabled=device.enabled,
            expected_interval_s=device.expected_interval_s,
            device=device,
        )


@strawberry.type
class RegisterDevicePayload:
    device: DeviceType
    secret: str = strawberry.field(
        description="The device's signing secret (hex). Returned only here, once: store it on the device."
    )


@strawberry.input(description="Water-level alarm thresholds in centimetres; any may be left out.")
class AlarmLevelsInput:
    advisory: float | None = None
    warning: float | None = None
    severe: float | None = None


@strawberry.input(description="A device to register; it belongs to the registering admin's agency.")
class RegisterDeviceInput:
    device_id: strawberry.ID
    kind: str = strawberry.field(
        description="air_quality, noise, odour, water_level, traffic, multi or camera."
    )
    lat: float
    lon: float
    expected_interval_s: int = strawberry.field(
        default=60, description="How often the device reports, 5 to 86400 seconds."
    )
    noise_zone: str = strawberry.field(
        default="mixed", description="residential, mixed, commercial or industrial."
    )
    alarm_levels_cm: AlarmLevelsInput | None = None

    def to_command(self, agency: str) -> RegisterDevice:
        levels = vars(self.alarm_levels_cm) if self.alarm_levels_cm else {}
        return RegisterDevice(
            device_id=str(self.device_id),
            kind=self.kind,
            lat=self.lat,
            lon=self.lon,
            agency=agency,
            expected_interval_s=self.expected_interval_s,
            noise_zone=self.noise_zone,
            alarm_levels_cm={name: value for name, value in levels.items() if value is not None},
        )


@strawberry.type
class DeviceMutations:
    @strawberry.mutation(description="Register a device (admins only). The payload's secret is shown once.")
    def register_device(self, info: Info, input: RegisterDeviceInput) -> RegisterDevicePayload:
        context = info.context
        context.signed_in()
        registered = context.use.register_device(input.to_command(context.principal.agency))
        return RegisterDevicePayload(
            device=DeviceType.from_domain(registered.device), secret=registered.secret
        )
