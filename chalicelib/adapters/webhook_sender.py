"""Webhooks over HTTP with the standard library (the Lambda bundle carries no requests).

One POST per attempt, signed (see chalicelib/domain/response/webhooks.py). Redirects are not followed (a
signed POST must not turn into a GET elsewhere) and only http/https are opened: the opener has no
file:, ftp: or proxy handlers. The answer is the HTTP status, or 0 when no answer came.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Callable
from datetime import datetime
from http.client import HTTPException

from chalicelib.domain.response.webhooks import WebhookDelivery, sign_webhook

logger = logging.getLogger(__name__)
NO_ANSWER = 0


def _opener() -> urllib.request.OpenerDirector:
    """http and https only; without HTTPErrorProcessor every status is returned, none raised."""
    opener = urllib.request.OpenerDirector()
    opener.add_handler(urllib.request.HTTPHandler())
    opener.add_handler(urllib.request.HTTPSHandler())
    return opener


class HttpWebhookSender:
    """`secret_for(target)` is the target's signing secret (e.g. keyring.derive(f"webhook:{target}"))."""

    def __init__(self, secret_for: Callable[[str], bytes], timeout_s: float = 5) -> None:
        self._secret_for = secret_for
        self._timeout_s = timeout_s
        self._opener = _opener()

    def headers(self, d: WebhookDelivery, body: bytes, now: datetime) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "User-Agent": "Concord-Webhooks/1",
            "X-Concord-Webhook-Id": d.delivery_id,
            "X-Concord-Webhook-Attempt": str(d.attempt),
            "X-Concord-Signature": sign_webhook(self._secret_for(d.target), int(now.timestamp()), body),
        }

    def send(self, d: WebhookDelivery, now: datetime) -> int:
        """POST the delivery; the HTTP status, or 0 on a connection error or timeout (never raises for those)."""
        body = d.body()
        request = urllib.request.Request(d.url, data=body, headers=self.headers(d, body, now), method="POST")
        try:
            with self._opener.open(request, timeout=self._timeout_s) as response:
                return int(response.status)
        except (OSError, HTTPException) as error:  # URLError, timeouts and resets are OSErrors
            logger.warning("webhook %s to %s got no answer: %s", d.delivery_id, d.target, error)
            return NO_ANSWER
