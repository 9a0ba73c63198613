"""Models published to S3, fetched and checked once per container, then kept as ready detectors.

S3 key layout (under the models bucket):
- `models/{name}/current.json`          `{"version": "..."}`: the version to run; publishing a new
  version is uploading its two objects, then rewriting this pointer;
- `models/{name}/{version}/manifest.json`  the `ModelManifest` (layout, input size, classes, sha256);
- `models/{name}/{version}/model.onnx`     the model itself, whose SHA-256 must equal the manifest's.

The first `detector(name)` in a container reads the pointer and manifest, verifies the model bytes
against the manifest's sha256 (nothing is cached on mismatch), writes them to
`{cache_dir}/{name}/{version}/model.onnx` and builds the detector. A file already in the cache whose
checksum matches is reused without fetching the model again. Later calls return the same detector.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from chalicelib.adapters.vision.onnx_detector import OnnxDetector
from chalicelib.domain.cameras.vision import ModelManifest, manifest_key, model_key, pointer_key
from chalicelib.domain.errors import InvalidInput, NotFound

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def model_objects(manifest: ModelManifest, model: bytes) -> dict[str, bytes]:
    """The three S3 keys and bodies that publish `model` as the current version of its manifest."""
    _verify(manifest, model)
    name, version = manifest.name, manifest.version
    return {
        manifest_key(name, version): json.dumps(manifest.to_dict(), indent=2).encode(),
        model_key(name, version): model,
        pointer_key(name): json.dumps({"version": version}).encode(),
    }


class ModelRegistry:
    """`fetch(key)` returns an object's bytes and raises KeyError or FileNotFoundError when absent."""

    def __init__(
        self,
        fetch: Callable[[str], bytes],
        cache_dir: str,
        threads: int = 2,
        refresh_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._cache_dir = Path(cache_dir)
        self._threads = threads
        self._refresh_s = refresh_s
        self._clock = clock
        self._detectors: dict[str, tuple[OnnxDetector, float]] = {}

    def detector(self, name: str) -> OnnxDetector:
        """The active version; the pointer is read again at most every `refresh_s`, so an activated
        version reaches warm containers within that time (the old session is dropped)."""
        cached = self._detectors.get(name)
        now = self._clock()
        if cached is not None and now - cached[1] < self._refresh_s:
            return cached[0]
        version = self._active_version(name)
        if cached is not None and cached[0].manifest.version == version:
            self._detectors[name] = (cached[0], now)
            return cached[0]
        detector = self._load(name, version)
        self._detectors[name] = (detector, now)
        return detector

    def _active_version(self, name: str) -> str:
        if not _NAME.match(name):
            raise NotFound(f"no model named {name!r}", "UNKNOWN_MODEL")
        pointer = json.loads(self._get(pointer_key(name), name))
        version = pointer.get("version") if isinstance(pointer, dict) else None
        if not isinstance(version, str) or not _NAME.match(version):
            raise InvalidInput(f"models/{name}/current.json names no valid version", "INVALID_MANIFEST")
        return version

    def _load(self, name: str, version: str) -> OnnxDetector:
        manifest = ModelManifest.from_dict(json.loads(self._get(manifest_key(name, version), name)))
        if (manifest.name, manifest.version) != (name, version):
            raise InvalidInput(
                f"the manifest of {name} {version} describes another model", "INVALID_MANIFEST"
            )
        path = self._cache_dir / name / version / "model.onnx"
        if not (path.is_file() and _sha256(path.read_bytes()) == manifest.sha256):
            model = self._get(model_key(name, version), name)
            _verify(manifest, model)
            _write_atomically(path, model)
        return OnnxDetector(str(path), manifest, self._threads)

    def _get(self, key: str, name: str) -> bytes:
        try:
            return self._fetch(key)
        except (KeyError, FileNotFoundError) as missing:
            raise NotFound(
                f"no model named {name!r} is published ({key} is missing)", "UNKNOWN_MODEL"
            ) from missing


def _verify(manifest: ModelManifest, model: bytes) -> None:
    if _sha256(model) != manifest.sha256:
        raise InvalidInput(
            f"model {manifest.name} {manifest.version} does not match its manifest's sha256",
            "MODEL_CHECKSUM_MISMATCH",
        )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    partial.replace(path)
