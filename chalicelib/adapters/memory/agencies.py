"""The demo city's agencies: the in-memory directory, and what the local stack seeds DynamoDB with."""

from __future__ import annotations

from chalicelib.domain.access.agencies import Agency

DEMO_AGENCIES = {
    "police": "City Police",
    "transport": "City Transport",
    "utilities": "Water and Utilities",
    "sanitation": "Sanitation",
    "environment": "Environmental Health",
    "emergency": "Emergency Services",
}


class StaticAgencyDirectory:
    """A fixed directory of agencies."""

    def __init__(self, agencies: dict[str, str]) -> None:
        self._agencies = [Agency(agency_id, name) for agency_id, name in sorted(agencies.items())]

    def list(self) -> list[Agency]:
        return list(self._agencies)
