"""The environment variables that point the API and the handlers at the embedded stack.

They are set before app.py or chalicelib is imported: settings are read once and cached. Only the
endpoints differ from AWS: the same code reads the same variables there.
"""

from __future__ import annotations

import os

from local.aws import DUMMY_CREDENTIALS

REGION = "eu-west-2"
STAGE = "local"


def stack_environment(endpoint_url: str, jwks_url: str, issuer: str) -> dict[str, str]:
    return {
        **DUMMY_CREDENTIALS,
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "CONCORD_STAGE": STAGE,
        "CONCORD_LOCAL_MODE": "true",
        "CONCORD_JWKS_URL": jwks_url,
        "CONCORD_JWT_ISSUER": issuer,
        "CONCORD_JWT_AUDIENCE": "concord",
        "CONCORD_TIMERS_TARGET_ARN": f"arn:aws:lambda:{REGION}:123456789012:function:concord-{STAGE}-timers",
        "CONCORD_SCHEDULER_ROLE_ARN": f"arn:aws:iam::123456789012:role/concord-{STAGE}-scheduler",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "concord",
        "POWERTOOLS_METRICS_NAMESPACE": "Concord",
    }


def quiet_environment() -> dict[str, str]:
    """For the demo: warnings and errors only from the API and the functions, no EMF metric lines."""
    return {"POWERTOOLS_LOG_LEVEL": "WARNING", "POWERTOOLS_METRICS_DISABLED": "true"}


def apply_environment(values: dict[str, str]) -> None:
    """Set `values` in this process; drop settings that would send boto3 to a real account."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        os.environ.pop(name, None)
    os.environ.update(values)
