"""PynamoDB models of what is written about incidents: notes and the audit trail of sensitive reads.

The key design of every table is in docs/data-model.md; names here match resources.json.
"""

from __future__ import annotations

from pynamodb.attributes import (  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives
    ListAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model  # noqa: TID251


class NoteModel(Model):
    class Meta:
        table_name = "notes"

    incident_id = UnicodeAttribute(hash_key=True)
    note_key = UnicodeAttribute(range_key=True)  # f"{format_instant(created_at)}#{note_id}"
    note_id = UnicodeAttribute()
    author = UnicodeAttribute()
    author_agency = UnicodeAttribute()
    text = UnicodeAttribute()
    visibility = UnicodeAttribute()  # AccessLevel name
    created_at = UTCDateTimeAttribute()


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
