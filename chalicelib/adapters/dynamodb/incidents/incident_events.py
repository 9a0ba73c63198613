"""An incident's detection events in DynamoDB (the `events` table): model, index and items, and what a
refused record_event transaction means.

Events are written only inside the incident's record_event transaction (the event's put, the incident's,
then the outbox entries') and read back through the incidents repository (incidents.py), so they have no
repository of their own.
"""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import CancellationReason, TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.conditions import item_condition_failed
from chalicelib.domain.errors import Conflict, DuplicateEvent
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.instants import format_instant

REFUSED = ("ConditionalCheckFailed", "TransactionConflict")


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


def event_to_item(event: DetectionEvent, incident_id: str) -> EventModel:
    return EventModel(
        event.event_id,
        incident_id=incident_id,
        observed_at=format_instant(event.observed_at),
        source_id=event.source_id,
        sub_category=event.sub_category,
        severity=event.severity.value,
        confidence=event.confidence,
        magnitude=event.magnitude,
        lat=event.lat,
        lon=event.lon,
        detector=event.detector,
        description=event.description,
        details=dict(event.details),
    )


def event_from_item(item: EventModel) -> DetectionEvent:
    return DetectionEvent.from_dict(
        {
            "event_id": item.event_id,
            "source_id": item.source_id,
            "sub_category": item.sub_category,
            "severity": item.severity,
            "confidence": item.confidence,
            "magnitude": item.magnitude,
            "lat": item.lat,
            "lon": item.lon,
            "observed_at": item.observed_at,
            "detector": item.detector,
            "description": item.description,
            "details": item.details or {},
        }
    )


def raise_refusal(
    error: TransactWriteError, event_id: str, incident_id: str, expected_version: int | None
) -> None:
    """Turn a cancelled record_event transaction into the domain error it means; return if it means neither.

    The reasons come in the order of the transaction's items: the event's put, then the incident's.
    """
    reasons = list(error.cancellation_reasons) + [None, None]
    event_reason, incident_reason = reasons[0], reasons[1]
    if item_condition_failed(event_reason):
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
