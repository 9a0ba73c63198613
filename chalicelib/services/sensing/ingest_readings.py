"""Ingest a device's signed batch of readings: authenticate, validate each reading, enqueue the valid ones."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.errors import AuthenticationFailed, Forbidden
from chalicelib.domain.json_bodies import parse_json
from chalicelib.domain.sensing.devices import (
    MAX_CLOCK_SKEW_SECONDS,
    Device,
    SignedRequest,
    secret_fingerprint,
    verify_signature,
)
from chalicelib.domain.sensing.ports import DeviceKeyring, DeviceRepository, NonceStore, ReadingQueue
from chalicelib.domain.sensing.readings import Reading, Rejection, parse_batch

NONCE_RETENTION = timedelta(seconds=2 * MAX_CLOCK_SKEW_SECONDS)


@dataclass(frozen=True)
class IngestResult:
    batch_id: str
    accepted: list[Reading]
    rejected: list[Rejection]


@dataclass(frozen=True)
class IngestDependencies:
    devices: DeviceRepository
    keyring: DeviceKeyring
    nonces: NonceStore
    queue: ReadingQueue


def ingest_readings(
    device_id: str, request: SignedRequest, deps: IngestDependencies, now: datetime
) -> IngestResult:
    authenticate_device(device_id, request, deps, now)
    # NaN and Infinity decode to floats so that the reading, not the whole batch, is rejected for them
    accepted, rejected = parse_batch(parse_json(request.body, non_finite=True), device_id, now)
    batch_id = batch_id_for(device_id, accepted)
    if accepted:
        deps.queue.send(device_id, batch_id, accepted)
    return IngestResult(batch_id, accepted, rejected)


def authenticate_device(
    device_id: str, request: SignedRequest, deps: IngestDependencies, now: datetime
) -> Device:
    """Signature first, nonce last: a forged request must not be able to burn a nonce."""
    device = deps.devices.get(device_id)
    if device is None:
        raise AuthenticationFailed(f"unknown device {device_id!r}", "UNKNOWN_DEVICE")
    if not device.enabled:
        raise Forbidden(f"device {device_id!r} is disabled", "DEVICE_DISABLED")
    secret = deps.keyring.secret_for(device_id, device.key_version)
    if not hmac.compare_digest(secret_fingerprint(secret), device.secret_sha256):
        raise AuthenticationFailed("the device's key has been rotated; re-provision it", "KEY_MISMATCH")
    verify_signature(request, secret, now)
    if not deps.nonces.remember(device_id, str(request.nonce), now + NONCE_RETENTION):
        raise AuthenticationFailed("this nonce was already used: the request is a replay", "REPLAYED_NONCE")
    return device


def batch_id_for(device_id: str, readings: list[Reading]) -> str:
    """The same readings always make the same batch id, whatever order or retry they came in."""
    keys = sorted(reading.key for reading in readings)
    return "bat_" + hashlib.sha256("|".join([device_id, *keys]).encode()).hexdigest()[:24]
