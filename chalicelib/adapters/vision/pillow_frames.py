"""Turns uploaded image bytes into RGB frames safely, and obscures faces in them for derivatives.

`decode_frames` never lets bad bytes through and never crashes on them: it raises `RejectedMedia`
whose code is the quarantine reason. Sizes are checked from the headers before any pixel is decoded
(a WebP's canvas even before Pillow sees it, since libwebp allocates the canvas on open). Pillow only
ever tries JPEG, PNG and WebP; its global settings (MAX_IMAGE_PIXELS, LOAD_TRUNCATED_IMAGES) are
left as they are. A JPEG or PNG is a still: only its first frame is read. A WebP is a burst: every
frame, frame i captured at `captured_at` plus the durations of the frames before it.
Encoding lives in `pillow_encode`; `encode_burst` and `encode_still` are re-exported here.
"""

from __future__ import annotations

import io
import math
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

import numpy as np
from PIL import Image, ImageFile, ImageFilter, ImageOps, UnidentifiedImageError

from chalicelib.adapters.vision.pillow_encode import encode_burst, encode_still
from chalicelib.domain.cameras.vision import MEDIA_TYPES, Box, Frame, RejectedMedia

__all__ = ["DecodeLimits", "decode_frames", "encode_burst", "encode_redacted", "encode_still", "redact"]

_PILLOW_FORMATS = {"image/jpeg": ("JPEG", "MPO"), "image/png": ("PNG",), "image/webp": ("WEBP",)}
_CORRUPT = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError, TypeError)
_BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)
_ORIENTATION = 0x0112  # the EXIF Orientation tag
_MS = timedelta(milliseconds=1)
_CELLS = 8  # pixelation blocks along the longer side of an obscured region


@dataclass(frozen=True)
class DecodeLimits:
    max_bytes: int = 8 * 1024 * 1024
    max_pixels: int = 4096 * 4096  # per frame
    max_frames: int = 32


_DEFAULT_LIMITS = DecodeLimits()


def decode_frames(
    body: bytes, content_type: str, captured_at: datetime, limits: DecodeLimits = _DEFAULT_LIMITS
) -> list[Frame]:
    """RGB uint8 frames of an upload, or `RejectedMedia` saying why it cannot be analysed."""
    media_type = _checked_media_type(body, content_type, limits)
    _check_pixels(_webp_canvas(body), limits)
    with _open(body) as image:
        if image.format not in _PILLOW_FORMATS[media_type]:
            raise RejectedMedia(f"declared {media_type} but the bytes are {image.format}", "TYPE_MISMATCH")
        _check_pixels(image.size, limits)
        count = getattr(image, "n_frames", 1) if image.format == "WEBP" else 1
        if count > limits.max_frames:
            raise RejectedMedia(f"{count} frames, at most {limits.max_frames} allowed", "TOO_MANY_FRAMES")
        try:
            return _read_frames(image, count, captured_at)
        except _BOMB as error:
            raise RejectedMedia("the image declares too many pixels", "TOO_MANY_PIXELS") from error
        except _CORRUPT as error:
            raise RejectedMedia(f"truncated or corrupt image data: {error}", "TRUNCATED_IMAGE") from error


def redact(pixels: np.ndarray, boxes: list[Box], margin: float = 0.25) -> np.ndarray:
    """A copy where every box, enlarged by `margin` of its size on each side, is blurred and pixelated."""
    redacted = np.array(pixels, dtype=np.uint8, copy=True)
    height, width = redacted.shape[:2]
    for box in boxes:
        region = _enlarged(box, margin, width, height)
        if region is not None:
            x1, y1, x2, y2 = region
            redacted[y1:y2, x1:x2] = _obscure(redacted[y1:y2, x1:x2])
    return redacted


def encode_redacted(
    frames: list[Frame], boxes_per_frame: list[list[Box]], content_type: str
) -> tuple[bytes, str]:
    """The redacted derivative and its content type: a PNG for a PNG, a JPEG for another still, and an
    animated WebP for a burst. A Frame does not carry its own duration, so the last frame of a burst
    is shown as long as the one before it."""
    if not frames or len(frames) != len(boxes_per_frame):
        raise ValueError("encode_redacted needs at least one frame and one list of boxes per frame")
    redacted = [redact(f.pixels, boxes) for f, boxes in zip(frames, boxes_per_frame, strict=True)]
    if len(redacted) == 1:
        still_type = "image/png" if _media_type(content_type) == "image/png" else "image/jpeg"
        return encode_still(redacted[0], still_type), still_type
    gaps = [round((b.captured_at - a.captured_at) / _MS) for a, b in pairwise(frames)]
    return encode_burst(redacted, [*gaps, gaps[-1]]), "image/webp"


