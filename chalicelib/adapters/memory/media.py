"""In-memory media bucket: the fake of adapters/aws/s3_media.py for the camera pipeline's unit tests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from chalicelib.domain.cameras.media_keys import quarantine_key_of
from chalicelib.domain.cameras.ports import StoredObject


@dataclass
class _Object:
    body: bytes
    content_type: str
    metadata: dict[str, str]


class MemoryMediaStore:
    def __init__(self) -> None:
        self.objects: dict[str, _Object] = {}

    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_s: int, metadata: dict[str, str]
    ) -> dict[str, object]:
        fields = {"key": key, "Content-Type": content_type}
        fields.update({f"x-amz-meta-{name}": value for name, value in metadata.items()})
        return {"url": "memory://media", "fields": fields, "max_bytes": max_bytes, "expires_s": expires_s}

    def presign_download(self, key: str, expires_s: int) -> str:
        return f"memory://media/{key}?expires={expires_s}"

    def head(self, key: str) -> StoredObject | None:
        found = self.objects.get(key)
        if found is None:
            return None
        etag = str(abs(hash(found.body)))
        return StoredObject(key, len(found.body), found.content_type, etag, dict(found.metadata))

    def read(self, key: str) -> bytes:
        return self.objects[key].body

    def sha256(self, key: str) -> str | None:
        found = self.objects.get(key)
        return hashlib.sha256(found.body).hexdigest() if found else None

    def write(self, key: str, body: bytes, content_type: str, metadata: dict[str, str]) -> None:
        self.objects[key] = _Object(body, content_type, dict(metadata))

    def quarantine(self, key: str, reason: str) -> str:
        target = quarantine_key_of(key)
        found = self.objects.pop(key, None)
        if found is not None:
            self.objects[target] = _Object(
                found.body, found.content_type, {"reason": reason, "original-key": key}
            )
        return target
