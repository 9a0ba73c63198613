"""In-memory webhook queue: what would go to the webhooks queue and its dead-letter queue."""

from __future__ import annotations

from chalicelib.domain.response.webhooks import WebhookDelivery


class MemoryWebhookQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[WebhookDelivery, int]] = []
        self.dead: list[tuple[WebhookDelivery, str]] = []

    def send(self, d: WebhookDelivery, delay_s: int) -> None:
        self.sent.append((d, delay_s))

    def dead_letter(self, d: WebhookDelivery, reason: str) -> None:
        self.dead.append((d, reason))
