"""A camera asks where to put a frame or a burst: a presigned POST straight to the media bucket.

The body is JSON: `{"contentType": "image/jpeg" | "image/png" | "image/webp", "capturedAt": RFC 3339}`.
The presigned form fixes the key, the content type, the capture time (object metadata) and the
size range, and expires quickly; the frame never passes through the API.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.cameras.media_keys import upload_key
from chalicelib.domain.cameras.ports import MediaStore
from chalicelib.domain.cameras.vision import MEDIA_TYPES
from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.instants import format_instant, parse_instant
from chalicelib.domain.json_bodies import parse_json
from chalicelib.domain.sensing import SignedRequest
from chalicelib.services.sensing.ingest_readings import IngestDependencies, authenticate_device

MAX_CAPTURE_AGE = timedelta(days=1)
MAX_CAPTURE_AHEAD = timedelta(minutes=5)


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    expires_s: int


@dataclass(frozen=True)
class UploadTicket:
    key: str
    url: str
    fields: dict[str, Any]
    expires_at: datetime
    max_bytes: int


def request_upload(
    device_id: str,
    request: SignedRequest,
    auth: IngestDependencies,
    media: MediaStore,
    limits: UploadLimits,
    now: datetime,
) -> UploadTicket:
    device = authenticate_device(device_id, request, auth, now)
    if device.kind != "camera":
        raise Forbidden(f"device {device_id!r} is a {device.kind} sensor, not a camera", "NOT_A_CAMERA")
    content_type, captured_at = parse_upload_request(parse_json(request.body), now)
    key = upload_key(device_id, captured_at, content_type, uuid.uuid4().hex)
    metadata = {"captured-at": format_instant(captured_at), "device-id": device_id}
    form = media.presign_upload(key, content_type, limits.max_bytes, limits.expires_s, metadata)
    return UploadTicket(
        key=key,
        url=str(form["url"]),
        fields=dict(form["fields"]),  # type: ignore[call-overload]
        expires_at=now + timedelta(seconds=limits.expires_s),
        max_bytes=limits.max_bytes,
    )


def parse_upload_request(body: Any, now: datetime) -> tuple[str, datetime]:
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object with contentType and capturedAt")
    content_type = body.get("contentType")
    if content_type not in MEDIA_TYPES:
        allowed = ", ".join(MEDIA_TYPES)
        raise InvalidInput(f"contentType must be one of {allowed}", "UNSUPPORTED_MEDIA_TYPE")
    raw = body.get("capturedAt")
    try:
        captured_at = parse_instant(str(raw)) if isinstance(raw, str) else None
    except ValueError:
        captured_at = None
    if captured_at is None:
        raise InvalidInput("capturedAt must be an RFC 3339 instant with a time zone", "INVALID_CAPTURE_TIME")
    if not now - MAX_CAPTURE_AGE <= captured_at <= now + MAX_CAPTURE_AHEAD:
        raise InvalidInput(
            "capturedAt must be within the last day and not in the future", "INVALID_CAPTURE_TIME"
        )
    return str(content_type), captured_at
