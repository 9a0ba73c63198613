"""Operators bring their own detector: register a model version with its manifest, upload the ONNX
file with the presigned POST returned, then activate it. Activation checks the uploaded file's
SHA-256 against the manifest before the registry's pointer moves; versions are immutable.

Cameras name models in their configuration; the inference function runs the active version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.cameras.ports import MediaStore
from chalicelib.domain.cameras.vision import ModelManifest, manifest_key, model_key, pointer_key
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.domain.principal import Principal, Role

MAX_MODEL_BYTES = 250 * 1024 * 1024
UPLOAD_SECONDS = 900
ONNX_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class ModelUpload:
    manifest: ModelManifest
    url: str
    fields: dict[str, Any]


def register_model(manifest_data: Any, principal: Principal, media: MediaStore) -> ModelUpload:
    _admin(principal)
    manifest = ModelManifest.from_dict(manifest_data)
    key = manifest_key(manifest.name, manifest.version)
    if media.head(key) is not None:
        raise Conflict(f"model {manifest.name} version {manifest.version} exists; versions are immutable")
    media.write(
        key,
        json.dumps(manifest.to_dict(), indent=2).encode(),
        "application/json",
        {"registered-by": principal.subject},
    )
    form = media.presign_upload(
        model_key(manifest.name, manifest.version),
        ONNX_TYPE,
        MAX_MODEL_BYTES,
        UPLOAD_SECONDS,
        {"sha256": manifest.sha256},
    )
    return ModelUpload(manifest, str(form["url"]), dict(form["fields"]))  # type: ignore[call-overload]


def activate_model(name: str, version: str, principal: Principal, media: MediaStore) -> ModelManifest:
    _admin(principal)
    try:
        manifest = ModelManifest.from_dict(json.loads(media.read(manifest_key(name, version))))
    except KeyError:
        raise NotFound(f"no model {name} version {version} is registered", "UNKNOWN_MODEL") from None
    digest = media.sha256(model_key(name, version))
    if digest is None:
        raise InvalidInput(f"the ONNX file of {name} {version} has not been uploaded", "MODEL_NOT_UPLOADED")
    if digest != manifest.sha256:
        raise InvalidInput(
            f"the uploaded file's SHA-256 is {digest}, the manifest says {manifest.sha256}",
            "MODEL_CHECKSUM_MISMATCH",
        )
    media.write(
        pointer_key(name),
        json.dumps({"version": version}).encode(),
        "application/json",
        {"activated-by": principal.subject},
    )
    return manifest


def _admin(principal: Principal) -> None:
    if not principal.has_role(Role.ADMIN):
        raise Forbidden("only an admin may publish models", "FORBIDDEN")
