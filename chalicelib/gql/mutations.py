"""Mutation root: incidents, sharing, and devices (an agency admin registers its devices).

The public cannot mutate: every mutation needs a signed-in agency user (FORBIDDEN otherwise).
"""

from __future__ import annotations

import strawberry

from chalicelib.gql.access.mutations import SharingMutations
from chalicelib.gql.cameras.api import CameraMutations
from chalicelib.gql.common import DeviceType, RegisterDevicePayload
from chalicelib.gql.context import Info
from chalicelib.gql.incidents.mutations import IncidentMutations
from chalicelib.gql.response.field_api import FieldMutations
from chalicelib.gql.response.playbooks import PlaybookMutations
from chalicelib.services.sensing.register_device import RegisterDevice


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


@strawberry.type
class Mutation(
    IncidentMutations, SharingMutations, DeviceMutations, CameraMutations, FieldMutations, PlaybookMutations
):
    pass
