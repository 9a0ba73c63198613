"""Sharing and audit types: agencies, standing policies, ad-hoc grants, audit entries.

These are not incident data: who may read them is decided by the query that returns them.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from chalicelib.domain.access.agencies import Agency
from chalicelib.domain.access.audit import AuditEntry
from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.gql.access_directive import AccessLevelEnum


@strawberry.type(name="Agency", description="An agency of the city.")
class AgencyType:
    id: strawberry.ID
    name: str

    @classmethod
    def from_domain(cls, agency: Agency) -> AgencyType:
        return cls(id=strawberry.ID(agency.agency_id), name=agency.name)


@strawberry.type(
    name="SharingPolicy",
    description="The owner shares incidents of a category (optionally a sub-category and area) at a level.",
)
class SharingPolicyType:
    id: strawberry.ID
    owner_agency: str
    grantee_agency: str
    category: str
    sub_category: str | None
    level: AccessLevelEnum
    area_cells: list[str] = strawberry.field(description="H3 cells; empty means the whole city.")
    created_by: str
    version: int = strawberry.field(description="Send it back to update or delete.")

    @classmethod
    def from_domain(cls, policy: SharingPolicy) -> SharingPolicyType:
        return cls(
            id=strawberry.ID(policy.policy_id),
            owner_agency=policy.owner_agency,
            grantee_agency=policy.grantee_agency,
            category=policy.category,
            sub_category=policy.sub_category,
            level=AccessLevelEnum.of(policy.level),
            area_cells=sorted(policy.area_cells),
            created_by=policy.created_by,
            version=policy.version,
        )


@strawberry.type(
    name="Grant", description="One incident shared with one agency until it expires or is revoked."
)
class GrantType:
    id: strawberry.ID
    incident_id: strawberry.ID
    owner_agency: str
    grantee_agency: str
    level: AccessLevelEnum
    expires_at: datetime
    reason: str
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None

    @classmethod
    def from_domain(cls, grant: Grant) -> GrantType:
        return cls(
            id=strawberry.ID(grant.grant_id),
            incident_id=strawberry.ID(grant.incident_id),
            owner_agency=grant.owner_agency,
            grantee_agency=grant.grantee_agency,
            level=AccessLevelEnum.of(grant.level),
            expires_at=grant.expires_at,
            reason=grant.reason,
            created_by=grant.created_by,
            created_at=grant.created_at,
            revoked_at=grant.revoked_at,
            revoked_by=grant.revoked_by,
        )


@strawberry.type(name="AuditEntry", description="One principal's read of one incident in one request.")
class AuditEntryType:
    incident_id: strawberry.ID
    at: datetime
    request_id: str
    subject: str
    agency: str
    fields: list[str] = strawberry.field(description="The fields read, as Type.field.")
    basis: str = strawberry.field(description="owner, policy:<id>, grant:<id>, task:<id> or public.")
    level: AccessLevelEnum

    @classmethod
    def from_domain(cls, entry: AuditEntry) -> AuditEntryType:
        return cls(
            incident_id=strawberry.ID(entry.incident_id),
            at=entry.at,
            request_id=entry.request_id,
            subject=entry.subject,
            agency=entry.agency,
            fields=list(entry.fields),
            basis=entry.basis,
            level=AccessLevelEnum.of(entry.level),
        )
