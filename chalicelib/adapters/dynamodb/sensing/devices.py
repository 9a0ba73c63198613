"""Devices in DynamoDB: registration, last-seen tracking and the silence watch (see docs/data-model.md)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.attributes import float_map
from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.domain.errors import Conflict
from chalicelib.domain.sensing.detection import silence_deadline
from chalicelib.domain.sensing.devices import Device

ONLINE = "online"  # the one value of the sparse `watch` key: enabled devices not flagged offline


class SilenceIndex(GlobalSecondaryIndex["DeviceModel"]):
    """Sparse: holds only watched devices, ordered by the instant their silence becomes overdue."""

    class Meta:
        index_name = "silence"
        projection = AllProjection()

    watch = UnicodeAttribute(hash_key=True)
    silent_after = NumberAttribute(range_key=True)


class DeviceModel(Model):
    class Meta:
        table_name = "devices"

    device_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    agency = UnicodeAttribute()
    lat = NumberAttribute()
    lon = NumberAttribute()
    secret_sha256 = UnicodeAttribute()
    key_version = NumberAttribute(default=1)
    enabled = BooleanAttribute(default=True)
    expected_interval_s = NumberAttribute(default=60)
    noise_zone = UnicodeAttribute(default="mixed")
    alarm_levels_cm: MapAttribute[str, float] = MapAttribute(default=dict)
    last_seen = UTCDateTimeAttribute(null=True)
    offline = BooleanAttribute(default=False)
    watch = UnicodeAttribute(null=True)
    silent_after = NumberAttribute(null=True)
    silence = SilenceIndex()


def silent_after(last_seen: datetime, expected_interval_s: int) -> float:
    """The silence deadline (domain rule) as the epoch seconds the `silence` index sorts on."""
    return silence_deadline(last_seen, expected_interval_s).timestamp()


def device_to_item(device: Device) -> DeviceModel:
    watched = device.enabled and not device.offline and device.last_seen is not None
    return DeviceModel(
        device.device_id,
        kind=device.kind,
        agency=device.agency,
        lat=device.lat,
        lon=device.lon,
        secret_sha256=device.secret_sha256,
        key_version=device.key_version,
        enabled=device.enabled,
        expected_interval_s=device.expected_interval_s,
        noise_zone=device.noise_zone,
        alarm_levels_cm=dict(device.alarm_levels_cm),
        last_seen=device.last_seen,
        offline=device.offline,
        watch=ONLINE if watched else None,
        silent_after=(
            silent_after(device.last_seen, device.expected_interval_s)
            if watched and device.last_seen is not None
            else None
        ),
    )


def device_from_item(item: DeviceModel) -> Device:
    return Device(
        device_id=item.device_id,
        kind=item.kind,
        agency=item.agency,
        lat=float(item.lat),
        lon=float(item.lon),
        secret_sha256=item.secret_sha256,
        key_version=int(item.key_version),
        enabled=bool(item.enabled),
        expected_interval_s=int(item.expected_interval_s),
        noise_zone=item.noise_zone,
        alarm_levels_cm=float_map(item.alarm_levels_cm),
        last_seen=item.last_seen,
        offline=bool(item.offline),
    )


class DynamoDeviceRepository:
    def get(self, device_id: str) -> Device | None:
        try:
            return device_from_item(DeviceModel.get(device_id))
        except DeviceModel.DoesNotExist:
            return None

    def add(self, device: Device) -> None:
        try:
            device_to_item(device).save(condition=DeviceModel.device_id.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                raise Conflict(f"a device with id {device.device_id!r} already exists") from None
            raise

    def mark_seen(self, device_id: str, seen_at: datetime, expected_interval_s: int) -> None:
        """Move last_seen forward and put the device (back) on the silence watch.

        An older reading, an unknown device or a disabled one changes nothing: the condition fails and
        that is the expected outcome, not an error.
        """
        moves_forward = DeviceModel.last_seen.does_not_exist() | (DeviceModel.last_seen < seen_at)
        enabled = DeviceModel.enabled == True  # noqa: E712 - a DynamoDB condition, not a comparison
        try:
            DeviceModel(device_id).update(
                actions=[
                    DeviceModel.last_seen.set(seen_at),
                    DeviceModel.offline.set(False),
                    DeviceModel.watch.set(ONLINE),
                    DeviceModel.silent_after.set(silent_after(seen_at, expected_interval_s)),
                ],
                condition=DeviceModel.device_id.exists() & enabled & moves_forward,
            )
        except UpdateError as error:
            if not condition_failed(error):
                raise

    def silent_since(self, now: datetime) -> list[Device]:
        overdue = DeviceModel.silence.query(
            ONLINE,
            DeviceModel.silent_after < now.timestamp(),
            filter_condition=DeviceModel.enabled == True,  # noqa: E712 - a DynamoDB condition
        )
        return [device_from_item(item) for item in overdue]

    def mark_offline(self, device_id: str, last_seen: datetime) -> bool:
        try:
            DeviceModel(device_id).update(
                actions=[DeviceModel.offline.set(True), DeviceModel.watch.remove()],
                condition=(DeviceModel.last_seen == last_seen) & (DeviceModel.offline == False),  # noqa: E712
            )
        except UpdateError as error:
            if condition_failed(error):
                return False
            raise
        return True
