"""Demo data for the embedded stack: the city's agencies and who owns which kind of incident."""

from __future__ import annotations

import json
from pathlib import Path

from chalicelib.adapters.memory.access import DEMO_AGENCIES
from chalicelib.domain.access.sharing import SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
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


def seed(settings: Settings, webhook_urls: dict[str, str] | None = None) -> None:
    """Write the agencies and the routing table through the DynamoDB adapters (idempotent)."""
    from chalicelib.adapters.dynamodb.repositories import (
        DynamoAgencyDirectory,
        DynamoRoutingTable,
        DynamoSharingRepository,
    )
    from chalicelib.adapters.dynamodb.tables import bind_models

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
    seed_playbooks(webhook_urls or {})


def seed_playbooks(webhook_urls: dict[str, str]) -> list[str]:
    """The shipped playbooks (chalicelib/playbooks/), each stored once: an edited one is left alone.
    `webhook_urls` points webhook targets at local stand-ins (local/city_systems.py)."""
    from chalicelib.adapters.dynamodb.repositories import DynamoPlaybookRepository
    from chalicelib.domain.response.playbooks import parse_playbook
    from chalicelib.playbooks import shipped_playbooks

    repository = DynamoPlaybookRepository()
    stored = []
    for playbook in shipped_playbooks():
        if repository.get(playbook.id) is None:
            data = playbook.to_dict()
            for action in data["actions"]:
                if action["type"] == "webhook" and action["target"] in webhook_urls:
                    action["url"] = webhook_urls[action["target"]]
            repository.save(parse_playbook(data), None)
            stored.append(playbook.id)
    return stored


def publish_models(settings: Settings, models_dir: Path | None = None) -> list[str]:
    """Upload every prepared model (`make models`) to the media bucket's registry; the names published."""
    import boto3

    from chalicelib.adapters.vision.model_registry import model_objects
    from chalicelib.domain.cameras.vision import ModelManifest
    from local.models import DEFAULT_MODELS_DIR

    root = models_dir or DEFAULT_MODELS_DIR
    s3 = boto3.client("s3", region_name=settings.region, endpoint_url=settings.endpoint_url)
    published = []
    for manifest_path in sorted(root.glob("*/*/manifest.json")):
        manifest = ModelManifest.from_dict(json.loads(manifest_path.read_text()))
        model = (manifest_path.parent / "model.onnx").read_bytes()
        for key, body in model_objects(manifest, model).items():
            s3.put_object(Bucket=settings.name("media"), Key=key, Body=body)
        published.append(f"{manifest.name}:{manifest.version}")
    return published
