"""Synthetic street scenes for tests, the local demo's camera simulator and benchmarks (numpy only).

A static textured street (`street_background`), then bursts drawn on it: one object moving at a
known velocity that may stop (`moving_object_burst`: wrong-way driving, a stopped vehicle), a lane
packed with slow vehicles (`queue_burst`), or the empty scene with sensor noise (`noise_burst`).
`as_frames` stamps the arrays with capture times. Coordinates are image pixels, y downwards;
everything is seeded, so a scene is the same on every run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from chalicelib.domain.cameras.vision import Frame

Colour = tuple[int, int, int]


def street_background(width: int = 640, height: int = 480, seed: int = 0) -> np.ndarray:
    """Pavements at the top and bottom, grey asphalt with dashed lane lines, fine static texture."""
    rng = np.random.default_rng(seed)
    image = np.empty((height, width, 3), dtype=np.int16)
    image[:] = (52, 54, 58)  # dark enough that coloured objects differ in brightness
    image[: height // 6] = (150, 146, 138)
    image[height - height // 6 :] = (150, 146, 138)
    for lane_line in (height // 3, height // 2, 2 * height // 3):
        for x in range(0, width, 80):
            image[lane_line - 2 : lane_line + 2, x : x + 40] = (215, 215, 205)
    image += rng.integers(-10, 11, size=(height, width, 1), dtype=np.int16)
    return np.clip(image, 0, 255).astype(np.uint8)


def draw_box(
    image: np.ndarray, centre_xy: tuple[float, float], size_wh: tuple[int, int], colour: Colour
) -> None:
    """Fill a rectangle centred on `centre_xy`, clipped to the image, in place."""
    x1 = round(centre_xy[0] - size_wh[0] / 2)
    y1 = round(centre_xy[1] - size_wh[1] / 2)
    x2, y2 = x1 + size_wh[0], y1 + size_wh[1]
    image[max(0, y1) : max(0, y2), max(0, x1) : max(0, x2)] = colour


def moving_object_burst(
    background: np.ndarray,
    start_xy: tuple[float, float],
    velocity_px_s: tuple[float, float],
    size_wh: tuple[int, int],
    frames: int = 8,
    interval_s: float = 0.25,
    colour: Colour = (220, 40, 40),
    stop_after_s: float | None = None,
) -> list[np.ndarray]:
    """One rectangle centred at `start_xy` at t=0 moving at `velocity_px_s`; it stands still from
    `stop_after_s` on when given."""
    burst = []
    for k in range(frames):
        t = k * interval_s if stop_after_s is None else min(k * interval_s, stop_after_s)
        image = background.copy()
        draw_box(
            image, (start_xy[0] + velocity_px_s[0] * t, start_xy[1] + velocity_px_s[1] * t), size_wh, colour
        )
        burst.append(image)
    return burst


def queue_burst(
    background: np.ndarray,
    lane_box: tuple[int, int, int, int],
    vehicles: int,
    speed_px_s: float,
    frames: int = 8,
    interval_s: float = 0.25,
    vehicle_wh: tuple[int, int] = (48, 48),
    spacing_px: int = 60,
    seed: int = 0,
) -> list[np.ndarray]:
    """`vehicles` rectangles in a horizontal lane (x1, y1, x2, y2), nose to tail every `spacing_px`
    from its left end, all moving along x at `speed_px_s` (negative: leftwards). Drawing is clipped
    to the lane."""
    colours = np.random.default_rng(seed).integers(140, 256, size=(vehicles, 3))  # brighter than asphalt
    x1, y1, x2, y2 = lane_box
    burst = []
    for k in range(frames):
        image = background.copy()
        lane = image[y1:y2, x1:x2]
        for index in range(vehicles):
            x = vehicle_wh[0] / 2 + index * spacing_px + speed_px_s * k * interval_s
            colour = (int(colours[index, 0]), int(colours[index, 1]), int(colours[index, 2]))
            draw_box(lane, (x, (y2 - y1) / 2), vehicle_wh, colour)
        burst.append(image)
    return burst


def noise_burst(
    background: np.ndarray, frames: int = 8, amplitude: int = 6, seed: int = 0
) -> list[np.ndarray]:
    """The empty scene with independent sensor noise of up to ±`amplitude` gray levels per pixel."""
    rng = np.random.default_rng(seed)
    burst = []
    for _ in range(frames):
        noise = rng.integers(-amplitude, amplitude + 1, size=background.shape[:2] + (1,), dtype=np.int16)
        burst.append(np.clip(background.astype(np.int16) + noise, 0, 255).astype(np.uint8))
    return burst


def as_frames(images: list[np.ndarray], start: datetime, interval_s: float = 0.25) -> list[Frame]:
    """Frames captured every `interval_s` seconds from `start`."""
    return [
        Frame(pixels=image, captured_at=start + timedelta(seconds=k * interval_s))
        for k, image in enumerate(images)
    ]
