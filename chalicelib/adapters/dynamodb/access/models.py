"""PynamoDB models of sharing and response: standing policies, ad-hoc grants, crews' tasks, their
timelines, and the answers of clients' mutations (idempotency).

The key design of every table is in docs/data-model.md; names here match resources.json.
"""

from __future__ import annotations

from pynamodb.attributes import (  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex  # noqa: TID251
from pynamodb.models import Model  # noqa: TID251


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


class TasksByCrewIndex(GlobalSecondaryIndex["TaskModel"]):
    """Sparse: only tasks assigned to a crew."""

    class Meta:
        index_name = "by_crew"
        projection = AllProjection()

    crew_id = UnicodeAttribute(hash_key=True)
    incident_id = UnicodeAttribute(range_key=True)


class TaskModel(Model):
    """`version` is compared by hand in conditions (not a VersionAttribute): the update and its timeline
    entry go in one TransactWriteItems."""

    class Meta:
        table_name = "tasks"

    task_id = UnicodeAttribute(hash_key=True)
    incident_id = UnicodeAttribute()
    agency = UnicodeAttribute()
    crew_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="open")
    title = UnicodeAttribute(default="")
    due_at = UTCDateTimeAttribute(null=True)
    depends_on = ListAttribute(of=UnicodeAttribute, default=list)
    version = NumberAttribute(default=1)
    created_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    lat = NumberAttribute(null=True)
    lon = NumberAttribute(null=True)
    source = UnicodeAttribute(default="")
    by_crew = TasksByCrewIndex()


class TimelineModel(Model):
    """One item per accepted change of a task, keyed by the version it produced (so at most one)."""

    class Meta:
        table_name = "task_timeline"

    task_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute(range_key=True)
    at = UTCDateTimeAttribute()
    actor = UnicodeAttribute()
    actor_agency = UnicodeAttribute()
    action = UnicodeAttribute()
    status = UnicodeAttribute()
    lat = NumberAttribute(null=True)
    lon = NumberAttribute(null=True)
    detail = UnicodeAttribute(default="")


class MutationModel(Model):
    """What a client's mutation answered, by (subject, clientMutationId): a retry gets the same answer."""

    class Meta:
        table_name = "mutations"

    pk = UnicodeAttribute(hash_key=True)  # f"{subject}#{client_mutation_id}"
    result = UnicodeAttribute()  # JSON
    expires_at = TTLAttribute()
