"""The playbooks correlation evaluates, as an index built at most once a minute per container, and
their editing by admins (validated, versioned)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.domain.errors import Forbidden
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.response.ports import PlaybookRepository

if TYPE_CHECKING:  # pydantic and the playbook model cost ~90 ms of import: paid on first use only
    from chalicelib.domain.response.playbook_matching import PlaybookIndex
    from chalicelib.domain.response.playbooks import Playbook

REFRESH_S = 60.0
EDITORS = frozenset({Role.ADMIN})
READERS = frozenset({Role.ADMIN, Role.SUPERVISOR})


class PlaybookCatalog:
    def __init__(
        self,
        repository: PlaybookRepository,
        refresh_s: float = REFRESH_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.repository = repository
        self._refresh_s = refresh_s
        self._clock = clock
        self._index: PlaybookIndex | None = None
        self._built_at = 0.0

    def index(self) -> PlaybookIndex:
        now = self._clock()
        if self._index is None or now - self._built_at >= self._refresh_s:
            from chalicelib.domain.response.playbook_matching import PlaybookIndex

            self._index = PlaybookIndex(self.repository.active())
            self._built_at = now
        return self._index

    def invalidate(self) -> None:
        self._index = None


def save_playbook(
    definition: Any, expected_version: int | None, principal: Principal, catalog: PlaybookCatalog
) -> Playbook:
    """Validate (InvalidPlaybook lists every error with its location) and store the next version."""
    if not principal.roles & EDITORS:
        raise Forbidden("only admins edit playbooks", "FORBIDDEN")
    from chalicelib.domain.response.playbooks import parse_playbook

    playbook = parse_playbook(definition)
    saved = catalog.repository.save(playbook, expected_version)
    catalog.invalidate()
    return saved


def list_playbooks(principal: Principal, catalog: PlaybookCatalog) -> list[Playbook]:
    if not principal.roles & READERS:
        raise Forbidden("only supervisors and admins read playbooks", "FORBIDDEN")
    return catalog.repository.active()
