"""The agencies of the city: who owns incidents, shares them and is shared with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    agency_id: str
    name: str
