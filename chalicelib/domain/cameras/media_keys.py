"""Where media lives in the bucket and what a derivative is called (pure: the API and the inference
function agree on keys without sharing the vision stack).

- `uploads/{device}/{yyyy}/{mm}/{dd}/{uuid}.{ext}`: camera stills and bursts;
- `evidence/{incident}/{task}/{uuid}.{ext}`: field crews' photos;
- `redacted/<same path>`: the derivative with faces blurred (a burst's is an animated WebP, a PNG's a
  PNG, any other still's a JPEG); `quarantine/<same path>`: rejected objects.
"""

from __future__ import annotations

import re

from chalicelib.domain.cameras.vision import MEDIA_TYPES

UPLOAD_KEY = re.compile(
    r"^uploads/(?P<device>[A-Za-z0-9_.:-]{1,128})/\d{4}/\d{2}/\d{2}/[A-Za-z0-9_.-]{1,128}$"
)
EVIDENCE_PREFIX = "evidence/"
EVIDENCE_KEY = re.compile(
    r"^evidence/(?P<incident>[A-Za-z0-9_.:-]{1,128})/(?P<task>[A-Za-z0-9_.:-]{1,128})/[A-Za-z0-9_.-]{1,128}$"
)


def derivative_type(content_type: str, frames: int) -> str:
    if frames > 1:
        return "image/webp"
    return "image/png" if content_type == "image/png" else "image/jpeg"


def with_extension(key: str, content_type: str) -> str:
    stem = key.rsplit(".", 1)[0]
    return f"{stem}.{MEDIA_TYPES.get(content_type, 'bin')}"


def redacted_key_of(key: str, content_type: str, frames: int = 1) -> str:
    """The derivative of an object under uploads/ or evidence/."""
    return with_extension("redacted/" + key.removeprefix("uploads/"), derivative_type(content_type, frames))
