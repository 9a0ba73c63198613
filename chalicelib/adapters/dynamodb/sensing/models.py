"""PynamoDB models of the device side: devices, nonces, readings and baselines.

The key design of every table is in docs/data-model.md; names here match resources.json.
"""

from __future__ import annotations

from pynamodb.attributes import (  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex  # noqa: TID251
from pynamodb.models import Model  # noqa: TID251

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


class NonceModel(Model):
    class Meta:
        table_name = "nonces"

    pk = UnicodeAttribute(hash_key=True)  # f"{device_id}#{nonce}"
    expires_at = TTLAttribute()


class ReadingModel(Model):
    class Meta:
        table_name = "readings"

    device_id = UnicodeAttribute(hash_key=True)
    reading_key = UnicodeAttribute(range_key=True)  # Reading.key: f"{metric}#{observed_at}"
    metric = UnicodeAttribute()
    value = NumberAttribute()
    unit = UnicodeAttribute()
    observed_at = UnicodeAttribute()  # RFC 3339, as format_instant writes it
    expires_at = TTLAttribute()


class BaselineModel(Model):
    class Meta:
        table_name = "baselines"

    device_id = UnicodeAttribute(hash_key=True)
    metric = UnicodeAttribute(range_key=True)
    sample_count = NumberAttribute(attr_name="count")  # `count` would hide Model.count
    mean = NumberAttribute()
    variance = NumberAttribute()
    last_observed_at = UTCDateTimeAttribute()  # microsecond precision: the optimistic-lock token
