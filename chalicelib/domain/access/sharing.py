"""What an owning agency shares: standing policies and ad-hoc grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import h3

from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.incidents import Incident

MAX_POLICY_CELLS = 200


@dataclass(frozen=True)
class SharingPolicy:
    """Owner shares incidents of `category` (and `sub_category`, if set) with `grantee_agency` at `level`,
    optionally only within `area_cells` (H3 cells of any resolution; empty = everywhere)."""

    policy_id: str
    owner_agency: str
    grantee_agency: str
    category: str
    sub_category: str | None
    level: AccessLevel
    area_cells: frozenset[str] = frozenset()
    created_by: str = ""
    version: int = 1

    def matches(self, incident: Incident) -> bool:
        if incident.owner_agency != self.owner_agency or incident.category != self.category:
            return False
        if self.sub_category is not None and incident.sub_category != self.sub_category:
            return False
        return not self.area_cells or self.covers(incident.lat, incident.lon)

    def covers(self, lat: float, lon: float) -> bool:
        return any(
            str(h3.latlng_to_cell(lat, lon, h3.get_resolution(cell))) == cell for cell in self.area_cells
        )


@dataclass(frozen=True)
class Grant:
    """A supervisor of the owner shares one incident with `grantee_agency` at `level` until `expires_at`."""

    grant_id: str
    incident_id: str
    owner_agency: str
    grantee_agency: str
    level: AccessLevel
    expires_at: datetime
    reason: str
    created_by: str
    created_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
