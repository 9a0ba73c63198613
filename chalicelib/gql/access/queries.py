"""Queries about sharing and audit: agencies, sharing policies, an incident's grants, its audit trail."""

from __future__ import annotations

from typing import Annotated

import strawberry

from chalicelib.gql.access.types import AgencyType, AuditEntryType, GrantType, SharingPolicyType
from chalicelib.gql.context import Info

DEFAULT_TRAIL = 100


@strawberry.type
class SharingQueries:
    @strawberry.field(description="The city's agencies (signed-in users only).")
    def agencies(self, info: Info) -> list[AgencyType]:
        agencies = info.context.use.agencies()
        return [AgencyType.from_domain(agency) for agency in agencies]

    @strawberry.field(
        description="Policies sharing incidents with your agency; supervisors and admins also see "
        "their own agency's policies."
    )
    def sharing_policies(self, info: Info) -> list[SharingPolicyType]:
        info.context.signed_in()
        policies = info.context.use.sharing_policies()
        return [SharingPolicyType.from_domain(policy) for policy in policies]

    @strawberry.field(
        description="Every grant of an incident, revoked ones included (the owning agency's supervisors)."
    )
    def grants(self, info: Info, incident_id: strawberry.ID) -> list[GrantType]:
        info.context.signed_in()
        grants = info.context.use.grants(str(incident_id))
        return [GrantType.from_domain(grant) for grant in grants]

    @strawberry.field(
        description="Who read the incident's sensitive data, newest first (owner's supervisors)."
    )
    def audit_trail(
        self,
        info: Info,
        incident_id: strawberry.ID,
        first: Annotated[int, strawberry.argument(description="At most 500.")] = DEFAULT_TRAIL,
    ) -> list[AuditEntryType]:
        info.context.signed_in()
        entries = info.context.use.audit_trail(str(incident_id), first)
        return [AuditEntryType.from_domain(entry) for entry in entries]
