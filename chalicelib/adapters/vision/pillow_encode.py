"""Encodes RGB uint8 pixels as still images and as animated WebP bursts, carrying no metadata.

A burst is muxed here chunk by chunk (RIFF, VP8X, ANIM, then one ANMF per frame holding that frame's
lossy still bitstream and duration) instead of through Pillow's `save_all`: libwebp's animation
encoder, which `save_all` drives, folds any frame identical to the one before it into that frame
(adding up their durations) whatever `minimize_size`, `allow_mixed`, `kmin` or `kmax` say, and a
burst must keep one frame per capture. Every frame here is a full key frame, never blended with the
previous one, so each decodes on its own. Nothing but the canvas, the loop count, the durations and
the image bitstreams is written: no EXIF, XMP or ICC profile.
"""

from __future__ import annotations

import io
import struct

import numpy as np
from PIL import Image

_SAVE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_BITSTREAM_CHUNKS = (b"ALPH", b"VP8 ", b"VP8L")
_ANIMATION_FLAG = 0x02  # VP8X flags byte: the file holds an animation
_NO_BLEND_NO_DISPOSE = 0x02  # ANMF flags byte: draw the frame as is, keep it until the next one
_MAX_DURATION_MS = (1 << 24) - 1  # a frame duration is a 24-bit field
_WHITE_OPAQUE = 0xFFFFFFFF


def encode_still(pixels: np.ndarray, content_type: str = "image/jpeg", quality: int = 90) -> bytes:
    """One image of `content_type` (image/jpeg, image/png or image/webp); PNG ignores `quality`."""
    save_format = _SAVE_FORMATS.get(content_type)
    if save_format is None:
        raise ValueError(f"cannot encode {content_type!r}: use one of {', '.join(_SAVE_FORMATS)}")
    options = {} if save_format == "PNG" else {"quality": quality}
    buffer = io.BytesIO()
    Image.fromarray(_rgb(pixels)).save(buffer, save_format, **options)
    return buffer.getvalue()


def encode_burst(frames: list[np.ndarray], interval_ms: int | list[int], quality: int = 90) -> bytes:
    """An animated WebP that keeps every frame, each shown for its duration (one for all, or one each)."""
    durations = _durations(interval_ms, len(frames))
    height, width = _canvas(frames)
    size = _u24(width - 1) + _u24(height - 1)
    chunks = [
        _chunk(b"VP8X", bytes([_ANIMATION_FLAG, 0, 0, 0]) + size),
        _chunk(b"ANIM", struct.pack("<IH", _WHITE_OPAQUE, 0)),  # background colour, loop forever
    ]
    for pixels, duration in zip(frames, durations, strict=True):
        header = _u24(0) + _u24(0) + size + _u24(duration) + bytes([_NO_BLEND_NO_DISPOSE])
        chunks.append(_chunk(b"ANMF", header + _bitstream(encode_still(pixels, "image/webp", quality))))
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _rgb(pixels: np.ndarray) -> np.ndarray:
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(f"expected RGB uint8 pixels of shape (height, width, 3), got {pixels.shape}")
    return np.ascontiguousarray(pixels)


def _durations(interval_ms: int | list[int], count: int) -> list[int]:
    durations = [interval_ms] * count if isinstance(interval_ms, int) else list(interval_ms)
    if count == 0 or len(durations) != count:
        raise ValueError(f"a burst needs at least one frame and one duration per frame, got {count} frames")
    if not all(isinstance(d, int) and 0 <= d <= _MAX_DURATION_MS for d in durations):
        raise ValueError(f"frame durations must be whole milliseconds in 0..{_MAX_DURATION_MS}")
    return durations


def _canvas(frames: list[np.ndarray]) -> tuple[int, int]:
    shapes = {tuple(frame.shape[:2]) for frame in frames}
    if len(shapes) != 1:
        raise ValueError(f"all frames of a burst must have the same size, got {sorted(shapes)}")
    height, width = shapes.pop()
    return int(height), int(width)


def _bitstream(still: bytes) -> bytes:
    """The image chunks of a still WebP (alpha and VP8/VP8L), without its RIFF header or metadata."""
    kept, position = [], 12
    while position + 8 <= len(still):
        fourcc = still[position : position + 4]
        (length,) = struct.unpack_from("<I", still, position + 4)
        end = position + 8 + length + (length & 1)
        if fourcc in _BITSTREAM_CHUNKS:
            kept.append(still[position:end])
        position = end
    return b"".join(kept)


def _chunk(fourcc: bytes, payload: bytes) -> bytes:
    padding = b"\0" if len(payload) % 2 else b""
    return fourcc + struct.pack("<I", len(payload)) + payload + padding


def _u24(value: int) -> bytes:
    return value.to_bytes(3, "little")
