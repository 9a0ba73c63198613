"""Per-sensor baselines in DynamoDB, saved with an optimistic check on `last_observed_at`."""

from __future__ import annotations

from pynamodb.attributes import (
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.domain.sensing.baseline import BaselineState


class BaselineModel(Model):
    class Meta:
        table_name = "baselines"

    device_id = UnicodeAttribute(hash_key=True)
    metric = UnicodeAttribute(range_key=True)
    sample_count = NumberAttribute(attr_name="count")  # `count` would hide Model.count
    mean = NumberAttribute()
    variance = NumberAttribute()
    last_observed_at = UTCDateTimeAttribute()  # microsecond precision: the optimistic-lock token


class DynamoBaselineRepository:
    def get(self, device_id: str, metric: str) -> BaselineState | None:
        try:
            item = BaselineModel.get(device_id, metric)
        except BaselineModel.DoesNotExist:
            return None
        return BaselineState(
            count=int(item.sample_count),
            mean=float(item.mean),
            variance=float(item.variance),
            last_observed_at=item.last_observed_at,
        )

    def save(self, device_id: str, metric: str, state: BaselineState, previous: BaselineState | None) -> bool:
        """Save unless someone else moved the baseline since `previous` was read; False on a lost race."""
        unchanged = (
            BaselineModel.device_id.does_not_exist()
            if previous is None
            else BaselineModel.last_observed_at == previous.last_observed_at
        )
        item = BaselineModel(
            device_id,
            metric,
            sample_count=state.count,
            mean=state.mean,
            variance=state.variance,
            last_observed_at=state.last_observed_at,
        )
        try:
            item.save(condition=unchanged)
        except PutError as error:
            if condition_failed(error):
                return False
            raise
        return True
