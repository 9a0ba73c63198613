"""Where media lives in the bucket: every media key is built and parsed here (pure: the API, the
inference function and the storage adapters agree on keys without sharing the vision stack).

- `uploads/{device}/{yyyy}/{mm}/{dd}/{uuid}.{ext}`: camera stills and bursts;
- `evidence/{incident}/{task}/{uuid}.{ext}`: field crews' photos;
- `redacted/<same path>`: the derivative with faces blurred (a burst's is an animated WebP, a PNG's a
  PNG, any other still's a JPEG); `quarantine/<same path>`: rejected objects.
"""

from __future__ import annotations

import re
from datetime import datetime

from chalicelib.domain.cameras.vision import MEDIA_TYPES

UPLOADS_PREFIX = "uploads/"
EVIDENCE_PREFIX = "evidence/"
REDACTED_PREFIX = "redacted/"
QUARANTINE_PREFIX = "quarantine/"
UPLOAD_KEY = re.compile(
    r"^uploads/(?P<device>[A-Za-z0-9_.:-]{1,128})/\d{4}/\d{2}/\d{2}/[A-Za-z0-9_.-]{1,128}$"
)
EVIDENCE_KEY = re.compile(
    r"^evidence/(?P<incident>[A-Za-z0-9_.:-]{1,128})/(?P<task>[A-Za-z0-9_.:-]{1,128})/[A-Za-z0-9_.-]{1,128}$"
)


def upload_key(device_id: str, captured_at: datetime, content_type: str, unique: str) -> str:
    """Where a camera puts a still or a burst captured at `captured_at`."""
    day = captured_at.strftime("%Y/%m/%d")
    return f"{UPLOADS_PREFIX}{device_id}/{day}/{unique}.{MEDIA_TYPES[content_type]}"


def evidence_key(incident_id: str, task_id: str, content_type: str, unique: str) -> str:
    """Where a field crew puts a photo of the incident it works on."""
    return f"{EVIDENCE_PREFIX}{incident_id}/{task_id}/{unique}.{MEDIA_TYPES[content_type]}"


def derivative_type(content_type: str, frames: int) -> str:
    if frames > 1:
        return "image/webp"
    return "image/png" if content_type == "image/png" else "image/jpeg"


def with_extension(key: str, content_type: str) -> str:
    stem = key.rsplit(".", 1)[0]
    return f"{stem}.{MEDIA_TYPES.get(content_type, 'bin')}"


def redacted_key_of(key: str, content_type: str, frames: int = 1) -> str:
    """The derivative of an object under uploads/ or evidence/."""
    derivative = REDACTED_PREFIX + key.removeprefix(UPLOADS_PREFIX)
    return with_extension(derivative, derivative_type(content_type, frames))


def quarantine_key_of(key: str) -> str:
    """Where a rejected object under uploads/ is moved, the reason in its metadata."""
    return QUARANTINE_PREFIX + key.removeprefix(UPLOADS_PREFIX)
