"""Sensor readings: the value object and the validation of an incoming batch.

A batch is validated reading by reading: valid readings are accepted even when others in the same
batch are rejected, and each rejection says why (index, code, message).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.instants import format_instant, parse_instant
from chalicelib.domain.sensing.metrics import METRICS

MAX_READINGS_PER_BATCH = 500
MAX_FUTURE_SKEW = timedelta(minutes=5)
MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class Reading:
    device_id: str
    metric: str
    value: float
    unit: str
    observed_at: datetime

    @property
    def key(self) -> str:
        """Identity of a reading: one value per device, metric and instant."""
        return f"{self.metric}#{format_instant(self.observed_at)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            "metric": self.metric,
            "value": self.value,
            "unit": self.unit,
            "observed_at": format_instant(self.observed_at),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reading:
        return cls(
            device_id=str(data["device_id"]),
            metric=str(data["metric"]),
            value=float(data["value"]),
            unit=str(data["unit"]),
            observed_at=parse_instant(str(data["observed_at"])),
        )


@dataclass(frozen=True)
class Rejection:
    index: int
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "code": self.code, "message": self.message}


class _Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse_batch(payload: Any, device_id: str, now: datetime) -> tuple[list[Reading], list[Rejection]]:
    """Validate a decoded request body. Raises InvalidInput when the batch as a whole is unusable."""
    if not isinstance(payload, dict) or not isinstance(payload.get("readings"), list):
        raise InvalidInput('the body must be a JSON object with a "readings" array', "INVALID_BODY")
    items = payload["readings"]
    if not items:
        raise InvalidInput('"readings" must hold at least one reading', "EMPTY_BATCH")
    if len(items) > MAX_READINGS_PER_BATCH:
        raise InvalidInput(
            f"a batch holds at most {MAX_READINGS_PER_BATCH} readings, this one has {len(items)}",
            "TOO_MANY_READINGS",
        )
    accepted: list[Reading] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        try:
            reading = parse_reading(item, device_id, now)
            if reading.key in seen:
                raise _Rejected(
                    "DUPLICATE_READING", "the same metric and observed_at appear twice in the batch"
                )
            seen.add(reading.key)
            accepted.append(reading)
        except _Rejected as rejection:
            rejected.append(Rejection(index, rejection.code, rejection.message))
    return accepted, rejected


def parse_reading(item: Any, device_id: str, now: datetime) -> Reading:
    if not isinstance(item, dict):
        raise _Rejected("INVALID_READING", "a reading must be a JSON object")
    metric = item.get("metric")
    spec = METRICS.get(metric) if isinstance(metric, str) else None
    if spec is None:
        raise _Rejected("UNKNOWN_METRIC", f"unknown metric {metric!r}; known: {', '.join(sorted(METRICS))}")
    value = _parse_value(item.get("value"))
    unit = item.get("unit")
    if not isinstance(unit, str) or not spec.accepts_unit(unit):
        raise _Rejected("UNIT_MISMATCH", f"{spec.name} is measured in {spec.unit}, got {unit!r}")
    if not spec.minimum <= value <= spec.maximum:
        raise _Rejected(
            "OUT_OF_RANGE",
            f"{spec.name} must lie between {spec.minimum:g} and {spec.maximum:g} {spec.unit}, got {value:g}",
        )
    observed_at = _parse_observed_at(item.get("observed_at"), now)
    return Reading(device_id, spec.name, value, spec.unit, observed_at)


def _parse_value(raw: Any) -> float:
    # bool is an int in Python; a JSON true is not a measurement.
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise _Rejected("INVALID_VALUE", f"value must be a number, got {type(raw).__name__}")
    value = float(raw)
    if not math.isfinite(value):
        raise _Rejected("INVALID_VALUE", "value must be a finite number (no NaN or Infinity)")
    return value


def _parse_observed_at(raw: Any, now: datetime) -> datetime:
    if not isinstance(raw, str):
        raise _Rejected(
            "INVALID_TIMESTAMP", "observed_at must be an RFC 3339 string such as 2026-11-22T10:00:00Z"
        )
    try:
        observed_at = parse_instant(raw)
    except ValueError:
        raise _Rejected(
            "INVALID_TIMESTAMP", f"observed_at {raw!r} is not an RFC 3339 timestamp with a zone"
        ) from None
    if observed_at > now + MAX_FUTURE_SKEW:
        raise _Rejected("TIMESTAMP_IN_FUTURE", "observed_at lies more than 5 minutes in the future")
    if observed_at < now - MAX_AGE:
        raise _Rejected("TIMESTAMP_TOO_OLD", "observed_at lies more than 7 days in the past")
    return observed_at
