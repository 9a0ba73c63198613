"""The outbox table: entries are put by the incidents repository inside record_event's transaction;
the relay reads the pending ones (a sparse index, oldest first) and marks each relayed."""

from __future__ import annotations

import json

from chalicelib.adapters.dynamodb.incidents.models import OutboxModel
from chalicelib.domain.instants import format_instant
from chalicelib.domain.response.outbox import OutboxEntry

PENDING = "pending"


def outbox_item(entry: OutboxEntry) -> OutboxModel:
    return OutboxModel(
        entry.entry_id,
        incident_id=entry.incident_id,
        body=json.dumps(entry.to_dict(), separators=(",", ":")),
        pending=PENDING,
        created_key=f"{format_instant(entry.created_at)}#{entry.entry_id}",
    )


class DynamoOutbox:
    def pending(self, limit: int = 50) -> list[OutboxEntry]:
        items = OutboxModel.by_pending.query(PENDING, limit=limit)
        return [OutboxEntry.from_dict(json.loads(item.body)) for item in items]

    def mark_relayed(self, entry_id: str) -> None:
        """Drop the entry from the pending index (idempotent)."""
        OutboxModel(entry_id).update(actions=[OutboxModel.pending.remove()])
