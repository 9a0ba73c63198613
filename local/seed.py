"""Demo data for the embedded stack: the city's agencies and who owns which kind of incident."""

from __future__ import annotations

from chalicelib.bootstrap import DEMO_AGENCIES
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.sharing import SharingPolicy
from chalicelib.settings import Settings

AGENCIES = DEMO_AGENCIES  # the in-memory container knows the same agencies

# sub-category → owning agency. sensorOffline has no entry: the device's own agency owns it.
ROUTING: dict[str, str] = {
    "airPollution": "environment",
    "noise": "environment",
    "odour": "sanitation",
    "flood": "utilities",
    "trafficJam": "transport",
    "carStopped": "transport",
    "carWrongDirection": "police",
    "crowdDensity": "police",
    "crowdFormation": "police",
}


# A standing policy: environment shares air pollution with emergency services, at SUMMARY.
DEMO_POLICY = SharingPolicy(
    "pol_demo_air_to_emergency",
    "environment",
    "emergency",
    "environment",
    "airPollution",
    AccessLevel.SUMMARY,
)


def seed(settings: Settings) -> None:
    """Write the agencies and the routing table through the DynamoDB adapters (idempotent)."""
    from chalicelib.adapters.dynamodb.models import bind_models
    from chalicelib.adapters.dynamodb.repositories import (
        DynamoAgencyDirectory,
        DynamoRoutingTable,
        DynamoSharingRepository,
    )

    bind_models(settings)
    directory = DynamoAgencyDirectory()
    for agency_id, name in AGENCIES.items():
        directory.put(agency_id, name)
    routing = DynamoRoutingTable()
    for sub_category, agency in ROUTING.items():
        routing.set_owner(sub_category, agency)
    sharing = DynamoSharingRepository()
    if sharing.get_policy(DEMO_POLICY.policy_id) is None:
        sharing.put_policy(DEMO_POLICY, None)
