"""Who is calling: built from verified JWT claims (Cognito in AWS, the dev issuer locally)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    FIELD_CREW = "field_crew"
    PUBLIC_INFORMATION_OFFICER = "public_information_officer"
    ANALYST = "analyst"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    subject: str
    agency: str
    roles: frozenset[Role]
    crew_id: str | None = None

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_public(self) -> bool:
        """The caller without a token: a citizen."""
        return not self.agency

    @classmethod
    def public(cls) -> Principal:
        return cls(subject="public", agency="", roles=frozenset())
