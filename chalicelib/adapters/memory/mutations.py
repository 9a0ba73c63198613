"""In-memory answers of clients' mutations (idempotency by clientMutationId)."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any


class MemoryMutationLog:
    def __init__(self) -> None:
        self.answers: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def recall(self, subject: str, client_mutation_id: str) -> dict[str, Any] | None:
        return self.answers.get((subject, client_mutation_id))

    def remember(self, subject: str, client_mutation_id: str, answer: dict[str, Any], now: datetime) -> bool:
        with self._lock:
            if (subject, client_mutation_id) in self.answers:
                return False
            self.answers[(subject, client_mutation_id)] = answer
            return True
