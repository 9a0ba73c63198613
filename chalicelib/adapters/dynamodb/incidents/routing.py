"""Which agency owns incidents of a sub-category (the `routing` table), read per event and so cached for
a minute."""

from __future__ import annotations

import time
from collections.abc import Callable

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

CACHE_SECONDS = 60.0


class RoutingModel(Model):
    class Meta:
        table_name = "routing"

    sub_category = UnicodeAttribute(hash_key=True)
    agency = UnicodeAttribute()


class DynamoRoutingTable:
    def __init__(
        self, clock: Callable[[], float] = time.monotonic, cache_seconds: float = CACHE_SECONDS
    ) -> None:
        self._clock = clock
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[str | None, float]] = {}  # sub_category -> (agency, read at)

    def owner_of(self, sub_category: str, device_agency: str) -> str:
        """The routed agency, or the device's own agency when the sub-category is not routed."""
        cached = self._cache.get(sub_category)
        now = self._clock()
        if cached is None or now - cached[1] >= self._cache_seconds:
            try:
                agency: str | None = RoutingModel.get(sub_category).agency
            except RoutingModel.DoesNotExist:
                agency = None
            cached = (agency, now)
            self._cache[sub_category] = cached
        return cached[0] or device_agency

    def set_owner(self, sub_category: str, agency: str) -> None:
        RoutingModel(sub_category, agency=agency).save()
        self._cache[sub_category] = (agency, self._clock())
