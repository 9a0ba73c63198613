"""Mutations that share: ad-hoc grants (the owner's supervisors) and standing policies (supervisors,
admins). Policy updates and deletes name the version the caller saw."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from chalicelib.gql.access.types import GrantType, SharingPolicyType
from chalicelib.gql.access_directive import AccessLevelEnum
from chalicelib.gql.context import Info
from chalicelib.services.access.manage_sharing import (
    PolicyDraft,
)


@strawberry.input(description="Share one incident of your agency with another agency for a while.")
class CreateGrantInput:
    incident_id: strawberry.ID
    grantee_agency: str
    level: AccessLevelEnum = strawberry.field(description="SUMMARY, OPERATIONAL or RESTRICTED.")
    expires_at: datetime = strawberry.field(description="In the future, at most 30 days ahead.")
    reason: str = strawberry.field(description="Why: it is audited.")


@strawberry.input(description="Share your agency's incidents of a category with another agency.")
class SharingPolicyInput:
    grantee_agency: str
    category: str = strawberry.field(description="Smart Data Models Alert category.")
    sub_category: str | None = None
    level: AccessLevelEnum = strawberry.field(description="SUMMARY, OPERATIONAL or RESTRICTED.")
    area_cells: list[str] = strawberry.field(
        default_factory=list, description="H3 cells (at most 200); empty means the whole city."
    )

    def to_draft(self) -> PolicyDraft:
        return PolicyDraft(
            self.grantee_agency,
            self.category,
            self.sub_category,
            self.level.level,
            frozenset(self.area_cells),
        )


@strawberry.type
class GrantPayload:
    grant: GrantType


@strawberry.type
class SharingPolicyPayload:
    policy: SharingPolicyType


@strawberry.type
class DeleteSharingPolicyPayload:
    deleted_id: strawberry.ID


@strawberry.type
class SharingMutations:
    @strawberry.mutation(description="Grant another agency access to one of your incidents (supervisors).")
    def create_grant(self, info: Info, input: CreateGrantInput) -> GrantPayload:
        info.context.signed_in()
        expires_at = input.expires_at if input.expires_at.tzinfo else input.expires_at.replace(tzinfo=UTC)
        grant = info.context.use.create_grant(
            str(input.incident_id), input.grantee_agency, input.level.level, expires_at, input.reason
        )
        return GrantPayload(grant=GrantType.from_domain(grant))

    @strawberry.mutation(description="Revoke a grant of your agency at once (supervisors).")
    def revoke_grant(self, info: Info, grant_id: strawberry.ID) -> GrantPayload:
        info.context.signed_in()
        grant = info.context.use.revoke_grant(str(grant_id))
        return GrantPayload(grant=GrantType.from_domain(grant))

    @strawberry.mutation(description="Create a standing sharing policy (supervisors, admins).")
    def create_sharing_policy(self, info: Info, input: SharingPolicyInput) -> SharingPolicyPayload:
        info.context.signed_in()
        policy = info.context.use.save_policy(input.to_draft())
        return SharingPolicyPayload(policy=SharingPolicyType.from_domain(policy))

    @strawberry.mutation(description="Replace a sharing policy of your agency at the version you saw.")
    def update_sharing_policy(
        self, info: Info, id: strawberry.ID, expected_version: int, input: SharingPolicyInput
    ) -> SharingPolicyPayload:
        info.context.signed_in()
        policy = info.context.use.save_policy(input.to_draft(), str(id), expected_version)
        return SharingPolicyPayload(policy=SharingPolicyType.from_domain(policy))

    @strawberry.mutation(description="Delete a sharing policy of your agency at the version you saw.")
    def delete_sharing_policy(
        self, info: Info, id: strawberry.ID, expected_version: int
    ) -> DeleteSharingPolicyPayload:
        info.context.signed_in()
        info.context.use.delete_policy(str(id), expected_version)
        return DeleteSharingPolicyPayload(deleted_id=id)
