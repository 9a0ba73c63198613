"""Reading a raw DynamoDB map attribute back as a plain dict of floats."""

from __future__ import annotations

from collections.abc import Mapping

from pynamodb.attributes import MapAttribute


def float_map(value: MapAttribute[str, float] | Mapping[str, float] | None) -> dict[str, float]:
    """A map as stored (a raw MapAttribute once read, a dict before saving) as {key: float}."""
    if value is None:
        return {}
    plain = value.as_dict() if isinstance(value, MapAttribute) else dict(value)
    return {str(key): float(number) for key, number in plain.items()}
