"""Playbooks in DynamoDB: one item per playbook (its latest version, JSON), versioned; a directory item
("#directory") holds every id, updated in the same transaction, so listing is GetItem + BatchGet."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pynamodb.attributes import (
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.domain.errors import Conflict

if TYPE_CHECKING:  # the model (pydantic) loads on first use, not with every DynamoDB adapter
    from chalicelib.domain.response.playbooks import Playbook

DIRECTORY_KEY = "#directory"


class PlaybookModel(Model):
    class Meta:
        table_name = "playbooks"

    playbook_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute(null=True)
    definition = UnicodeAttribute(null=True)  # JSON
    members = UnicodeSetAttribute(null=True)  # the directory item's set of ids


def _parsed(definition: str) -> Playbook:
    from chalicelib.domain.response.playbooks import parse_playbook

    return parse_playbook(json.loads(definition))


class DynamoPlaybookRepository:
    def active(self) -> list[Playbook]:
        try:
            members = PlaybookModel.get(DIRECTORY_KEY).members or set()
        except PlaybookModel.DoesNotExist:
            return []
        found = [_parsed(item.definition) for item in PlaybookModel.batch_get(members)]
        return sorted(found, key=lambda playbook: playbook.id)

    def get(self, playbook_id: str) -> Playbook | None:
        try:
            item = PlaybookModel.get(playbook_id, consistent_read=True)
        except PlaybookModel.DoesNotExist:
            return None
        return _parsed(item.definition) if item.definition else None

    def save(self, playbook: Playbook, expected_version: int | None) -> Playbook:
        current = self.get(playbook.id)
        current_version = current.version if current else 0
        if (expected_version or 0) != current_version:
            raise Conflict(f"playbook {playbook.id} is at version {current_version}", current_version)
        saved = playbook.model_copy(update={"version": current_version + 1})
        item = PlaybookModel(playbook.id, version=saved.version, definition=json.dumps(saved.to_dict()))
        condition = (
            PlaybookModel.playbook_id.does_not_exist()
            if current is None
            else PlaybookModel.version == current_version
        )
        try:
            with TransactWrite(connection=PlaybookModel._get_connection().connection) as transaction:
                transaction.save(item, condition=condition)
                transaction.update(
                    PlaybookModel(DIRECTORY_KEY), actions=[PlaybookModel.members.add({playbook.id})]
                )
        except TransactWriteError:
            latest = self.get(playbook.id)
            version = latest.version if latest else 0
            raise Conflict(f"playbook {playbook.id} changed meanwhile", version) from None
        return saved
