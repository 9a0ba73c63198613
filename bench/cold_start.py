"""Cold start of the API handler: a fresh interpreter imports app.py and serves its first request.

The parent process runs the embedded AWS (moto server), registers a device and a signing key, then
starts fresh interpreters that time `import app` and the first `app(event, context)` call, as Lambda
does on a cold start (interpreter start-up itself is not counted). Two first requests are measured:
a signed readings POST (REST path; Strawberry is not imported) and a GraphQL query (Strawberry is
imported on first use). Target: import + first request ≤ 400 ms. Medians of RUNS runs.

Run: make bench   (or .venv/bin/python -m bench.cold_start)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_MS = 400

CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
import app
t1 = time.perf_counter()
from local.lambda_context import LocalLambdaContext
event = json.loads(sys.argv[1])
context = LocalLambdaContext("concord-api", 30, "eu-west-2")
if os.environ.get("BENCH_PROFILE"):  # where the first request's time goes, on stderr
    import cProfile, pstats
    profile = cProfile.Profile()
    response = profile.runcall(app.app, event, context)
    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
else:
    response = app.app(event, context)
t2 = time.perf_counter()
print(json.dumps({"status": response["statusCode"], "import_ms": (t1 - t0) * 1000, "first_request_ms": (t2 - t1) * 1000}))
"""


def api_event(
    method: str, path: str, resource: str, params: dict[str, str], headers: dict[str, str], body: str
) -> dict[str, Any]:
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": params or None,
        "stageVariables": None,
        "requestContext": {
            "httpMethod": method,
            "resourcePath": resource,
            "path": path,
            "requestId": "bench",
            "stage": "api",
        },
        "body": body,
        "isBase64Encoded": False,
    }


def readings_event(device_id: str, secret: bytes) -> dict[str, Any]:
    import secrets
    import time
    from datetime import UTC, datetime

    from chalicelib.domain.sensing.devices import sign

    observed = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = json.dumps(
        {"readings": [{"metric": "pm2_5", "value": 12.0, "unit": "ug/m3", "observed_at": observed}]}
    )
    path, ts, nonce = f"/v1/devices/{device_id}/readings", str(int(time.time())), secrets.token_hex(16)
    headers = {
        "Content-Type": "application/json",
        "X-Concord-Timestamp": ts,
        "X-Concord-Nonce": nonce,
        "X-Concord-Signature": sign(secret, "POST", path, ts, nonce, body.encode()),
    }
    return api_event(
        "POST", path, "/v1/devices/{device_id}/readings", {"device_id": device_id}, headers, body
    )


def graphql_event(token: str) -> dict[str, Any]:
    body = json.dumps({"query": "{ incidents(first: 10) { edges { node { id title } } } }"})
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    return api_event("POST", "/graphql", "/graphql", {}, headers, body)


def measure(event_for: Any, env: dict[str, str]) -> dict[str, float]:
    runs = []
    for _ in range(RUNS):
        done = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps(event_for())],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        if os.environ.get("BENCH_PROFILE"):
            print(done.stderr, file=sys.stderr)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        assert result["status"] < 300, done.stdout + done.stderr
        runs.append(result)
    import_ms = statistics.median(r["import_ms"] for r in runs)
    first_ms = statistics.median(r["first_request_ms"] for r in runs)
    total = statistics.median(r["import_ms"] + r["first_request_ms"] for r in runs)
    return {
        "import_ms": round(import_ms, 1),
        "first_request_ms": round(first_ms, 1),
        "total_ms": round(total, 1),
        "target_ms": TARGET_MS,
        "within_target": total <= TARGET_MS,
    }


def main() -> None:
    from local.aws import EmbeddedAws
    from local.environment import stack_environment
    from local.issuer import DevIssuer

    aws = EmbeddedAws(port=0)
    endpoint = aws.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            issuer = DevIssuer("http://127.0.0.1/bench-issuer", Path(folder))
            env = {
                **os.environ,
                **stack_environment(endpoint, issuer.jwks_url, "http://127.0.0.1/bench-issuer"),
            }
            env.update(
                {
                    "CONCORD_STAGE": "bench",
                    "POWERTOOLS_LOG_LEVEL": "WARNING",
                    "POWERTOOLS_METRICS_DISABLED": "true",
                }
            )
            os.environ.update(env)
            from chalicelib.bootstrap import build_aws_container
            from chalicelib.domain.principal import Principal, Role
            from chalicelib.services.sensing.register_device import RegisterDevice, register_device
            from chalicelib.settings import Settings

            settings = Settings.from_env(env)
            aws.create_resources(settings)
            container = build_aws_container(settings)
            admin = Principal("bench", "environment", frozenset({Role.ADMIN}))
            device = register_device(
                RegisterDevice("bench-aq", "air_quality", 51.5, -0.12, "environment"),
                admin,
                container.devices,
                container.keyring,
            )
            token = issuer.mint("environment", ["operator"])
            figures = {
                "benchmark": "cold_start_api",
                "runs": RUNS,
                "rest_readings_post": measure(
                    lambda: readings_event("bench-aq", bytes.fromhex(device.secret)), env
                ),
                "graphql_query": measure(lambda: graphql_event(token), env),
            }
            print(json.dumps(figures, indent=2))
    finally:
        aws.stop()


if __name__ == "__main__":
    main()
