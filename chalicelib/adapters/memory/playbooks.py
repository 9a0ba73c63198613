"""In-memory playbooks, versioned like the DynamoDB ones."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from chalicelib.domain.errors import Conflict

if TYPE_CHECKING:
    from chalicelib.domain.response.playbooks import Playbook


class MemoryPlaybookRepository:
    def __init__(self, playbooks: list[Playbook] | None = None) -> None:
        self.items: dict[str, Playbook] = {p.id: p for p in playbooks or []}
        self._lock = threading.Lock()

    def active(self) -> list[Playbook]:
        return sorted(self.items.values(), key=lambda playbook: playbook.id)

    def get(self, playbook_id: str) -> Playbook | None:
        return self.items.get(playbook_id)

    def save(self, playbook: Playbook, expected_version: int | None) -> Playbook:
        with self._lock:
            current = self.items.get(playbook.id)
            current_version = current.version if current else 0
            if (expected_version or 0) != current_version:
                raise Conflict(f"playbook {playbook.id} is at version {current_version}", current_version)
            saved = playbook.model_copy(update={"version": current_version + 1})
            self.items[playbook.id] = saved
            return saved
