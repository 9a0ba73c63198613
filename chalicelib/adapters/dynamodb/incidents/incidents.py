"""Incidents and their events in DynamoDB (key design in docs/data-model.md).

Every write of an incident replaces the whole item on the condition that its version is the one read,
and moves the version on: correlation, status changes and task appends all bump it, so none of them can
silently undo another; the loser gets Conflict and retries from a fresh read.
"""

from __future__ import annotations

from dataclasses import replace

from pynamodb.exceptions import PutError, TransactWriteError  # noqa: TID251 - the DynamoDB adapter
from pynamodb.transactions import TransactWrite  # noqa: TID251

from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.adapters.dynamodb.incidents.items import (
    event_from_item,
    event_to_item,
    incident_from_item,
    incident_to_item,
)
from chalicelib.adapters.dynamodb.incidents.listings import agency_page, public_page
from chalicelib.adapters.dynamodb.incidents.models import EventModel, IncidentModel, OutboxModel
from chalicelib.adapters.dynamodb.incidents.refusals import current_version, raise_refusal
from chalicelib.adapters.dynamodb.keys import active_cell
from chalicelib.adapters.dynamodb.response.outbox import outbox_item
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.incidents.incident import Incident, IncidentStatus
from chalicelib.domain.ports import IncidentPage
from chalicelib.domain.response.outbox import OutboxEntry

ACTIVE_PER_CELL = 20  # the most recently seen active incidents read per cell


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
            current = current_version(incident.incident_id)
            if current is None:
                raise NotFound(f"incident {incident.incident_id} does not exist") from None
            message = f"incident {incident.incident_id} changed since version {incident.version} was read"
            raise Conflict(message, current_version=current) from None
        return replace(incident, version=incident.version + 1)

    def list_public(self, limit: int, cursor: str | None) -> IncidentPage:
        return public_page(limit, cursor)

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
        return agency_page(agency, status, category, sub_category, limit, cursor)

    def events_of(self, incident_id: str, limit: int = 100) -> list[DetectionEvent]:
        """The incident's events, most recently observed first."""
        items = EventModel.by_incident.query(incident_id, scan_index_forward=False, limit=limit)
        return [event_from_item(item) for item in items]
