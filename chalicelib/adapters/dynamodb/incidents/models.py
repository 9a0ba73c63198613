"""PynamoDB models of the incident side: incidents, their events, routing and agencies.

The key design of every table is in docs/data-model.md; names here match resources.json.
"""

from __future__ import annotations

from pynamodb.attributes import (  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex  # noqa: TID251
from pynamodb.models import Model  # noqa: TID251


class ByAgencyIndex(GlobalSecondaryIndex["IncidentModel"]):
    """Every incident of an agency, most recently seen last (query backwards for newest first)."""

    class Meta:
        index_name = "by_agency"
        projection = AllProjection()

    owner_agency = UnicodeAttribute(hash_key=True)
    seen_key = UnicodeAttribute(range_key=True)


class ActiveByCellIndex(GlobalSecondaryIndex["IncidentModel"]):
    """Sparse: only active incidents, keyed by family and H3 cell, for correlation."""

    class Meta:
        index_name = "active_by_cell"
        projection = AllProjection()

    active_cell = UnicodeAttribute(hash_key=True)
    seen_key = UnicodeAttribute(range_key=True)


class PublicFeedIndex(GlobalSecondaryIndex["IncidentModel"]):
    """Sparse: only incidents on the public feed (not embargoed, not dismissed), by id."""

    class Meta:
        index_name = "public_feed"
        projection = AllProjection()

    public_feed = UnicodeAttribute(hash_key=True)
    incident_id = UnicodeAttribute(range_key=True)


class PendingOutboxIndex(GlobalSecondaryIndex["OutboxModel"]):
    """Sparse: only entries not yet relayed, oldest first."""

    class Meta:
        index_name = "pending"
        projection = AllProjection()

    pending = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class IncidentModel(Model):
    class Meta:
        table_name = "incidents"

    incident_id = UnicodeAttribute(hash_key=True)
    owner_agency = UnicodeAttribute()
    sub_category = UnicodeAttribute()
    category = UnicodeAttribute()
    status = UnicodeAttribute()
    severity = UnicodeAttribute()
    confidence = NumberAttribute()
    title = UnicodeAttribute()
    lat = NumberAttribute()
    lon = NumberAttribute()
    h3_cell = UnicodeAttribute()
    first_seen = UTCDateTimeAttribute()
    last_seen = UTCDateTimeAttribute()
    event_count = NumberAttribute()
    peak_magnitude = NumberAttribute()
    source_confidence: MapAttribute[str, float] = MapAttribute(default=dict)
    version = VersionAttribute()
    seen_key = UnicodeAttribute()  # f"{format_instant(last_seen)}#{incident_id}"
    active_cell = UnicodeAttribute(null=True)  # f"{family}#{h3_cell}" while the incident is active
    public_feed = UnicodeAttribute(null=True)  # "public" while the incident is on the public feed
    sensitive = BooleanAttribute(default=False)
    description = UnicodeAttribute(default="")
    recent_events = JSONAttribute(default=list)  # DetectionEvent.to_dict of each, newest first
    task_ids = ListAttribute(of=UnicodeAttribute, default=list)  # appended by tasks, in creation order
    fired_playbooks = ListAttribute(of=UnicodeAttribute, default=list)  # f"{playbook}@{version}"
    by_agency = ByAgencyIndex()
    active_by_cell = ActiveByCellIndex()
    public = PublicFeedIndex()


class OutboxModel(Model):
    """Outbox entries, written in the transaction of the incident change that fired them."""

    class Meta:
        table_name = "outbox"

    entry_id = UnicodeAttribute(hash_key=True)
    incident_id = UnicodeAttribute()
    body = UnicodeAttribute()  # JSON of the OutboxEntry
    pending = UnicodeAttribute(null=True)  # "pending" until relayed: the sparse index's key
    created_key = UnicodeAttribute()  # f"{created_at}#{entry_id}"
    by_pending = PendingOutboxIndex()


class ByIncidentIndex(GlobalSecondaryIndex["EventModel"]):
    class Meta:
        index_name = "by_incident"
        projection = AllProjection()

    incident_id = UnicodeAttribute(hash_key=True)
    observed_at = UnicodeAttribute(range_key=True)


class EventModel(Model):
    class Meta:
        table_name = "events"

    event_id = UnicodeAttribute(hash_key=True)
    incident_id = UnicodeAttribute()
    observed_at = UnicodeAttribute()  # RFC 3339, as format_instant writes it: sortable
    source_id = UnicodeAttribute()
    sub_category = UnicodeAttribute()
    severity = UnicodeAttribute()
    confidence = NumberAttribute()
    magnitude = NumberAttribute()
    lat = NumberAttribute()
    lon = NumberAttribute()
    detector = UnicodeAttribute()
    description = UnicodeAttribute()
    details = JSONAttribute(default=dict)
    by_incident = ByIncidentIndex()


class RoutingModel(Model):
    class Meta:
        table_name = "routing"

    sub_category = UnicodeAttribute(hash_key=True)
    agency = UnicodeAttribute()


class AgencyModel(Model):
    """An agency, or (agency_id == DIRECTORY_KEY) the directory item listing every agency id."""

    class Meta:
        table_name = "agencies"

    agency_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute(null=True)
    members = UnicodeSetAttribute(null=True)
