"""The one place that builds adapters from settings and hands them to use cases.

`container()` is the process-wide container (one per Lambda container or local server); entry points
ask it for a use case's dependencies (`c.ingest`, `c.processing()`, `c.response`, `c.inference` …) and
GraphQL resolvers get theirs through `GraphQLUseCases`. Tests install in-memory containers.
"""

from __future__ import annotations

from chalicelib.bootstrap.aws import build_aws_container
from chalicelib.bootstrap.container import Container, utc_now
from chalicelib.bootstrap.memory import build_memory_container
from chalicelib.settings import current_settings

__all__ = [
    "Container",
    "build_aws_container",
    "build_memory_container",
    "container",
    "use_container",
    "utc_now",
]

_current: Container | None = None


def container() -> Container:
    """The process-wide container, built once per Lambda container (or local server)."""
    global _current  # noqa: PLW0603 - one container per process is the point
    if _current is None:
        _current = build_aws_container(current_settings())
    return _current


def use_container(replacement: Container | None) -> None:
    """Install a container (tests, benchmarks); None makes the next call build from settings again."""
    global _current  # noqa: PLW0603 - see container()
    _current = replacement
