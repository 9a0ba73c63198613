"""In-memory sharing policies, grants, audit trail and agencies: the fakes of the access ports, with the
contracts of adapters/dynamodb/access/ (versioned policies, grants revoked once, audit keys as in
DynamoDB), and the demo city's agencies (what the local stack seeds DynamoDB with too)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.adapters.dynamodb.keys import audit_key
from chalicelib.domain.access.agencies import Agency
from chalicelib.domain.access.audit import AuditEntry
from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.domain.errors import Conflict, NotFound


class MemorySharingRepository:
    def __init__(self) -> None:
        self.policies: dict[str, SharingPolicy] = {}
        self.grants: dict[str, Grant] = {}

    def policies_for_grantee(self, agency: str) -> list[SharingPolicy]:
        return [p for _, p in sorted(self.policies.items()) if p.grantee_agency == agency]

    def policies_of_owner(self, agency: str) -> list[SharingPolicy]:
        return [p for _, p in sorted(self.policies.items()) if p.owner_agency == agency]

    def get_policy(self, policy_id: str) -> SharingPolicy | None:
        return self.policies.get(policy_id)

    def put_policy(self, policy: SharingPolicy, expected_version: int | None) -> SharingPolicy:
        self._check_version(policy.policy_id, expected_version)
        self.policies[policy.policy_id] = replace(policy, version=(expected_version or 0) + 1)
        return self.policies[policy.policy_id]

    def delete_policy(self, policy_id: str, expected_version: int) -> None:
        self._check_version(policy_id, expected_version)
        del self.policies[policy_id]

    def _check_version(self, policy_id: str, expected_version: int | None) -> None:
        current = self.policies.get(policy_id)
        if current is None and expected_version is not None:
            raise NotFound(f"sharing policy {policy_id} does not exist")
        if current is not None and current.version != expected_version:
            raise Conflict(f"sharing policy {policy_id} is at version {current.version}", current.version)

    def grants_for_grantee(self, agency: str) -> list[Grant]:
        return [
            g for _, g in sorted(self.grants.items()) if g.grantee_agency == agency and g.revoked_at is None
        ]

    def grants_of_incident(self, incident_id: str) -> list[Grant]:
        return [g for _, g in sorted(self.grants.items()) if g.incident_id == incident_id]

    def get_grant(self, grant_id: str) -> Grant | None:
        return self.grants.get(grant_id)

    def add_grant(self, grant: Grant) -> None:
        if grant.grant_id in self.grants:
            raise Conflict(f"a grant with id {grant.grant_id} already exists")
        self.grants[grant.grant_id] = grant

    def revoke_grant(self, grant_id: str, revoked_by: str, revoked_at: datetime) -> Grant:
        grant = self.grants.get(grant_id)
        if grant is None:
            raise NotFound(f"grant {grant_id} does not exist")
        if grant.revoked_at is not None:
            raise Conflict(f"grant {grant_id} is already revoked")
        self.grants[grant_id] = replace(grant, revoked_at=revoked_at, revoked_by=revoked_by)
        return self.grants[grant_id]


class MemoryAuditLog:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], AuditEntry] = {}

    def record(self, entries: list[AuditEntry]) -> None:
        for position, entry in enumerate(entries):
            self.items[(entry.incident_id, audit_key(entry, position))] = entry

    def trail(self, incident_id: str, limit: int) -> list[AuditEntry]:
        newest_first = sorted(self.items.items(), reverse=True)
        return [entry for (owner, _), entry in newest_first if owner == incident_id][:limit]


DEMO_AGENCIES = {
    "police": "City Police",
    "transport": "City Transport",
    "utilities": "Water and Utilities",
    "sanitation": "Sanitation",
    "environment": "Environmental Health",
    "emergency": "Emergency Services",
}


class StaticAgencyDirectory:
    """A fixed directory of agencies."""

    def __init__(self, agencies: dict[str, str]) -> None:
        self._agencies = [Agency(agency_id, name) for agency_id, name in sorted(agencies.items())]

    def list(self) -> list[Agency]:
        return list(self._agencies)
