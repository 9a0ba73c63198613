"""Lazy botocore clients: a cold start pays only for the clients its request needs.

botocore directly, not boto3: boto3 adds about 100 ms of imports (s3transfer) to every cold start.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from chalicelib.settings import Settings


class LazyClient:
    """A botocore client built on first use."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = self._factory()
        return getattr(self._client, name)


@functools.cache
def _botocore_session() -> Any:
    from botocore.session import get_session

    return get_session()


def aws_client(settings: Settings, service: str) -> LazyClient:
    """A client for `service` in the settings' region and endpoint; one botocore session per process."""
    return LazyClient(
        lambda: _botocore_session().create_client(
            service, region_name=settings.region, endpoint_url=settings.endpoint_url
        )
    )
