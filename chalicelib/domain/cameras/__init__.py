"""Cameras: configurations and zones, frames and detections, crowd and motion analytics, media keys,
model manifests.

Other contexts import the names below from the package, never from its modules; each is imported
from its module on first use (chalicelib/domain/exports.py), so importing the package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.domain.exports import lazy_exports

if TYPE_CHECKING:
    from chalicelib.domain.cameras.config import CameraConfig
    from chalicelib.domain.cameras.media_keys import EVIDENCE_KEY, evidence_key, redacted_key_of
    from chalicelib.domain.cameras.ports import (
        CameraRepository,
        Detector,
        DetectorRegistry,
        MediaStore,
        StoredObject,
    )
    from chalicelib.domain.cameras.state import CameraState
    from chalicelib.domain.cameras.vision import MEDIA_TYPES, Box, ModelManifest, RejectedMedia

__all__ = [
    "EVIDENCE_KEY",
    "MEDIA_TYPES",
    "Box",
    "CameraConfig",
    "CameraRepository",
    "CameraState",
    "Detector",
    "DetectorRegistry",
    "evidence_key",
    "MediaStore",
    "ModelManifest",
    "redacted_key_of",
    "RejectedMedia",
    "StoredObject",
]

_HOMES = {
    "CameraConfig": "config",
    "EVIDENCE_KEY": "media_keys",
    "evidence_key": "media_keys",
    "redacted_key_of": "media_keys",
    "CameraRepository": "ports",
    "Detector": "ports",
    "DetectorRegistry": "ports",
    "MediaStore": "ports",
    "StoredObject": "ports",
    "CameraState": "state",
    "Box": "vision",
    "MEDIA_TYPES": "vision",
    "ModelManifest": "vision",
    "RejectedMedia": "vision",
}

if not TYPE_CHECKING:  # the type checker reads the imports above
    __getattr__ = lazy_exports(__name__, _HOMES)
