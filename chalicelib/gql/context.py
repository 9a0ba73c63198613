"""What every resolver receives: the caller, the use cases it may call, and the request's scoped state.

One context per request: one AccessResolver (one access decision per incident), one ReadAudit
(flushed once by the view), one task loader, and the response paths redacted so far.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry

from chalicelib.bootstrap import Container
from chalicelib.bootstrap.use_cases import GraphQLUseCases
from chalicelib.domain.errors import Forbidden
from chalicelib.domain.principal import Principal
from chalicelib.gql.response.task_loader import TaskLoader
from chalicelib.services.access.access_resolver import AccessResolver
from chalicelib.services.access.audit_reads import ReadAudit

ResponsePath = list[str | int]


@dataclass
class RedactedPaths:
    """Response paths of requested fields that were redacted, each once, in the order found."""

    paths: list[ResponsePath] = field(default_factory=list)
    _seen: set[tuple[str | int, ...]] = field(default_factory=set)

    def add(self, paths: list[ResponsePath]) -> None:
        for path in paths:
            if (key := tuple(path)) not in self._seen:
                self._seen.add(key)
                self.paths.append(path)


@dataclass
class GraphQLContext:
    principal: Principal
    use: GraphQLUseCases
    resolver: AccessResolver
    audit: ReadAudit
    tasks: TaskLoader
    redacted: RedactedPaths

    def signed_in(self) -> Principal:
        """The caller, who must be an agency's user: the public may only read incidents."""
        if self.principal.is_public:
            raise Forbidden("sign in with an agency account to do this", "FORBIDDEN")
        return self.principal

    @classmethod
    def for_request(cls, principal: Principal, container: Container, request_id: str) -> GraphQLContext:
        resolver = AccessResolver(principal, container.clock(), container.sharing, container.tasks)
        audit = ReadAudit(resolver, request_id)
        return cls(
            principal=principal,
            use=GraphQLUseCases(container, principal, resolver, audit),
            resolver=resolver,
            audit=audit,
            tasks=TaskLoader(container.tasks),
            redacted=RedactedPaths(),
        )


Info = strawberry.Info[GraphQLContext, None]
