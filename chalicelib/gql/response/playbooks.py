"""Playbooks in GraphQL: supervisors and admins read them; admins save a new version (validated: a bad
playbook is refused with every error's location in `extensions.errors`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry
from strawberry.scalars import JSON

from chalicelib.gql.context import Info

if TYPE_CHECKING:  # the playbook model (pydantic) loads when a playbook is first read or saved
    from chalicelib.domain.response.playbooks import Playbook


@strawberry.type(name="Playbook", description="A declarative response rule; `definition` is its JSON.")
class PlaybookType:
    id: strawberry.ID
    version: int
    name: str
    enabled: bool
    definition: JSON

    @classmethod
    def from_domain(cls, playbook: Playbook) -> PlaybookType:
        return cls(
            id=strawberry.ID(playbook.id),
            version=playbook.version,
            name=playbook.name,
            enabled=playbook.enabled,
            definition=JSON(playbook.to_dict()),
        )


@strawberry.input(description="A playbook as JSON (docs/playbook.schema.json) and the version you edited.")
class SavePlaybookInput:
    definition: JSON
    expected_version: int | None = strawberry.field(
        default=None, description="The version you read; null or 0 for a new playbook. Stale → CONFLICT."
    )


@strawberry.type
class PlaybookQueries:
    @strawberry.field(description="Every playbook, latest versions (supervisors and admins).")
    def playbooks(self, info: Info) -> list[PlaybookType]:
        info.context.signed_in()
        return [PlaybookType.from_domain(p) for p in info.context.use.playbooks()]


@strawberry.type
class PlaybookMutations:
    @strawberry.mutation(description="Save a new version of a playbook (admins).")
    def save_playbook(self, info: Info, input: SavePlaybookInput) -> PlaybookType:
        info.context.signed_in()
        saved = info.context.use.save_playbook(input.definition, input.expected_version)
        return PlaybookType.from_domain(saved)
