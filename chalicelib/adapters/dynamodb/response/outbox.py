"""The outbox in DynamoDB (the `outbox` table): entries are put by the incidents repository inside
record_event's transaction; the relay reads the pending ones (a sparse index, oldest first) and marks
each relayed."""

from __future__ import annotations

import json

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain.incidents import OutboxEntry
from chalicelib.domain.instants import format_instant

PENDING = "pending"  # the one value of the sparse `pending` key: entries not relayed yet


class PendingOutboxIndex(GlobalSecondaryIndex["OutboxModel"]):
    """Sparse: only entries not yet relayed, oldest first."""

    class Meta:
        index_name = "pending"
        projection = AllProjection()

    pending = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class OutboxModel(Model):
    """Outbox entries, written in the transaction of the incident change that fired them."""

    class Meta:
        table_name = "outbox"

    entry_id = UnicodeAttribute(hash_key=True)
    incident_id = UnicodeAttribute()
    body = UnicodeAttribute()  # JSON of the OutboxEntry
    pending = UnicodeAttribute(null=True)  # PENDING until relayed: the sparse index's key
    created_key = UnicodeAttribute()  # created_key(entry)
    by_pending = PendingOutboxIndex()


def created_key(entry: OutboxEntry) -> str:
    """Range key of the pending index: oldest first, ties broken by id."""
    return f"{format_instant(entry.created_at)}#{entry.entry_id}"


def outbox_item(entry: OutboxEntry) -> OutboxModel:
    return OutboxModel(
        entry.entry_id,
        incident_id=entry.incident_id,
        body=json.dumps(entry.to_dict(), separators=(",", ":")),
        pending=PENDING,
        created_key=created_key(entry),
    )


class DynamoOutbox:
    def pending(self, limit: int = 50) -> list[OutboxEntry]:
        items = OutboxModel.by_pending.query(PENDING, limit=limit)
        return [OutboxEntry.from_dict(json.loads(item.body)) for item in items]

    def mark_relayed(self, entry_id: str) -> None:
        """Drop the entry from the pending index (idempotent)."""
        OutboxModel(entry_id).update(actions=[OutboxModel.pending.remove()])
