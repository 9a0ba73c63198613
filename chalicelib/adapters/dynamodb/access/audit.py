"""The audit trail of sensitive reads in DynamoDB: written in batches, expired by TTL after a while."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.adapters.dynamodb.incidents.record_models import AuditModel
from chalicelib.adapters.dynamodb.keys import audit_key
from chalicelib.domain.access.audit import AuditEntry
from chalicelib.domain.access.levels import AccessLevel

AUDIT_RETENTION = timedelta(days=400)  # a year and a bit: annual reviews still find last year's reads


class DynamoAuditLog:
    def __init__(self, retention: timedelta = AUDIT_RETENTION) -> None:
        self._retention = retention

    def record(self, entries: list[AuditEntry]) -> None:
        """BatchWriteItem, 25 entries a request; PynamoDB resends what DynamoDB leaves unprocessed."""
        with AuditModel.batch_write() as batch:
            for position, entry in enumerate(entries):
                batch.save(
                    AuditModel(
                        entry.incident_id,
                        audit_key(entry, position),
                        at=entry.at,
                        request_id=entry.request_id,
                        subject=entry.subject,
                        agency=entry.agency,
                        read_fields=list(entry.fields),
                        basis=entry.basis,
                        level=entry.level.name,
                        expires_at=entry.at + self._retention,
                    )
                )

    def trail(self, incident_id: str, limit: int) -> list[AuditEntry]:
        """The incident's most recent reads, newest first."""
        items = AuditModel.query(incident_id, scan_index_forward=False, limit=limit)
        return [
            AuditEntry(
                incident_id=item.incident_id,
                at=item.at,
                request_id=item.request_id,
                subject=item.subject,
                agency=item.agency,
                fields=tuple(str(name) for name in item.read_fields or ()),
                basis=item.basis,
                level=AccessLevel[item.level],
            )
            for item in items
        ]
