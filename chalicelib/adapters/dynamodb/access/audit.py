"""The audit trail of sensitive reads in DynamoDB (the `audit` table): one partition per incident,
written in batches, expired by TTL after a while.

The range key is audit_key (keys.py, shared with the in-memory fake)."""

from __future__ import annotations

from datetime import timedelta

from pynamodb.attributes import (
    ListAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.keys import audit_key
from chalicelib.domain.access.audit import AuditEntry
from chalicelib.domain.access_levels import AccessLevel

AUDIT_RETENTION = timedelta(days=400)  # a year and a bit: annual reviews still find last year's reads


class AuditModel(Model):
    class Meta:
        table_name = "audit"

    incident_id = UnicodeAttribute(hash_key=True)
    audit_key = UnicodeAttribute(range_key=True)  # f"{format_instant(at)}#{request_id}#{subject}#{n:04d}"
    at = UTCDateTimeAttribute()
    request_id = UnicodeAttribute()
    subject = UnicodeAttribute()
    agency = UnicodeAttribute()
    read_fields = ListAttribute(of=UnicodeAttribute, attr_name="fields", default=list)  # Type.field, as read
    basis = UnicodeAttribute()
    level = UnicodeAttribute()  # AccessLevel name
    expires_at = TTLAttribute()


def audit_to_item(entry: AuditEntry, position: int, retention: timedelta) -> AuditModel:
    """The item of the entry at `position` in its request, expiring `retention` after the read."""
    return AuditModel(
        entry.incident_id,
        audit_key(entry, position),
        at=entry.at,
        request_id=entry.request_id,
        subject=entry.subject,
        agency=entry.agency,
        read_fields=list(entry.fields),
        basis=entry.basis,
        level=entry.level.name,
        expires_at=entry.at + retention,
    )


def audit_from_item(item: AuditModel) -> AuditEntry:
    return AuditEntry(
        incident_id=item.incident_id,
        at=item.at,
        request_id=item.request_id,
        subject=item.subject,
        agency=item.agency,
        fields=tuple(str(name) for name in item.read_fields or ()),
        basis=item.basis,
        level=AccessLevel[item.level],
    )


class DynamoAuditLog:
    def __init__(self, retention: timedelta = AUDIT_RETENTION) -> None:
        self._retention = retention

    def record(self, entries: list[AuditEntry]) -> None:
        """BatchWriteItem, 25 entries a request; PynamoDB resends what DynamoDB leaves unprocessed."""
        with AuditModel.batch_write() as batch:
            for position, entry in enumerate(entries):
                batch.save(audit_to_item(entry, position, self._retention))

    def trail(self, incident_id: str, limit: int) -> list[AuditEntry]:
        """The incident's most recent reads, newest first."""
        items = AuditModel.query(incident_id, scan_index_forward=False, limit=limit)
        return [audit_from_item(item) for item in items]
