"""In-memory escalation timers with the EventBridge adapter's contract, for unit tests.

As on EventBridge: scheduling a name that is already scheduled keeps the first schedule (idempotent);
cancelling an unknown name does nothing. `due(now)` plays the scheduler: it returns and removes the
timers whose time has come, earliest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ScheduledTimer:
    name: str
    at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


class MemoryTimerScheduler:
    def __init__(self) -> None:
        self.timers: dict[str, ScheduledTimer] = {}

    def schedule(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        if at.tzinfo is None:
            raise ValueError("a timer's time must be timezone-aware")
        self.timers.setdefault(name, ScheduledTimer(name, at, dict(payload)))

    def cancel(self, name: str) -> None:
        self.timers.pop(name, None)

    def due(self, now: datetime) -> list[ScheduledTimer]:
        fired = sorted((t for t in self.timers.values() if t.at <= now), key=lambda t: (t.at, t.name))
        for timer in fired:
            del self.timers[timer.name]
        return fired
