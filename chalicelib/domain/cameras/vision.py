"""What the camera pipeline sees: frames, detection boxes and model manifests.

Pure data and rules (numpy only): decoding model outputs lives in `domain.decoders`, running
models in `adapters.onnx_detector`, reading image bytes in `adapters.pillow_frames`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.domain.errors import InvalidInput

if TYPE_CHECKING:
    import numpy as np

LAYOUTS = ("centerface", "yolo")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Box:
    """One detection in image pixel coordinates of the original frame."""

    x1: float
    y1: float
    x2: float
    y2: float
    score: float
    label: str

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2)

    @property
    def foot(self) -> tuple[float, float]:
        """Where a standing person or a vehicle touches the ground: bottom centre."""
        return ((self.x1 + self.x2) / 2, self.y2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "score": round(self.score, 4),
            "box": [round(self.x1, 1), round(self.y1, 1), round(self.x2, 1), round(self.y2, 1)],
        }


@dataclass(frozen=True)
class Frame:
    """One decoded image: RGB uint8 pixels of shape (height, width, 3) and when it was captured."""

    pixels: np.ndarray
    captured_at: datetime

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


@dataclass(frozen=True)
class ModelManifest:
    """How to run and decode one model version. Stored beside the model as `manifest.json`."""

    name: str
    version: str
    sha256: str
    layout: str  # "centerface" or "yolo" (Ultralytics v5, v8 and v11 export layouts)
    input_width: int
    input_height: int
    class_names: tuple[str, ...]
    score_threshold: float = 0.5
    nms_threshold: float = 0.45

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "layout": self.layout,
            "input_size": [self.input_width, self.input_height],
            "class_names": list(self.class_names),
            "score_threshold": self.score_threshold,
            "nms_threshold": self.nms_threshold,
        }

    @classmethod
    def from_dict(cls, data: Any) -> ModelManifest:
        """Validate a manifest; an error names the exact field that is wrong."""
        if not isinstance(data, dict):
            raise InvalidInput("a model manifest must be a JSON object", "INVALID_MANIFEST")
        name = _text(data, "name", _NAME)
        version = _text(data, "version", _NAME)
        sha256 = _text(data, "sha256", _SHA256)
        layout = data.get("layout")
        if layout not in LAYOUTS:
            raise InvalidInput(f"manifest.layout must be one of {', '.join(LAYOUTS)}", "INVALID_MANIFEST")
        size = data.get("input_size")
        if not (isinstance(size, list) and len(size) == 2 and all(_positive_int(v, 4096) for v in size)):
            raise InvalidInput("manifest.input_size must be [width, height] in 1..4096", "INVALID_MANIFEST")
        names = data.get("class_names")
        if not (isinstance(names, list) and names and all(isinstance(n, str) and n for n in names)):
            raise InvalidInput("manifest.class_names must be a non-empty list of names", "INVALID_MANIFEST")
        return cls(
            name=name,
            version=version,
            sha256=sha256,
            layout=str(layout),
            input_width=int(size[0]),
            input_height=int(size[1]),
            class_names=tuple(names),
            score_threshold=_unit(data, "score_threshold", 0.5),
            nms_threshold=_unit(data, "nms_threshold", 0.45),
        )


def _text(data: dict[str, Any], key: str, pattern: re.Pattern[str]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not pattern.match(value):
        raise InvalidInput(f"manifest.{key} is missing or malformed", "INVALID_MANIFEST")
    return value


def _positive_int(value: Any, limit: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= limit


def _unit(data: dict[str, Any], key: str, default: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < float(value) < 1.0:
        raise InvalidInput(f"manifest.{key} must be a number between 0 and 1", "INVALID_MANIFEST")
    return float(value)


def pointer_key(name: str) -> str:
    """The registry's pointer to the version of a model that runs: `{"version": "..."}`."""
    return f"models/{name}/current.json"


def manifest_key(name: str, version: str) -> str:
    return f"models/{name}/{version}/manifest.json"


def model_key(name: str, version: str) -> str:
    return f"models/{name}/{version}/model.onnx"


MEDIA_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class RejectedMedia(InvalidInput):
    """An upload that cannot be analysed. Its `code` is the quarantine reason, e.g. TRUNCATED_IMAGE."""
