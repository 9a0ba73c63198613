"""Incidents in DynamoDB: the `incidents` table's model, indexes, keys and items, and the repository,
which also writes and reads the incident's detection events (incident_events.py). Key design and access
patterns in docs/data-model.md.

Every write of an incident replaces the whole item on the condition that its version is the one read,
and moves the version on: correlation, status changes and task appends all bump it, so none of them can
silently undo another; the loser gets Conflict and retries from a fresh read (what a refused
record_event transaction means is decided in incident_events.py). Pages are read from the
indexes; their cursors are raw keys, which the service layer signs before they leave the API.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import replace
from functools import reduce

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamodb.attributes import float_map
from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.adapters.dynamodb.incidents.incident_events import (
    EventModel,
    event_from_item,
    event_to_item,
    raise_refusal,
)
from chalicelib.adapters.dynamodb.keys import on_public_feed
from chalicelib.adapters.dynamodb.response.outbox import OutboxModel, outbox_item
from chalicelib.domain.categories import Severity
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import Incident, IncidentStatus, seen_key
from chalicelib.domain.incidents.outbox import OutboxEntry
from chalicelib.domain.incidents.ports import IncidentPage

ACTIVE_PER_CELL = 20  # the most recently seen active incidents read per cell
FILTERED_PAGE_SIZE = 100  # items evaluated per request when a filter may drop many of them
PUBLIC_FEED = "public"  # the one value of the incidents' sparse `public_feed` key


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
    seen_key = UnicodeAttribute()  # seen_key(incident): f"{format_instant(last_seen)}#{incident_id}"
    active_cell = UnicodeAttribute(null=True)  # active_cell(family, h3_cell) while the incident is active
    public_feed = UnicodeAttribute(null=True)  # PUBLIC_FEED while the incident is on the public feed
    sensitive = BooleanAttribute(default=False)
    description = UnicodeAttribute(default="")
    recent_events = JSONAttribute(default=list)  # DetectionEvent.to_dict of each, newest first
    task_ids = ListAttribute(of=UnicodeAttribute, default=list)  # appended by tasks, in creation order
    fired_playbooks = ListAttribute(of=UnicodeAttribute, default=list)  # f"{playbook}@{version}"
    by_agency = ByAgencyIndex()
    active_by_cell = ActiveByCellIndex()
    public = PublicFeedIndex()


def active_cell(family: str, h3_cell: str) -> str:
    return f"{family}#{h3_cell}"


def incident_to_item(incident: Incident, expected_version: int | None) -> IncidentModel:
    """The item to save; `expected_version` None means the incident must not exist yet."""
    item = IncidentModel(
        incident.incident_id,
        owner_agency=incident.owner_agency,
        sub_category=incident.sub_category,
        category=incident.category,
        status=incident.status.value,
        severity=incident.severity.value,
        confidence=incident.confidence,
        title=incident.title,
        lat=incident.lat,
        lon=incident.lon,
        h3_cell=incident.h3_cell,
        first_seen=incident.first_seen,
        last_seen=incident.last_seen,
        event_count=incident.event_count,
        peak_magnitude=incident.peak_magnitude,
        source_confidence=dict(incident.source_confidence),
        seen_key=seen_key(incident),
        active_cell=active_cell(incident.family, incident.h3_cell) if incident.status.is_active else None,
        public_feed=PUBLIC_FEED if on_public_feed(incident) else None,
        sensitive=incident.sensitive,
        description=incident.description,
        recent_events=[event.to_dict() for event in incident.recent_events],
        task_ids=list(incident.task_ids),
        fired_playbooks=list(incident.fired_playbooks),
    )
    if expected_version is not None:  # left unset, PynamoDB makes the save conditional on absence
        item.version = expected_version
    return item


def incident_from_item(item: IncidentModel) -> Incident:
    return Incident(
        incident_id=item.incident_id,
        owner_agency=item.owner_agency,
        sub_category=item.sub_category,
        status=IncidentStatus(item.status),
        severity=Severity(item.severity),
        confidence=float(item.confidence),
        title=item.title,
        lat=float(item.lat),
        lon=float(item.lon),
        h3_cell=item.h3_cell,
        first_seen=item.first_seen,
        last_seen=item.last_seen,
        event_count=int(item.event_count),
        peak_magnitude=float(item.peak_magnitude),
        source_confidence=float_map(item.source_confidence),
        version=int(item.version or 0),
        sensitive=bool(item.sensitive),
        description=item.description or "",
        recent_events=[DetectionEvent.from_dict(data) for data in item.recent_events or []],
        task_ids=[str(task_id) for task_id in item.task_ids or []],
        fired_playbooks=tuple(str(key) for key in item.fired_playbooks or []),
    )


class DynamoIncidentRepository:
    def get(self, incident_id: str) -> Incident | None:
        try:
            return incident_from_item(IncidentModel.get(incident_id))
        except IncidentModel.DoesNotExist:
            return None

    def get_many(self, incident_ids: list[str]) -> dict[str, Incident]:
        """The incidents found (BatchGetItem, 100 keys a request); missing ids are simply absent."""
        unique = list(dict.fromkeys(incident_ids))
        if not unique:
            return {}
        return {item.incident_id: incident_from_item(item) for item in IncidentModel.batch_get(unique)}

    def active_near(self, family: str, cells: set[str]) -> list[Incident]:
        found: list[Incident] = []
        for cell in sorted(cells):
            recent = IncidentModel.active_by_cell.query(
                active_cell(family, cell), scan_index_forward=False, limit=ACTIVE_PER_CELL
            )
            found.extend(incident_from_item(item) for item in recent)
        return found

    def record_event(
        self, event: DetectionEvent, incident: Incident, is_new: bool, outbox: tuple[OutboxEntry, ...] = ()
    ) -> Incident:
        """Store the event, the incident and the outbox entries of the playbooks it fired, in one
        transaction; the incident's version goes up by one."""
        expected_version = None if is_new else incident.version
        item = incident_to_item(incident, expected_version)
        # The incidents table's own connection: the same client, region and endpoint as every model.
        connection = IncidentModel._get_connection().connection
        try:
            with TransactWrite(connection=connection) as transaction:
                transaction.save(
                    event_to_item(event, incident.incident_id), condition=EventModel.event_id.does_not_exist()
                )
                transaction.save(item, return_values="ALL_OLD")
                for entry in outbox:
                    transaction.save(outbox_item(entry), condition=OutboxModel.entry_id.does_not_exist())
        except TransactWriteError as error:
            raise_refusal(error, event.event_id, incident.incident_id, expected_version)
            raise
        return replace(incident, version=int(item.version))

    def save(self, incident: Incident) -> Incident:
        """Replace the incident if its version is still `incident.version` (PutItem with a condition).

        Raises Conflict with the current version, or NotFound when no such incident is stored."""
        try:
            incident_to_item(incident, incident.version).save()
        except PutError as error:
            if not condition_failed(error):
                raise
            current = _current_version(incident.incident_id)
            if current is None:
                raise NotFound(f"incident {incident.incident_id} does not exist") from None
            message = f"incident {incident.incident_id} changed since version {incident.version} was read"
            raise Conflict(message, current_version=current) from None
        return replace(incident, version=incident.version + 1)

    def list_public(self, limit: int, cursor: str | None) -> IncidentPage:
        """Incidents on the public feed by id; `cursor` is the last id of the previous page."""
        check_page(limit, cursor)
        after = IncidentModel.incident_id > cursor if cursor is not None else None
        # one more than asked tells whether another page exists
        items = IncidentModel.public.query(PUBLIC_FEED, after, limit=limit + 1, page_size=limit + 1)
        return page_of(list(items), limit, lambda item: item.incident_id)

    def list_for_agency(
        self,
        agency: str,
        status: IncidentStatus | None,
        category: str | None,
        limit: int,
        cursor: str | None,
        *,
        sub_category: str | None = None,
    ) -> IncidentPage:
        """An agency's incidents, newest first; `cursor` is the seen_key of the last one of the previous page."""
        check_page(limit, cursor)
        filters: list[Condition] = []
        if status is not None:
            filters.append(IncidentModel.status == status.value)
        if category is not None:
            filters.append(IncidentModel.category == category)
        if sub_category is not None:
            filters.append(IncidentModel.sub_category == sub_category)
        items = IncidentModel.by_agency.query(
            agency,
            IncidentModel.seen_key < cursor if cursor is not None else None,
            scan_index_forward=False,
            filter_condition=reduce(operator.and_, filters) if filters else None,
            limit=limit + 1,
            page_size=max(limit + 1, FILTERED_PAGE_SIZE) if filters else limit + 1,
        )
        return page_of(list(items), limit, lambda item: item.seen_key)

    def events_of(self, incident_id: str, limit: int = 100) -> list[DetectionEvent]:
        """The incident's events, most recently observed first."""
        items = EventModel.by_incident.query(incident_id, scan_index_forward=False, limit=limit)
        return [event_from_item(item) for item in items]


def check_page(limit: int, cursor: str | None) -> None:
    if limit < 1:
        raise InvalidInput("a page holds at least one incident", "INVALID_PAGE_SIZE")
    if cursor == "":
        raise InvalidInput("a cursor is not empty", "INVALID_CURSOR")


def page_of(
    items: list[IncidentModel], limit: int, cursor_of: Callable[[IncidentModel], str]
) -> IncidentPage:
    """The first `limit` items as incidents; a next cursor only when the query found one item more."""
    page = items[:limit]
    next_cursor = cursor_of(page[-1]) if len(items) > limit else None
    return IncidentPage([incident_from_item(item) for item in page], next_cursor)


def _current_version(incident_id: str) -> int | None:
    """The stored version (a strongly consistent read of that one attribute); None if there is no incident."""
    try:
        item = IncidentModel.get(incident_id, consistent_read=True, attributes_to_get=["version"])
    except IncidentModel.DoesNotExist:
        return None
    return int(item.version or 0)
