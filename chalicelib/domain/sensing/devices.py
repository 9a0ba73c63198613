"""Devices and their request signatures.

A device signs each request with HMAC-SHA256 over a canonical string (see docs/devices.md):

    METHOD \\n PATH \\n TIMESTAMP \\n NONCE \\n hex(SHA256(body))
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain.errors import AuthenticationFailed

MAX_CLOCK_SKEW_SECONDS = 300
MIN_NONCE_LENGTH = 16
MAX_NONCE_LENGTH = 128
SILENCE_FACTOR = 3


@dataclass
class Device:
    device_id: str
    kind: str
    agency: str
    lat: float
    lon: float
    secret_sha256: str
    key_version: int = 1
    enabled: bool = True
    expected_interval_s: int = 60
    noise_zone: str = "mixed"
    alarm_levels_cm: dict[str, float] = field(default_factory=dict)
    last_seen: datetime | None = None
    offline: bool = False


@dataclass(frozen=True)
class SignedRequest:
    method: str
    path: str
    timestamp: str | None
    nonce: str | None
    signature: str | None
    body: bytes


def canonical_string(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    body_hash = hashlib.sha256(body).hexdigest()
    return "\n".join((method.upper(), path, timestamp, nonce, body_hash)).encode()


def sign(secret: bytes, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(
        secret, canonical_string(method, path, timestamp, nonce, body), hashlib.sha256
    ).hexdigest()


def secret_fingerprint(secret: bytes) -> str:
    return hashlib.sha256(secret).hexdigest()


def check_headers(request: SignedRequest, now: datetime) -> tuple[str, str, str]:
    """Check presence and shape of the authentication headers and the clock skew."""
    if not request.timestamp or not request.nonce or not request.signature:
        raise AuthenticationFailed(
            "X-Concord-Timestamp, X-Concord-Nonce and X-Concord-Signature are required", "MISSING_SIGNATURE"
        )
    try:
        sent_at = int(request.timestamp)
    except ValueError:
        raise AuthenticationFailed("X-Concord-Timestamp must be unix seconds", "INVALID_TIMESTAMP") from None
    if abs(now.timestamp() - sent_at) > MAX_CLOCK_SKEW_SECONDS:
        raise AuthenticationFailed(
            f"X-Concord-Timestamp is more than {MAX_CLOCK_SKEW_SECONDS} s away from server time", "CLOCK_SKEW"
        )
    if not MIN_NONCE_LENGTH <= len(request.nonce) <= MAX_NONCE_LENGTH or not request.nonce.isprintable():
        raise AuthenticationFailed(
            f"X-Concord-Nonce must be {MIN_NONCE_LENGTH} to {MAX_NONCE_LENGTH} printable characters",
            "INVALID_NONCE",
        )
    return request.timestamp, request.nonce, request.signature


def verify_signature(request: SignedRequest, secret: bytes, now: datetime) -> None:
    """Raise AuthenticationFailed unless the request carries a valid, fresh signature for `secret`."""
    timestamp, nonce, signature = check_headers(request, now)
    expected = sign(secret, request.method, request.path, timestamp, nonce, request.body)
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise AuthenticationFailed("the request signature does not match", "BAD_SIGNATURE")
