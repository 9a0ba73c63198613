"""In-memory notifier: records what would have been published, for unit tests."""

from __future__ import annotations

from chalicelib.domain.response.notifications import Notification


class MemoryNotifier:
    def __init__(self) -> None:
        self.published: list[Notification] = []

    def publish(self, n: Notification) -> str:
        self.published.append(n)
        return f"memory-{len(self.published)}"

    def to_agency(self, agency: str, role: str | None = None) -> list[Notification]:
        """What was published to `agency` (and `role`, when given), in order."""
        return [n for n in self.published if n.agency == agency and role in (None, n.role)]
