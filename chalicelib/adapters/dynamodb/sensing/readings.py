"""Sensor readings in DynamoDB, stored once each and expired by TTL after `ttl_days`."""

from __future__ import annotations

from datetime import timedelta

from pynamodb.exceptions import PutError  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives

from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.adapters.dynamodb.sensing.models import ReadingModel
from chalicelib.domain.instants import format_instant
from chalicelib.domain.sensing.readings import Reading


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
