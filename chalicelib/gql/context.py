"""What every resolver receives: who is calling and the adapters to serve them with."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from chalicelib.bootstrap import Container
from chalicelib.domain.principal import Principal


@dataclass(frozen=True)
class GraphQLContext:
    principal: Principal
    container: Container


Info = strawberry.Info[GraphQLContext, None]
