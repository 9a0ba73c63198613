"""POST /graphql as any principal, and selections of every field the published schema allows.

`GraphQLCaller` owns one RS256 signing key and the JWKS file a real `JwksTokenVerifier` reads (the helpers
of tests/integration/test_graphql.py); it builds in-memory containers that trust it, and posts operations
through a Chalice test app calling `graphql_response`, with a token for an agency's principal and no
Authorization header for the public. `every_field` writes the selection set of every field of a type of
graphql/schema.graphql, and of every object type below it, so a new field is selected without retyping.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from chalice.test import Client
from cryptography.hazmat.primitives.asymmetric import rsa
from graphql import GraphQLObjectType, GraphQLSchema, build_schema, get_named_type

from chalicelib.bootstrap import Container, build_memory_container
from chalicelib.domain.principal import Principal
from chalicelib.settings import Settings
from tests.integration.test_graphql import AUDIENCE, ISSUER, graphql_client, jwks_verifier, post, token_issuer

CONTRACT = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


@cache
def published_schema() -> GraphQLSchema:
    return build_schema(CONTRACT.read_text(encoding="utf-8"))


def object_type(type_name: str) -> GraphQLObjectType:
    found = published_schema().get_type(type_name)
    assert isinstance(found, GraphQLObjectType), f"{type_name} is not an object type of the schema"
    return found


def object_below(type_name: str, field_name: str) -> str | None:
    """The object type a field holds (`Incident.events` → `DetectionEvent`); None for scalars and enums."""
    below = get_named_type(object_type(type_name).fields[field_name].type)
    return below.name if isinstance(below, GraphQLObjectType) else None


def every_field(
    type_name: str, leave_out: frozenset[str] = frozenset(), arguments: dict[str, str] | None = None
) -> str:
    """`{ … }` selecting every field of `type_name` and, recursively, of the object types it reaches.

    `leave_out` names fields as `Type.field`; `arguments` adds arguments by `Type.field`, e.g.
    {"Incident.events": "(first: 1)"}.
    """
    chosen = arguments or {}
    parts = []
    for name, definition in object_type(type_name).fields.items():
        qualified = f"{type_name}.{name}"
        if qualified in leave_out:
            continue
        below = get_named_type(definition.type)
        selection = every_field(below.name, leave_out, chosen) if isinstance(below, GraphQLObjectType) else ""
        parts.append(f"{name}{chosen.get(qualified, '')} {selection}".strip())
    return "{ " + " ".join(parts) + " }"


@dataclass(frozen=True)
class Answer:
    """A 200 response: its raw text (what a client receives) and the parsed body."""

    text: str
    body: dict[str, Any]

    @property
    def redacted(self) -> list[list[str | int]]:
        return list(self.body.get("extensions", {}).get("redacted", []))


class Session:
    """One container behind one Chalice test app."""

    def __init__(self, client: Client, token_for: Callable[[Principal], str | None]) -> None:
        self._client = client
        self._token_for = token_for

    def ask(self, principal: Principal, query: str, **variables: Any) -> Answer:
        response = post(self._client, query, self._token_for(principal), **variables)
        assert response.status_code == 200, response.body
        text = response.body.decode() if isinstance(response.body, bytes) else str(response.body)
        return Answer(text, json.loads(text))


class GraphQLCaller:
    def __init__(self, key_folder: Path) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._verifier = jwks_verifier(key_folder, key)
        self._issue = token_issuer(key)
        self._tokens: dict[Principal, str] = {}

    def container(self, now: datetime) -> Container:
        """An empty in-memory container whose clock stands at `now` and which trusts this caller's tokens."""
        return build_memory_container(
            settings=Settings(jwt_issuer=ISSUER, jwt_audience=AUDIENCE),
            token_verifier=self._verifier,
            clock=lambda: now,
        )

    def token_for(self, principal: Principal) -> str | None:
        """A signed token carrying the principal's agency, roles and crew; None for the public."""
        if principal.is_public:
            return None
        if principal not in self._tokens:
            crew = {"custom:crew_id": principal.crew_id} if principal.crew_id else {}
            roles = tuple(sorted(role.value for role in principal.roles))
            self._tokens[principal] = self._issue(agency=principal.agency, roles=roles, **crew)
        return self._tokens[principal]

    @contextmanager
    def session(self, container: Container) -> Iterator[Session]:
        with graphql_client(container) as client:
            yield Session(client, self.token_for)
