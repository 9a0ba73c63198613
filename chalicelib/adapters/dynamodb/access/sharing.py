"""Sharing policies (optimistically locked by version) and ad-hoc grants (revoked once) in DynamoDB: the
`policies` and `grants` tables' models, indexes and items (levels stored by name), and the repository."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pynamodb.attributes import (
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DeleteError, PutError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.errors import Conflict, NotFound


class PoliciesByGranteeIndex(GlobalSecondaryIndex["PolicyModel"]):
    class Meta:
        index_name = "by_grantee"
        projection = AllProjection()

    grantee_agency = UnicodeAttribute(hash_key=True)
    policy_id = UnicodeAttribute(range_key=True)


class PoliciesByOwnerIndex(GlobalSecondaryIndex["PolicyModel"]):
    class Meta:
        index_name = "by_owner"
        projection = AllProjection()

    owner_agency = UnicodeAttribute(hash_key=True)
    policy_id = UnicodeAttribute(range_key=True)


class PolicyModel(Model):
    class Meta:
        table_name = "policies"

    policy_id = UnicodeAttribute(hash_key=True)
    owner_agency = UnicodeAttribute()
    grantee_agency = UnicodeAttribute()
    category = UnicodeAttribute()
    sub_category = UnicodeAttribute(null=True)
    level = UnicodeAttribute()  # AccessLevel name
    area_cells = UnicodeSetAttribute(null=True)  # absent = everywhere (DynamoDB has no empty sets)
    created_by = UnicodeAttribute(default="")
    version = VersionAttribute()
    by_grantee = PoliciesByGranteeIndex()
    by_owner = PoliciesByOwnerIndex()


class GrantsByGranteeIndex(GlobalSecondaryIndex["GrantModel"]):
    class Meta:
        index_name = "by_grantee"
        projection = AllProjection()

    grantee_agency = UnicodeAttribute(hash_key=True)
    grant_id = UnicodeAttribute(range_key=True)


class GrantsByIncidentIndex(GlobalSecondaryIndex["GrantModel"]):
    class Meta:
        index_name = "by_incident"
        projection = AllProjection()

    incident_id = UnicodeAttribute(hash_key=True)
    grant_id = UnicodeAttribute(range_key=True)


class GrantModel(Model):
    class Meta:
        table_name = "grants"

    grant_id = UnicodeAttribute(hash_key=True)
    incident_id = UnicodeAttribute()
    owner_agency = UnicodeAttribute()
    grantee_agency = UnicodeAttribute()
    level = UnicodeAttribute()  # AccessLevel name
    expires_at = UTCDateTimeAttribute()
    reason = UnicodeAttribute(default="")
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    revoked_at = UTCDateTimeAttribute(null=True)
    revoked_by = UnicodeAttribute(null=True)
    by_grantee = GrantsByGranteeIndex()
    by_incident = GrantsByIncidentIndex()


def policy_to_item(policy: SharingPolicy, expected_version: int | None) -> PolicyModel:
    """The item to save; `expected_version` None means the policy must not exist yet."""
    item = PolicyModel(
        policy.policy_id,
        owner_agency=policy.owner_agency,
        grantee_agency=policy.grantee_agency,
        category=policy.category,
        sub_category=policy.sub_category,
        level=policy.level.name,
        area_cells=set(policy.area_cells) or None,
        created_by=policy.created_by,
    )
    if expected_version is not None:  # PynamoDB conditions the save on it and stores it + 1
        item.version = expected_version  # left unset, the save is conditional on absence
    return item


def policy_from_item(item: PolicyModel) -> SharingPolicy:
    return SharingPolicy(
        policy_id=item.policy_id,
        owner_agency=item.owner_agency,
        grantee_agency=item.grantee_agency,
        category=item.category,
        sub_category=item.sub_category,
        level=AccessLevel[item.level],
        area_cells=frozenset(item.area_cells or ()),
        created_by=item.created_by or "",
        version=int(item.version or 1),
    )


def grant_to_item(grant: Grant) -> GrantModel:
    return GrantModel(
        grant.grant_id,
        incident_id=grant.incident_id,
        owner_agency=grant.owner_agency,
        grantee_agency=grant.grantee_agency,
        level=grant.level.name,
        expires_at=grant.expires_at,
        reason=grant.reason,
        created_by=grant.created_by,
        created_at=grant.created_at,
        revoked_at=grant.revoked_at,
        revoked_by=grant.revoked_by,
    )


def grant_from_item(item: GrantModel) -> Grant:
    return Grant(
        grant_id=item.grant_id,
        incident_id=item.incident_id,
        owner_agency=item.owner_agency,
        grantee_agency=item.grantee_agency,
        level=AccessLevel[item.level],
        expires_at=item.expires_at,
        reason=item.reason or "",
        created_by=item.created_by,
        created_at=item.created_at,
        revoked_at=item.revoked_at,
        revoked_by=item.revoked_by,
    )


class DynamoSharingRepository:
    def policies_for_grantee(self, agency: str) -> list[SharingPolicy]:
        return [policy_from_item(item) for item in PolicyModel.by_grantee.query(agency)]

    def policies_of_owner(self, agency: str) -> list[SharingPolicy]:
        return [policy_from_item(item) for item in PolicyModel.by_owner.query(agency)]

    def get_policy(self, policy_id: str) -> SharingPolicy | None:
        try:
            return policy_from_item(PolicyModel.get(policy_id, consistent_read=True))
        except PolicyModel.DoesNotExist:
            return None

    def put_policy(self, policy: SharingPolicy, expected_version: int | None) -> SharingPolicy:
        """Create (expected_version None) or replace the policy stored at `expected_version`."""
        try:
            policy_to_item(policy, expected_version).save()
        except PutError as error:
            if not condition_failed(error):
                raise
            raise self._refusal(policy.policy_id, expected_version) from None
        return replace(policy, version=(expected_version or 0) + 1)

    def delete_policy(self, policy_id: str, expected_version: int) -> None:
        """Delete the policy stored at `expected_version`; NotFound if none, Conflict if it moved on."""
        try:
            PolicyModel(policy_id, version=expected_version).delete()
        except DeleteError as error:
            if not condition_failed(error):
                raise
            raise self._refusal(policy_id, expected_version) from None

    def _refusal(self, policy_id: str, expected_version: int | None) -> Conflict | NotFound:
        current = self.get_policy(policy_id)
        if current is None:
            return NotFound(f"sharing policy {policy_id} does not exist")
        expected = "not to exist" if expected_version is None else f"at version {expected_version}"
        return Conflict(
            f"sharing policy {policy_id} was expected {expected}; it is at version {current.version}",
            current_version=current.version,
        )

    def grants_for_grantee(self, agency: str) -> list[Grant]:
        """Grants to the agency that are not revoked; expired ones too (expiry is judged at read time)."""
        unrevoked = GrantModel.revoked_at.does_not_exist()
        return [
            grant_from_item(item) for item in GrantModel.by_grantee.query(agency, filter_condition=unrevoked)
        ]

    def grants_of_incident(self, incident_id: str) -> list[Grant]:
        return [grant_from_item(item) for item in GrantModel.by_incident.query(incident_id)]

    def get_grant(self, grant_id: str) -> Grant | None:
        try:
            return grant_from_item(GrantModel.get(grant_id, consistent_read=True))
        except GrantModel.DoesNotExist:
            return None

    def add_grant(self, grant: Grant) -> None:
        try:
            grant_to_item(grant).save(condition=GrantModel.grant_id.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                raise Conflict(f"a grant with id {grant.grant_id} already exists") from None
            raise

    def revoke_grant(self, grant_id: str, revoked_by: str, revoked_at: datetime) -> Grant:
        """Revoke once (UpdateItem on condition that it exists and is not revoked yet)."""
        item = GrantModel(grant_id)
        try:
            item.update(
                actions=[GrantModel.revoked_at.set(revoked_at), GrantModel.revoked_by.set(revoked_by)],
                condition=GrantModel.grant_id.exists() & GrantModel.revoked_at.does_not_exist(),
            )
        except UpdateError as error:
            if not condition_failed(error):
                raise
            if self.get_grant(grant_id) is None:
                raise NotFound(f"grant {grant_id} does not exist") from None
            raise Conflict(f"grant {grant_id} is already revoked") from None
        return grant_from_item(item)
