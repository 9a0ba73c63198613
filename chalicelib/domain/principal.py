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
    def acting_crew(self) -> str | None:
        """The crew this caller acts as: the crew id of a field crew's token, else None.

        The one crew rule: every crew entry point (myTasks, changes, task access, access decisions) asks
        this, never `crew_id`, which is only the token's claim: on any other role it grants nothing.
        """
        return self.crew_id if self.crew_id and self.has_role(Role.FIELD_CREW) else None

    @property
    def is_public(self) -> bool:
        """The caller without a token: a citizen."""
        return not self.agency

    @classmethod
    def public(cls) -> Principal:
        return cls(subject="public", agency="", roles=frozenset())
