"""In-memory action log and action queue for the response side's unit tests."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.response.actions import ActionMessage


class MemoryActionLog:
    def __init__(self) -> None:
        self.done: dict[str, datetime] = {}

    def is_done(self, action_id: str) -> bool:
        return action_id in self.done

    def mark_done(self, action_id: str, now: datetime) -> None:
        self.done.setdefault(action_id, now)


class MemoryActionQueue:
    def __init__(self) -> None:
        self.messages: list[ActionMessage] = []

    def send(self, message: ActionMessage) -> None:
        self.messages.append(message)