def _media_type(content_type: str) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _checked_media_type(body: bytes, content_type: str, limits: DecodeLimits) -> str:
    if not body:
        raise RejectedMedia("the object is empty", "EMPTY_OBJECT")
    if len(body) > limits.max_bytes:
        raise RejectedMedia(f"{len(body)} bytes, at most {limits.max_bytes} allowed", "TOO_LARGE")
    media_type = _media_type(content_type)
    if media_type not in MEDIA_TYPES:
        raise RejectedMedia(f"content type {content_type!r} is not an image type", "UNSUPPORTED_TYPE")
    return media_type


def _check_pixels(size: tuple[int, int] | None, limits: DecodeLimits) -> None:
    if size is not None and size[0] * size[1] > limits.max_pixels:
        raise RejectedMedia(f"{size[0]}x{size[1]} pixels exceed {limits.max_pixels}", "TOO_MANY_PIXELS")


def _webp_canvas(body: bytes) -> tuple[int, int] | None:
    """Width and height a WebP header declares, read without libwebp; None for anything else."""
    if len(body) < 30 or body[:4] != b"RIFF" or body[8:12] != b"WEBP":
        return None
    kind = body[12:16]
    if kind == b"VP8X":
        return int.from_bytes(body[24:27], "little") + 1, int.from_bytes(body[27:30], "little") + 1
    if kind == b"VP8 ":
        return int.from_bytes(body[26:28], "little") & 0x3FFF, int.from_bytes(body[28:30], "little") & 0x3FFF
    if kind == b"VP8L":
        bits = int.from_bytes(body[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _open(body: bytes) -> ImageFile.ImageFile:
    try:
        return Image.open(io.BytesIO(body), formats=["JPEG", "PNG", "WEBP"])
    except UnidentifiedImageError as error:
        raise RejectedMedia("the bytes are not a JPEG, PNG or WebP image", "NOT_AN_IMAGE") from error
    except _BOMB as error:
        raise RejectedMedia("the image declares too many pixels", "TOO_MANY_PIXELS") from error
    except _CORRUPT as error:
        raise RejectedMedia(f"corrupt image header: {error}", "TRUNCATED_IMAGE") from error


def _read_frames(image: ImageFile.ImageFile, count: int, captured_at: datetime) -> list[Frame]:
    frames, offset_ms = [], 0
    for index in range(count):
        image.seek(index)
        shown = _upright(image)
        pixels = np.asarray(shown if shown.mode == "RGB" else shown.convert("RGB"), dtype=np.uint8)
        frames.append(Frame(pixels, captured_at + offset_ms * _MS))
        offset_ms += int(image.info.get("duration") or 0)
    return frames


def _upright(image: ImageFile.ImageFile) -> Image.Image:
    """The frame as the camera held it: JPEG EXIF orientation applied, without a copy when upright."""
    if image.format in ("JPEG", "MPO") and image.getexif().get(_ORIENTATION, 1) != 1:
        return ImageOps.exif_transpose(image)
    return image


def _enlarged(box: Box, margin: float, width: int, height: int) -> tuple[int, int, int, int] | None:
    if not all(math.isfinite(v) for v in (box.x1, box.y1, box.x2, box.y2)):
        return None
    left, right = sorted((box.x1, box.x2))
    top, bottom = sorted((box.y1, box.y2))
    dx, dy = margin * (right - left), margin * (bottom - top)
    x1, x2 = max(0, math.floor(left - dx)), min(width, math.ceil(right + dx))
    y1, y2 = max(0, math.floor(top - dy)), min(height, math.ceil(bottom + dy))
    return (x1, y1, x2, y2) if x2 > x1 and y2 > y1 else None


def _obscure(patch: np.ndarray) -> np.ndarray:
    """Average into about _CELLS coarse blocks across (no facial detail survives that), soften the
    blocks' edges with a blur, and scale back up. Working on the small grid costs a fraction of a
    full-size blur."""
    height, width = patch.shape[:2]
    cell = max(2, math.ceil(max(width, height) / _CELLS))
    grid = (max(1, math.ceil(width / cell)), max(1, math.ceil(height / cell)))
    blocks = Image.fromarray(patch).resize(grid, Image.Resampling.BOX).filter(ImageFilter.GaussianBlur(1))
    return np.asarray(blocks.resize((width, height), Image.Resampling.NEAREST))
