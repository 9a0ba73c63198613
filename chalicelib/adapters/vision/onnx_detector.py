"""Run one ONNX detector on CPU with onnxruntime: prepare a frame, infer, decode to frame boxes.

One InferenceSession per detector, built once (per container) and reused for every frame. The
manifest's layout says how to feed and decode the model:
- "centerface": the frame is resized to the input size (aspect ratio not kept), RGB 0..255, NCHW;
  the four outputs are heatmap, scale, offset and landmarks;
- "yolo": the frame is letterboxed (aspect ratio kept, grey 114 padding), RGB 0..1, NCHW; the first
  output is decoded as an Ultralytics v5, v8 or v11 export.
"""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
from PIL import Image

from chalicelib.domain.cameras.decoders import Letterbox, decode_centerface, decode_yolo
from chalicelib.domain.cameras.vision import Box, ModelManifest

PAD_VALUE = 114


class OnnxDetector:
    """`model` is the ONNX file's bytes or its path."""

    def __init__(self, model: bytes | str, manifest: ModelManifest, threads: int = 2) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.manifest = manifest
        self.session = ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
        self._input_name = self.session.get_inputs()[0].name

    def detect(self, pixels: np.ndarray) -> list[Box]:
        """Boxes in the frame's pixel coordinates for an (H, W, 3) uint8 RGB frame."""
        tensor, letterbox = self.prepare(pixels)
        return self.decode(self.infer(tensor), letterbox)

    def prepare(self, pixels: np.ndarray) -> tuple[np.ndarray, Letterbox]:
        """The (1, 3, H, W) float32 input tensor, and how the frame was fitted into it."""
        if self.manifest.layout == "centerface":
            return self._resized(pixels)
        return self._letterboxed(pixels)

    def infer(self, tensor: np.ndarray) -> list[np.ndarray]:
        return list(self.session.run(None, {self._input_name: tensor}))

    def decode(self, outputs: list[np.ndarray], letterbox: Letterbox) -> list[Box]:
        manifest = self.manifest
        if manifest.layout == "centerface":
            heatmap, scale, offset, landmarks = outputs[:4]
            boxes = decode_centerface(
                heatmap,
                scale,
                offset,
                landmarks,
                manifest.input_height,
                manifest.input_width,
                manifest.score_threshold,
                manifest.nms_threshold,
            )
        else:
            boxes = decode_yolo(outputs[0], manifest)
        return letterbox.to_frame(boxes)

    def _resized(self, pixels: np.ndarray) -> tuple[np.ndarray, Letterbox]:
        height, width = pixels.shape[:2]
        size = (self.manifest.input_width, self.manifest.input_height)
        if (width, height) != size:  # a frame already at the input size is not resampled
            pixels = np.asarray(Image.fromarray(pixels).resize(size, Image.Resampling.BILINEAR))
        letterbox = Letterbox(size[0] / width, size[1] / height, 0.0, 0.0, width, height)
        return _nchw(pixels), letterbox

    def _letterboxed(self, pixels: np.ndarray) -> tuple[np.ndarray, Letterbox]:
        height, width = pixels.shape[:2]
        target_w, target_h = self.manifest.input_width, self.manifest.input_height
        ratio = min(target_w / width, target_h / height)
        new_w, new_h = max(1, round(width * ratio)), max(1, round(height * ratio))
        left, top = (target_w - new_w) // 2, (target_h - new_h) // 2
        canvas = np.full((target_h, target_w, 3), PAD_VALUE, dtype=np.uint8)
        canvas[top : top + new_h, left : left + new_w] = np.asarray(
            Image.fromarray(pixels).resize((new_w, new_h), Image.Resampling.BILINEAR)
        )
        letterbox = Letterbox(new_w / width, new_h / height, float(left), float(top), width, height)
        return _nchw(canvas, scale=1 / 255), letterbox


def _nchw(image: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """(H, W, 3) uint8 → (1, 3, H, W) float32 in one pass (then scaled in place)."""
    tensor = np.empty((1, 3, image.shape[0], image.shape[1]), dtype=np.float32)
    tensor[0] = image.transpose(2, 0, 1)
    if scale != 1.0:
        tensor *= scale
    return tensor
