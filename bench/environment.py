"""The environment every benchmark runs in: no X-Ray, dummy credentials, a fixed region (nothing
reaches a real AWS account). Set before chalicelib is imported: settings are read once."""

from __future__ import annotations

import os

OFFLINE_ENVIRONMENT = {
    "POWERTOOLS_TRACE_DISABLED": "true",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_REGION": "eu-west-2",
    "AWS_DEFAULT_REGION": "eu-west-2",
}


def use_offline_environment() -> None:
    """Fill in what the caller's environment does not set already."""
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
