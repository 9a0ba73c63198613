"""Sharing policies (optimistically locked by version) and ad-hoc grants (revoked once) in DynamoDB."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pynamodb.exceptions import DeleteError, PutError, UpdateError  # noqa: TID251 - the DynamoDB adapter

from chalicelib.adapters.dynamodb.access.items import (
    grant_from_item,
    grant_to_item,
    policy_from_item,
    policy_to_item,
)
from chalicelib.adapters.dynamodb.access.models import GrantModel, PolicyModel
from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.domain.access.sharing import Grant, SharingPolicy
from chalicelib.domain.errors import Conflict, NotFound


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
