"""Cameras ports: the media bucket, camera configurations and states, detectors.

Adapters implement them; the services need them from the outside world.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the ports costs a cold start nothing
    import numpy as np

    from chalicelib.domain.cameras.config import CameraConfig
    from chalicelib.domain.cameras.state import CameraState
    from chalicelib.domain.cameras.vision import Box, ModelManifest


class MediaStore(Protocol):
    """The media bucket: camera uploads, redacted derivatives, quarantine and models."""

    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_s: int, metadata: dict[str, str]
    ) -> dict[str, object]:
        """A presigned POST (`url`, `fields`) that accepts only this key, type and size range."""

    def presign_download(self, key: str, expires_s: int) -> str: ...

    def head(self, key: str) -> StoredObject | None:
        """The object's size, type and metadata without its body; None if absent."""

    def read(self, key: str) -> bytes: ...

    def sha256(self, key: str) -> str | None:
        """The hex SHA-256 of the object's body, read as a stream; None if absent."""

    def write(self, key: str, body: bytes, content_type: str, metadata: dict[str, str]) -> None: ...

    def quarantine(self, key: str, reason: str) -> str:
        """Move the object under quarantine/ with the reason in its metadata; the new key."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    content_type: str
    etag: str
    metadata: dict[str, str]


class CameraRepository(Protocol):
    def get_config(self, camera_id: str) -> CameraConfig | None: ...

    def save_config(self, config: CameraConfig, expected_version: int | None) -> CameraConfig:
        """Store the next version; raises Conflict(current_version) if someone saved since."""

    def get_state(self, camera_id: str) -> CameraState: ...

    def save_state(self, state: CameraState) -> bool:
        """Save unless the state moved since it was read (its version); False on a lost race."""


class Detector(Protocol):
    @property
    def manifest(self) -> ModelManifest: ...

    def detect(self, pixels: np.ndarray) -> list[Box]: ...


class DetectorRegistry(Protocol):
    def detector(self, name: str) -> Detector:
        """The current version of a model, fetched and verified once per container."""
