"""Webhooks to city systems: the delivery value, its signature and the retry rules. Pure.

Signature (Stripe-like). Each request carries

    X-Concord-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, f"{t}.".encode() + body)}

over the exact request body bytes. A receiver recomputes the HMAC with its shared secret, compares in
constant time, and rejects a timestamp more than `tolerance_s` (300 s) away from its clock, which
bounds replays. Several `v1=` entries may appear (a secret being rotated): any match is accepted.
The body is canonical JSON (sorted keys, no spaces) of {"id", "event", "target", "payload"}; "id" is
the delivery id, the same on every attempt, so receivers dedupe on it (exactly once in effect).

Retries: exponential backoff with full jitter, seeded by delivery id and attempt (deterministic).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

MAX_ATTEMPTS = 6
DEFAULT_TOLERANCE_S = 300
MAX_EXPONENT = 30  # 2**30 s is past any cap: keeps the arithmetic small
RETRYABLE_STATUSES = frozenset({0, 408, 429})  # 0: no HTTP answer (connection error, timeout)


@dataclass(frozen=True)
class WebhookDelivery:
    delivery_id: str
    target: str
    url: str
    event: str
    payload: dict[str, Any]
    attempt: int = 1

    def __post_init__(self) -> None:
        if not self.delivery_id or not self.target or not self.event:
            raise ValueError("a webhook delivery needs a delivery_id, a target and an event")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"a webhook URL must be http(s) with a host, not {self.url!r}")
        if not 1 <= self.attempt <= MAX_ATTEMPTS:
            raise ValueError(f"attempt must be within 1..{MAX_ATTEMPTS}, not {self.attempt}")

    def body(self) -> bytes:
        """The request body: canonical JSON, identical on every attempt."""
        document = {
            "id": self.delivery_id,
            "event": self.event,
            "target": self.target,
            "payload": self.payload,
        }
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _hmac_hex(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign_webhook(secret: bytes, timestamp: int, body: bytes) -> str:
    """The X-Concord-Signature value: "t={timestamp},v1={hex hmac}"."""
    return f"t={timestamp},v1={_hmac_hex(secret, timestamp, body)}"


def _parse_header(header: str) -> tuple[int, list[str]] | None:
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    return (timestamp, signatures) if timestamp is not None and signatures else None


def verify_webhook(
    secret: bytes, header: str, body: bytes, now: datetime | float, tolerance_s: int = DEFAULT_TOLERANCE_S
) -> bool:
    """True when a `v1` signature of the header matches `body` and its timestamp is within tolerance."""
    parsed = _parse_header(header)
    if parsed is None:
        return False
    timestamp, signatures = parsed
    seconds = now.timestamp() if isinstance(now, datetime) else float(now)
    if abs(seconds - timestamp) > tolerance_s:
        return False
    expected = _hmac_hex(secret, timestamp, body)
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


def backoff_seconds(attempt: int, base_s: int = 2, cap_s: int = 900, *, delivery_id: str = "") -> int:
    """The wait after failed attempt `attempt` (from 1): uniform in [0, min(cap_s, base_s * 2**attempt)].

    Full jitter spreads retries of many failing deliveries; the generator is seeded with
    f"{delivery_id}:{attempt}", so the same delivery and attempt always wait the same.
    """
    ceiling = min(cap_s, base_s * 2 ** min(max(1, attempt), MAX_EXPONENT))
    return random.Random(f"{delivery_id}:{attempt}").randint(0, ceiling)


def is_success(status: int) -> bool:
    return 200 <= status < 300


def is_retryable(status: int) -> bool:
    """No answer, 408, 429 and 5xx may pass; any other status will not change by retrying."""
    return status in RETRYABLE_STATUSES or 500 <= status < 600
