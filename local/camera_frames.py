"""Synthetic camera frames for the camera simulator and the e2e tests: faces on a plaza, a car driving
the wrong way down a street, encoded as the camera would upload them (JPEG still, animated WebP burst).

Faces are crops of the public-domain astronaut photo (`make models` writes it to .local/testdata),
pasted at about 60x72 px, a size CenterFace finds reliably. Everything is seeded: the same call
gives the same pixels.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from PIL import Image

from chalicelib.adapters.vision.pillow_encode import encode_burst, encode_still
from local.camera_scenes import moving_object_burst, street_background
from local.models import DEFAULT_TESTDATA_DIR

ASTRONAUT = DEFAULT_TESTDATA_DIR / "astronaut.png"
ASTRONAUT_FACE = (183, 51, 268, 183)  # x1, y1, x2, y2 of the one face in the photo
FACE_WH = (60, 72)
FRAME_WH = (640, 480)
BURST_INTERVAL_MS = 250
LANE_Y = (170, 310)  # the street's traffic lane, between the top pavement and the kerb lane
KERB_Y = (330, 395)  # a no-stopping strip below it
PLAZA_TONE = (150, 146, 138)


def astronaut_pixels(path: Path = ASTRONAUT) -> np.ndarray:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make models` (python -m local.models testdata)")
    with Image.open(path) as image:
        return np.array(image.convert("RGB"), dtype=np.uint8)


@functools.cache
def face_crop(path: Path = ASTRONAUT) -> np.ndarray:
    """The astronaut's face with a little margin, scaled to FACE_WH."""
    x1, y1, x2, y2 = ASTRONAUT_FACE
    face = astronaut_pixels(path)[y1 - 11 : y2 + 12, x1 - 13 : x2 + 12]
    return np.array(Image.fromarray(face).resize(FACE_WH, Image.Resampling.BILINEAR), dtype=np.uint8)


def plaza_background(seed: int = 0) -> np.ndarray:
    """Paving stones: one warm grey with fine static texture."""
    width, height = FRAME_WH
    rng = np.random.default_rng(seed)
    image = np.empty((height, width, 3), dtype=np.int16)
    image[:] = PLAZA_TONE
    image += rng.integers(-8, 9, size=(height, width, 1), dtype=np.int16)
    return np.clip(image, 0, 255).astype(np.uint8)


def face_slots(count: int) -> list[tuple[int, int]]:
    """Top-left corners for `count` faces (at most 10): two rows of five, well apart."""
    if not 0 <= count <= 10:
        raise ValueError(f"between 0 and 10 faces fit on the plaza, not {count}")
    return [(30 + (index % 5) * 120, 90 + (index // 5) * 200) for index in range(count)]


def crowd_frame(faces: int, seed: int = 0) -> np.ndarray:
    """The plaza with `faces` people looking at the camera."""
    image = plaza_background(seed)
    crop = face_crop()
    for x, y in face_slots(faces):
        image[y : y + FACE_WH[1], x : x + FACE_WH[0]] = crop
    return image


def wrong_way_burst(frames: int = 8, speed_px_s: float = 100.0, seed: int = 0) -> list[np.ndarray]:
    """A red car driving leftwards (against a lane whose direction is 0°) along the lane's middle."""
    background = street_background(*FRAME_WH, seed=seed)
    start = (FRAME_WH[0] - 120.0, (LANE_Y[0] + LANE_Y[1]) / 2)
    return moving_object_burst(background, start, (-speed_px_s, 0.0), (64, 40), frames=frames)


def as_jpeg(pixels: np.ndarray) -> bytes:
    return encode_still(pixels, "image/jpeg")


def as_webp_burst(frames: list[np.ndarray], interval_ms: int = BURST_INTERVAL_MS) -> bytes:
    """An animated WebP keeping one frame per capture, `interval_ms` apart."""
    return encode_burst(frames, interval_ms)
