"""Sensor readings in DynamoDB, stored once each and expired by TTL after `ttl_days`."""

from __future__ import annotations

from datetime import timedelta

from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.domain.instants import format_instant
from chalicelib.domain.sensing.readings import Reading


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


class DynamoReadingStore:
    def __init__(self, ttl_days: int) -> None:
        self._ttl = timedelta(days=ttl_days)

    def add_if_new(self, reading: Reading) -> bool:
        item = ReadingModel(
            reading.device_id,
            reading.key,
            metric=reading.metric,
            value=reading.value,
            unit=reading.unit,
            observed_at=format_instant(reading.observed_at),
            expires_at=reading.observed_at + self._ttl,
        )
        try:
            item.save(condition=ReadingModel.reading_key.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                return False
            raise
        return True
