"""Response ports: crews' tasks with their timelines, the outbox relay, stored playbooks, the answers
kept for clients' mutation ids, and the channels actions go out on (notifications, timers, the actions
and webhooks queues, the webhook sender, the action log).

Adapters implement them; the services need them from the outside world.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: importing the ports costs a cold start nothing
    from datetime import datetime

    from chalicelib.domain.incidents import OutboxEntry
    from chalicelib.domain.response.actions import ActionMessage
    from chalicelib.domain.response.notifications import Notification
    from chalicelib.domain.response.playbooks import Playbook
    from chalicelib.domain.response.tasks import CrewTask, TimelineEntry
    from chalicelib.domain.response.webhooks import WebhookDelivery


class TaskRepository(Protocol):
    def add(self, task: CrewTask, entry: TimelineEntry | None = None) -> None:
        """Store the task, its first timeline entry, and append its id to its incident's task_ids (one
        transaction); Conflict if the id is taken, NotFound if the incident is missing."""

    def get(self, task_id: str) -> CrewTask | None: ...

    def update(self, task: CrewTask, entry: TimelineEntry) -> CrewTask:
        """Store the task's next version with its timeline entry if the stored one is `task.version - 1`;
        Conflict(current_version) otherwise."""

    def timeline(self, task_id: str) -> list[TimelineEntry]:
        """Oldest first."""

    def get_many(self, task_ids: list[str]) -> dict[str, CrewTask]: ...

    def open_tasks_of_crew(self, crew_id: str) -> list[CrewTask]: ...


class Outbox(Protocol):
    def pending(self, limit: int = 50) -> list[OutboxEntry]:
        """Entries not yet relayed, oldest first."""

    def mark_relayed(self, entry_id: str) -> None: ...


class PlaybookRepository(Protocol):
    def active(self) -> list[Playbook]:
        """Every stored playbook (the latest version of each); the caller may cache."""

    def get(self, playbook_id: str) -> Playbook | None: ...

    def save(self, playbook: Playbook, expected_version: int | None) -> Playbook:
        """Store the next version (expected None: a new id); Conflict(current_version) if stale."""


class MutationLog(Protocol):
    def recall(self, subject: str, client_mutation_id: str) -> dict[str, Any] | None: ...

    def remember(self, subject: str, client_mutation_id: str, answer: dict[str, Any], now: datetime) -> bool:
        """Keep the answer unless one is kept already; False then."""


class Notifier(Protocol):
    """Publishes on an agency's alerts topic; the message id."""

    def publish(self, n: Notification) -> str: ...


class Timers(Protocol):
    """One-time schedules that call the timers function with a payload (escalations)."""

    def schedule(self, name: str, at: datetime, payload: dict[str, Any]) -> None: ...


class ActionLog(Protocol):
    """Which notify and webhook actions are done, so a redelivered action runs once in effect."""

    def is_done(self, action_id: str) -> bool: ...

    def mark_done(self, action_id: str, now: datetime) -> None: ...


class ActionQueue(Protocol):
    """The actions queue: one message per playbook action."""

    def send(self, message: ActionMessage) -> None: ...


class Deliveries(Protocol):
    """Where playbook actions put webhook deliveries (the webhooks queue)."""

    def send(self, d: WebhookDelivery, delay_s: int) -> None: ...


class WebhookQueue(Deliveries, Protocol):
    """The webhooks queue as its consumer uses it: retry later, or give up into the dead-letter queue."""

    def dead_letter(self, d: WebhookDelivery, reason: str) -> None: ...


class WebhookSender(Protocol):
    def send(self, d: WebhookDelivery, now: datetime) -> int:
        """The HTTP status of one attempt, 0 when no answer came; never raises for network errors."""
