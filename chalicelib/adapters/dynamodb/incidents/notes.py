"""Notes on incidents in DynamoDB: one partition per incident, oldest first."""

from __future__ import annotations

from pynamodb.exceptions import PutError  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives

from chalicelib.adapters.dynamodb.conditions import condition_failed
from chalicelib.adapters.dynamodb.incidents.record_models import NoteModel
from chalicelib.adapters.dynamodb.keys import note_key
from chalicelib.domain.access.levels import AccessLevel
from chalicelib.domain.errors import Conflict
from chalicelib.domain.incidents.notes import Note


class DynamoNoteRepository:
    def add(self, note: Note) -> None:
        item = NoteModel(
            note.incident_id,
            note_key(note),
            note_id=note.note_id,
            author=note.author,
            author_agency=note.author_agency,
            text=note.text,
            visibility=note.visibility.name,
            created_at=note.created_at,
        )
        try:
            item.save(condition=NoteModel.note_key.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                raise Conflict(f"note {note.note_id} already exists") from None
            raise

    def notes_of(self, incident_id: str) -> list[Note]:
        """Oldest first (one Query, every page)."""
        return [
            Note(
                note_id=item.note_id,
                incident_id=item.incident_id,
                author=item.author,
                author_agency=item.author_agency,
                text=item.text,
                visibility=AccessLevel[item.visibility],
                created_at=item.created_at,
            )
            for item in NoteModel.query(incident_id)
        ]
