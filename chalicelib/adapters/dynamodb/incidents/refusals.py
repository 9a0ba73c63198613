"""Refused incident writes turned into the domain errors they mean."""

from __future__ import annotations

from pynamodb.exceptions import CancellationReason, TransactWriteError  # noqa: TID251 - the DynamoDB adapter

from chalicelib.adapters.dynamodb.incidents.models import IncidentModel
from chalicelib.domain.errors import Conflict, DuplicateEvent

REFUSED = ("ConditionalCheckFailed", "TransactionConflict")


def raise_refusal(
    error: TransactWriteError, event_id: str, incident_id: str, expected_version: int | None
) -> None:
    """Turn a cancelled record_event transaction into the domain error it means; return if it means neither.

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


def current_version(incident_id: str) -> int | None:
    """The stored version (a strongly consistent read of that one attribute); None if there is no incident."""
    try:
        item = IncidentModel.get(incident_id, consistent_read=True, attributes_to_get=["version"])
    except IncidentModel.DoesNotExist:
        return None
    return int(item.version or 0)
