"""Readings per second through validation → detection → correlation, in memory and against moto.

Both runs use the same generated readings, one after the other in one process, so the ratio is
measured side by side. moto executes DynamoDB queries by scanning its in-memory tables, so the moto
figure says nothing about DynamoDB's own latency: it shows the cost of the real adapters (PynamoDB
serialisation, botocore request building, HTTP-shaped round trips). DynamoDB requests per reading
are counted, which does carry over to AWS.

Run: make bench   (or .venv/bin/python -m bench.readings_throughput)
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.environment import use_offline_environment

use_offline_environment()  # before chalicelib is imported

from chalicelib.bootstrap import Container, build_memory_container  # noqa: E402
from chalicelib.domain.sensing.devices import Device  # noqa: E402
from chalicelib.domain.sensing.readings import parse_batch  # noqa: E402
from chalicelib.services.sensing.process_readings import ProcessDependencies, process_readings  # noqa: E402

DEVICES = 20
BATCHES_PER_DEVICE = 10
READINGS_PER_BATCH = 10
NOW = datetime.now(UTC).replace(microsecond=0)


def payloads(seed: int = 11) -> list[tuple[str, dict[str, Any]]]:
    """Batches of PM2.5 readings: mostly clean air, with spikes that open and grow incidents."""
    rng = random.Random(seed)
    start = NOW - timedelta(hours=2)
    out = []
    for batch in range(BATCHES_PER_DEVICE):
        for device in range(DEVICES):
            readings = []
            for n in range(READINGS_PER_BATCH):
                at = start + timedelta(seconds=60 * (batch * READINGS_PER_BATCH + n))
                value = rng.uniform(5, 15) if rng.random() > 0.2 else rng.uniform(60, 250)
                readings.append(
                    {
                        "metric": "pm2_5",
                        "value": round(value, 1),
                        "unit": "ug/m3",
                        "observed_at": at.isoformat(),
                    }
                )
            out.append((f"aq-{device:03d}", {"readings": readings}))
    return out


def add_devices(container: Container) -> None:
    rng = random.Random(3)
    for device in range(DEVICES):
        lat, lon = 51.5072 + rng.uniform(-0.01, 0.01), -0.1276 + rng.uniform(-0.015, 0.015)
        container.devices.add(Device(f"aq-{device:03d}", "air_quality", "environment", lat, lon, "x"))


def run(container: Container, batches: list[tuple[str, dict[str, Any]]]) -> dict[str, float]:
    deps = ProcessDependencies(
        container.devices, container.readings, container.baselines, container.incidents, container.routing
    )
    count = 0
    started = time.perf_counter()
    for device_id, payload in batches:
        accepted, _ = parse_batch(payload, device_id, NOW)
        process_readings(device_id, accepted, deps)
        count += len(accepted)
    elapsed = time.perf_counter() - started
    return {"readings": count, "seconds": round(elapsed, 3), "readings_per_s": round(count / elapsed, 1)}


def run_against_moto(batches: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, float], Counter[str]]:
    import boto3
    from moto import mock_aws

    from chalicelib.bootstrap import build_aws_container
    from chalicelib.settings import Settings
    from local.resources import create_resources

    calls: Counter[str] = Counter()
    with mock_aws():
        settings = Settings(stage="bench", region="eu-west-2")
        session = boto3.session.Session(region_name=settings.region)
        create_resources(session, settings)
        container = build_aws_container(settings)
        container.routing.set_owner("airPollution", "environment")  # type: ignore[attr-defined]
        add_devices(container)
        with count_dynamodb_calls(calls):
            figures = run(container, batches)
    return figures, calls


@contextmanager
def count_dynamodb_calls(calls: Counter[str]) -> Iterator[None]:
    """Count every DynamoDB API call made by any botocore client (PynamoDB's included)."""
    from botocore.client import BaseClient

    original = BaseClient._make_api_call

    def counting(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if client.meta.service_model.service_name == "dynamodb":
            calls.update([operation])
        return original(client, operation, params)

    BaseClient._make_api_call = counting  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


def main() -> None:
    batches = payloads()
    memory = build_memory_container(routing={"airPollution": "environment"})
    add_devices(memory)
    in_memory = run(memory, batches)
    moto, calls = run_against_moto(batches)
    print(
        json.dumps(
            {
                "benchmark": "readings_throughput",
                "pipeline": "validation -> detection -> correlation, one core, one process",
                "in_memory": in_memory,
                "moto": moto,
                "ratio_in_memory_over_moto": round(in_memory["readings_per_s"] / moto["readings_per_s"], 1),
                "dynamodb_requests_per_reading": round(sum(calls.values()) / moto["readings"], 2),
                "dynamodb_requests_by_operation": dict(calls.most_common()),
                "incidents_in_memory": len(memory.incidents.items),  # type: ignore[attr-defined]
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
