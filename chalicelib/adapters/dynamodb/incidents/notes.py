"""Notes on incidents in DynamoDB (the `notes` table): one partition per incident, oldest first.

The range key is note_key (keys.py, shared with the in-memory fake)."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.adapters.dynamodb.keys import note_key
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.domain.errors import Conflict
from chalicelib.domain.incidents.notes import Note


class NoteModel(Model):
    class Meta:
        table_name = "notes"

    incident_id = UnicodeAttribute(hash_key=True)
    note_key = UnicodeAttribute(range_key=True)  # note_key(note): f"{format_instant(created_at)}#{note_id}"
    note_id = UnicodeAttribute()
    author = UnicodeAttribute()
    author_agency = UnicodeAttribute()
    text = UnicodeAttribute()
    visibility = UnicodeAttribute()  # AccessLevel name
    created_at = UTCDateTimeAttribute()


def note_to_item(note: Note) -> NoteModel:
    return NoteModel(
        note.incident_id,
        note_key(note),
        note_id=note.note_id,
        author=note.author,
        author_agency=note.author_agency,
        text=note.text,
        visibility=note.visibility.name,
        created_at=note.created_at,
    )


def note_from_item(item: NoteModel) -> Note:
    return Note(
        note_id=item.note_id,
        incident_id=item.incident_id,
        author=item.author,
        author_agency=item.author_agency,
        text=item.text,
        visibility=AccessLevel[item.visibility],
        created_at=item.created_at,
    )


class DynamoNoteRepository:
    def add(self, note: Note) -> None:
        try:
            note_to_item(note).save(condition=NoteModel.note_key.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                raise Conflict(f"note {note.note_id} already exists") from None
            raise

    def notes_of(self, incident_id: str) -> list[Note]:
        """Oldest first (one Query, every page)."""
        return [note_from_item(item) for item in NoteModel.query(incident_id)]
