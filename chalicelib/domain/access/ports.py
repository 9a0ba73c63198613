"""Access ports: bearer tokens, sharing policies and grants, the audit log of reads, the agencies.

Adapters implement them; the services need them from the outside world.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the ports costs a cold start nothing
    from datetime import datetime

    from chalicelib.domain.access.agencies import Agency
    from chalicelib.domain.access.audit import AuditEntry
    from chalicelib.domain.access.sharing import Grant, SharingPolicy
    from chalicelib.domain.principal import Principal


class TokenVerifier(Protocol):
    def verify(self, token: str) -> Principal:
        """The principal of a valid bearer token; raises AuthenticationFailed otherwise."""


class SharingRepository(Protocol):
    def policies_for_grantee(self, agency: str) -> list[SharingPolicy]: ...

    def policies_of_owner(self, agency: str) -> list[SharingPolicy]: ...

    def get_policy(self, policy_id: str) -> SharingPolicy | None: ...

    def put_policy(self, policy: SharingPolicy, expected_version: int | None) -> SharingPolicy:
        """Create (expected_version None) or replace at `expected_version`; returns it at version + 1 (new: 1).
        Raises Conflict with the current version."""

    def delete_policy(self, policy_id: str, expected_version: int) -> None: ...

    def grants_for_grantee(self, agency: str) -> list[Grant]:
        """Grants to `agency` that are not revoked (expired ones included: expiry is checked at read time)."""

    def grants_of_incident(self, incident_id: str) -> list[Grant]: ...

    def get_grant(self, grant_id: str) -> Grant | None: ...

    def add_grant(self, grant: Grant) -> None: ...

    def revoke_grant(self, grant_id: str, revoked_by: str, revoked_at: datetime) -> Grant:
        """Revoke once; raises NotFound if unknown, Conflict if already revoked."""


class AuditLog(Protocol):
    def record(self, entries: list[AuditEntry]) -> None:
        """Write a request's entries in as few calls as possible."""

    def trail(self, incident_id: str, limit: int) -> list[AuditEntry]:
        """Newest first."""


class AgencyDirectory(Protocol):
    def list(self) -> list[Agency]:
        """Every agency of the city, by id."""
