"""In-memory queues: what would have been sent to the readings, actions and webhooks queues (and the
webhooks' dead-letter queue), the fakes of adapters/aws/{readings_queue,action_queue,webhook_queue}.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the in-memory container builds the readings queue without loading the response side
    from chalicelib.domain.response.actions import ActionMessage
    from chalicelib.domain.response.webhooks import WebhookDelivery
    from chalicelib.domain.sensing.readings import Reading


class MemoryReadingQueue:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str, list[Reading]]] = []

    def send(self, device_id: str, batch_id: str, readings: list[Reading]) -> None:
        self.messages.append((device_id, batch_id, list(readings)))


class MemoryActionQueue:
    def __init__(self) -> None:
        self.messages: list[ActionMessage] = []

    def send(self, message: ActionMessage) -> None:
        self.messages.append(message)


class MemoryWebhookQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[WebhookDelivery, int]] = []
        self.dead: list[tuple[WebhookDelivery, str]] = []

    def send(self, d: WebhookDelivery, delay_s: int) -> None:
        self.sent.append((d, delay_s))

    def dead_letter(self, d: WebhookDelivery, reason: str) -> None:
        self.dead.append((d, reason))
