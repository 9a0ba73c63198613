"""Foreground blobs and centroid tracks in a burst of frames, with numpy only.

A burst is reduced to a grayscale grid of `factor` x `factor` block means (160x120 for 640x480
at factor 4). Foreground is where a frame differs from the background by more than a threshold,
cleaned by a 3x3 opening so single-cell noise makes no blob. Blobs are 4-connected components,
labelled for the whole burst at once by min-label propagation with pointer jumping. Tracks link
blobs frame to frame greedily, nearest first, within a jump allowed by a maximum speed. Every
position, box and area handed out is in ORIGINAL image pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Rect = tuple[float, float, float, float]
_GRAY = np.array([0.299, 0.587, 0.114], dtype=np.float32)


@dataclass(frozen=True)
class Blob:
    frame: int
    x: float  # centroid
    y: float
    box: Rect  # x1, y1, x2, y2
    area: float  # square pixels


@dataclass(frozen=True)
class Track:
    """One object followed through the burst: points are (seconds since the first frame, x, y)."""

    points: tuple[tuple[float, float, float], ...]
    boxes: tuple[Rect, ...]

    def velocity(self) -> tuple[float, float]:
        """Least-squares velocity in pixels per second; (0, 0) for a single point."""
        t, x, y = np.array(self.points, dtype=np.float64).T
        spread = float(np.sum((t - t.mean()) ** 2))
        if spread == 0.0:
            return (0.0, 0.0)
        dt = t - t.mean()
        return (float(np.sum(dt * x) / spread), float(np.sum(dt * y) / spread))

    def longest_still_run(self, radius: float) -> tuple[int, int]:
        """First and last index of the longest stretch in time that stays within `radius` of its start."""
        best = (0, 0)
        points = self.points
        for start, (t0, x0, y0) in enumerate(points):
            end = start
            while (
                end + 1 < len(points)
                and math.hypot(points[end + 1][1] - x0, points[end + 1][2] - y0) <= radius
            ):
                end += 1
            if points[end][0] - t0 > points[best[1]][0] - points[best[0]][0]:
                best = (start, end)
        return best


def to_grid(pixels: list[np.ndarray], factor: int) -> np.ndarray:
    """(n, h, w) float32 grayscale block means of RGB uint8 frames; ragged edges are dropped."""
    stack = np.stack(pixels)
    n, height, width, _ = stack.shape
    h, w = height // factor, width // factor
    rows = stack[:, : h * factor, : w * factor].reshape(n, h, factor, w * factor * 3)
    sums = rows.sum(axis=2, dtype=np.uint32).reshape(n, h, w, factor, 3).sum(axis=3)
    return (sums.astype(np.float32) @ _GRAY) / np.float32(factor * factor)


def foreground(grid: np.ndarray, background: np.ndarray, threshold: float) -> np.ndarray:
    """Cells that differ from the background by more than `threshold`, after a 3x3 opening."""
    mask = np.abs(grid - background.astype(np.float32)) > threshold
    return _dilate(_erode(mask))


def polygon_cells(
    polygon: tuple[tuple[float, float], ...], shape: tuple[int, ...], factor: int
) -> np.ndarray:
    """Grid cells whose centre lies inside a polygon in original pixels (even-odd rule, vectorised)."""
    ys = (np.arange(shape[0]) + 0.5)[:, None] * factor
    xs = (np.arange(shape[1]) + 0.5)[None, :] * factor
    inside = np.zeros(shape, dtype=bool)
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if y1 != y2:
            inside ^= ((y1 > ys) != (y2 > ys)) & (xs < x1 + (ys - y1) * (x2 - x1) / (y2 - y1))
    return inside


def _erode(mask: np.ndarray) -> np.ndarray:
    padded = np.pad(mask, ((0, 0), (1, 1), (1, 1)), constant_values=False)
    rows = padded[:, :-2] & padded[:, 1:-1] & padded[:, 2:]
    return rows[:, :, :-2] & rows[:, :, 1:-1] & rows[:, :, 2:]


def _dilate(mask: np.ndarray) -> np.ndarray:
    padded = np.pad(mask, ((0, 0), (1, 1), (1, 1)), constant_values=False)
    rows = padded[:, :-2] | padded[:, 1:-1] | padded[:, 2:]
    return rows[:, :, :-2] | rows[:, :, 1:-1] | rows[:, :, 2:]


def _components(mask: np.ndarray) -> np.ndarray:
    """Per cell, the smallest flat index of its 4-connected component (mask.size off the mask)."""
    none = mask.size
    labels = np.where(mask, np.arange(mask.size).reshape(mask.shape), none)
    while True:
        nxt = labels.copy()
        np.minimum(nxt[:, 1:], labels[:, :-1], out=nxt[:, 1:])
        np.minimum(nxt[:, :-1], labels[:, 1:], out=nxt[:, :-1])
        np.minimum(nxt[:, :, 1:], labels[:, :, :-1], out=nxt[:, :, 1:])
        np.minimum(nxt[:, :, :-1], labels[:, :, 1:], out=nxt[:, :, :-1])
        nxt[~mask] = none
        flat = nxt.reshape(-1)
        on = flat < none
        flat[on] = flat[flat[on]]  # a label is a cell of the same component with a smaller label
        if np.array_equal(nxt, labels):
            return labels
        labels = nxt


def label_blobs(mask: np.ndarray, factor: int, min_cells: int) -> list[list[Blob]]:
    """Blobs of at least `min_cells` grid cells, per frame, in a deterministic order."""
    n, h, w = mask.shape
    per_frame: list[list[Blob]] = [[] for _ in range(n)]
    if not mask.any():
        return per_frame
    frame, row, col = np.nonzero(mask)
    ids, inverse, counts = np.unique(_components(mask)[mask], return_inverse=True, return_counts=True)
    order = np.argsort(inverse, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    sums_x = np.bincount(inverse, weights=col)
    sums_y = np.bincount(inverse, weights=row)
    bounds = [np.minimum.reduceat(col[order], starts), np.minimum.reduceat(row[order], starts)]
    bounds += [np.maximum.reduceat(col[order], starts), np.maximum.reduceat(row[order], starts)]
    for k in np.flatnonzero(counts >= min_cells):
        x1, y1, x2, y2 = (float(b[k]) for b in bounds)
        per_frame[int(ids[k]) // (h * w)].append(
            Blob(
                frame=int(ids[k]) // (h * w),
                x=(sums_x[k] / counts[k] + 0.5) * factor,
                y=(sums_y[k] / counts[k] + 0.5) * factor,
                box=(x1 * factor, y1 * factor, (x2 + 1) * factor, (y2 + 1) * factor),
                area=float(counts[k] * factor * factor),
            )
        )
    return per_frame


def track_blobs(
    per_frame: list[list[Blob]], times: list[float], max_speed: float, slack: float
) -> list[Track]:
    """Greedy nearest-neighbour linking; a track may skip one frame. Returns tracks of 2+ points."""
    tracks: list[list[Blob]] = []
    for k, blobs in enumerate(per_frame):
        open_ids = [i for i, track in enumerate(tracks) if k - track[-1].frame <= 2]
        taken_tracks: set[int] = set()
        taken_blobs: set[int] = set()
        for _, i, j in _candidate_links([tracks[i][-1] for i in open_ids], blobs, times, k, max_speed, slack):
            if open_ids[i] not in taken_tracks and j not in taken_blobs:
                tracks[open_ids[i]].append(blobs[j])
                taken_tracks.add(open_ids[i])
                taken_blobs.add(j)
        tracks.extend([blob] for j, blob in enumerate(blobs) if j not in taken_blobs)
    return [
        Track(points=tuple((times[b.frame], b.x, b.y) for b in track), boxes=tuple(b.box for b in track))
        for track in tracks
        if len(track) >= 2
    ]


def _candidate_links(
    ends: list[Blob], blobs: list[Blob], times: list[float], k: int, max_speed: float, slack: float
) -> list[tuple[float, int, int]]:
    """(distance, end index, blob index) of every reachable pair, nearest first."""
    if not ends or not blobs:
        return []
    end_xy = np.array([(end.x, end.y) for end in ends])
    blob_xy = np.array([(blob.x, blob.y) for blob in blobs])
    reach = max_speed * (times[k] - np.array([times[end.frame] for end in ends])) + slack
    distance = np.hypot(*(blob_xy[None, :, :] - end_xy[:, None, :]).transpose(2, 0, 1))
    i, j = np.nonzero(distance <= reach[:, None])
    order = np.lexsort((j, i, distance[i, j]))
    return [(float(distance[i[o], j[o]]), int(i[o]), int(j[o])) for o in order]
