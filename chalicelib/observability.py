"""Powertools Logger (JSON, correlation id), Metrics (EMF) and Tracer shared by every handler.

Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
POWERTOOLS_TRACE_DISABLED=true switches X-Ray off (local stack, tests). When it is off, the Tracer
gets a no-op provider: Powertools' default provider imports the X-Ray SDK, whose recorder builds two
botocore clients at import time (about 170 ms of every cold start) even when tracing is disabled.
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, Generator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.tracing.base import BaseProvider

os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "concord")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Concord")


class _NoSegment:
    """Accepts what a segment accepts and records nothing."""

    def put_annotation(self, key: str, value: Any) -> None:
        return None

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        return None

    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None:
        return None


class NoTracingProvider(BaseProvider):
    """The tracing provider used while tracing is disabled: no X-Ray SDK import, no clients."""

    @contextmanager
    def in_subsegment(self, name: Any = None, **kwargs: Any) -> Generator[Any, None, None]:
        yield _NoSegment()

    @asynccontextmanager
    async def in_subsegment_async(self, name: Any = None, **kwargs: Any) -> AsyncGenerator[Any, None]:
        yield _NoSegment()

    def put_annotation(self, key: str, value: Any) -> None:
        return None

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        return None

    def patch(self, modules: Sequence[str]) -> None:
        return None

    def patch_all(self) -> None:
        return None


def tracing_disabled() -> bool:
    return os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").lower() in {"1", "true", "yes", "on"}


logger = Logger()
metrics = Metrics()
tracer = Tracer(provider=NoTracingProvider(), disabled=True) if tracing_disabled() else Tracer()


def publish_metrics() -> None:
    """Flush the request's EMF metrics, if it recorded any, and always start the next one empty: with
    POWERTOOLS_METRICS_DISABLED, Powertools keeps them, and at 100 values it prints them anyway."""
    if metrics.metric_set:  # a request that recorded nothing publishes nothing (and warns about nothing)
        metrics.flush_metrics()
        metrics.clear_metrics()
