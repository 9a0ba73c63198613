"""Deliver one webhook attempt and decide what happens next: done, retry later, or dead-letter.

- 2xx: "delivered".
- No answer (0), 408, 429 or 5xx: "retrying": attempt n+1 is enqueued after backoff_seconds(n);
  the failing attempt MAX_ATTEMPTS is dead-lettered instead ("dead").
- Any other status (4xx, 3xx …): "dead" at once; retrying would get the same answer.

Every attempt carries the same delivery id, so a receiver that saw an attempt whose answer was lost
dedupes the next one. A queue error raises: the message is redelivered and the attempt repeated.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Literal

from chalicelib.domain.response.ports import WebhookQueue, WebhookSender
from chalicelib.domain.response.webhooks import (
    MAX_ATTEMPTS,
    WebhookDelivery,
    backoff_seconds,
    is_retryable,
    is_success,
)

Outcome = Literal["delivered", "retrying", "dead"]


def failure_reason(status: int, attempt: int) -> str:
    answer = "no answer (connection error or timeout)" if status == 0 else f"HTTP {status}"
    return f"{answer} on attempt {attempt} of {MAX_ATTEMPTS}"


def deliver_webhook(d: WebhookDelivery, sender: WebhookSender, queue: WebhookQueue, now: datetime) -> Outcome:
    status = sender.send(d, now)
    if is_success(status):
        return "delivered"
    if is_retryable(status) and d.attempt < MAX_ATTEMPTS:
        delay = backoff_seconds(d.attempt, delivery_id=d.delivery_id)
        queue.send(replace(d, attempt=d.attempt + 1), delay)
        return "retrying"
    reason = failure_reason(status, d.attempt)
    if not is_retryable(status):
        reason += ": not retryable"
    queue.dead_letter(d, reason)
    return "dead"
