"""Incidents and their events in DynamoDB (key design in models.py)."""

from __future__ import annotations

import operator
from dataclasses import replace
from functools import reduce

from pynamodb.exceptions import CancellationReason, TransactWriteError  # noqa: TID251 - the DynamoDB adapter
from pynamodb.expressions.condition import Condition  # noqa: TID251
from pynamodb.transactions import TransactWrite  # noqa: TID251

from chalicelib.adapters.dynamodb.cursors import decode_cursor, encode_cursor
from chalicelib.adapters.dynamodb.incident_items import (
    active_cell,
    event_from_item,
    event_to_item,
    incident_from_item,
    incident_to_item,
)
from chalicelib.adapters.dynamodb.incident_models import EventModel, IncidentModel
from chalicelib.domain.errors import Conflict, DuplicateEvent, InvalidInput
from chalicelib.domain.events import DetectionEvent
from chalicelib.domain.incidents import Incident, IncidentStatus
from chalicelib.domain.ports import IncidentPage

ACTIVE_PER_CELL = 20  # the most recently seen active incidents read per cell
FILTERED_PAGE_SIZE = 100  # items evaluated per request when a filter may drop many of them
REFUSED = ("ConditionalCheckFailed", "TransactionConflict")


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

    def record_event(self, event: DetectionEvent, incident: Incident, is_new: bool) -> Incident:
        """Store the event and the incident in one transaction; the incident's version goes up by one."""
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
        except TransactWriteError as error:
            raise_refusal(error, event.event_id, incident.incident_id, expected_version)
            raise
        return replace(incident, version=int(item.version))

    def list_for_agency(
        self,
        agency: str,
        status: IncidentStatus | None,
        category: str | None,
        limit: int,
        cursor: str | None,
    ) -> IncidentPage:
        if limit < 1:
            raise InvalidInput("a page holds at least one incident", "INVALID_PAGE_SIZE")
        filters: list[Condition] = []
        if status is not None:
            filters.append(IncidentModel.status == status.value)
        if category is not None:
            filters.append(IncidentModel.category == category)
        items = list(
            IncidentModel.by_agency.query(
                agency,
                scan_index_forward=False,
                filter_condition=reduce(operator.and_, filters) if filters else None,
                last_evaluated_key=decode_cursor(cursor, agency) if cursor else None,
                limit=limit + 1,  # one more than asked tells whether another page exists
                page_size=max(limit + 1, FILTERED_PAGE_SIZE) if filters else limit + 1,
            )
        )
        page = items[:limit]
        next_cursor = encode_cursor(page[-1]) if len(items) > limit else None
        return IncidentPage([incident_from_item(item) for item in page], next_cursor)

    def events_of(self, incident_id: str, limit: int = 100) -> list[DetectionEvent]:
        """The incident's events, most recently observed first."""
        items = EventModel.by_incident.query(incident_id, scan_index_forward=False, limit=limit)
        return [event_from_item(item) for item in items]


def raise_refusal(
    error: TransactWriteError, event_id: str, incident_id: str, expected_version: int | None
) -> None:
    """Turn a cancelled transaction into the domain error it means; return if it means neither.

    The reasons come in the order of the transaction's items: the event's put, then the incident's.
    """
    reasons = list(error.cancellation_reasons) + [None, None]
    event_reason, incident_reason = reasons[0], reasons[1]
    if event_reason is not None and event_reason.code == "ConditionalCheckFailed":
        raise DuplicateEvent(f"event {event_id} was already recorded") from None
    if any(reason is not None and reason.code in REFUSED for reason in (event_reason, incident_reason)):
        message = (
            f"incident {incident_id} already exists"
            if expected_version is None
            else f"incident {incident_id} changed since version {expected_version} was read"
        )
        raise Conflict(message, current_version=stored_version(incident_reason)) from None


def stored_version(reason: CancellationReason | None) -> int | None:
    """The version DynamoDB holds, when it sent the refused item back (ALL_OLD on condition failure)."""
    raw = (reason.raw_item or {}).get("version", {}) if reason is not None else {}
    number = raw.get("N")
    return int(number) if number is not None else None
