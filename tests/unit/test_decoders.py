"""Decoding detector outputs: NMS, the YOLO export layouts, CenterFace, and mapping back to the frame."""

import math

import numpy as np
import pytest

from chalicelib.domain.cameras.decoders import Letterbox, decode_centerface, decode_yolo, nms
from chalicelib.domain.cameras.vision import Box, ModelManifest
from chalicelib.domain.errors import InvalidInput


def manifest(classes=("person", "car"), score=0.5, iou=0.45) -> ModelManifest:
    return ModelManifest("tiny", "1", "0" * 64, "yolo", 64, 64, classes, score, iou)


def corners(boxes):
    return [(round(b.x1, 3), round(b.y1, 3), round(b.x2, 3), round(b.y2, 3)) for b in boxes]


def test_given_overlapping_boxes_when_nms_then_the_best_of_each_cluster_is_kept_best_first():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60], [0, 0, 10, 9.5]], dtype=np.float32)
    scores = np.array([0.6, 0.9, 0.7, 0.3], dtype=np.float32)

    kept = nms(boxes, scores, 0.5)

    assert kept.tolist() == [1, 2]


def test_given_boxes_overlapping_less_than_the_threshold_when_nms_then_all_are_kept():
    boxes = np.array([[0, 0, 10, 10], [8, 0, 18, 10]], dtype=np.float32)  # IoU = 20 / 180

    assert nms(boxes, np.array([0.5, 0.8]), 0.3).tolist() == [1, 0]


def test_given_no_boxes_when_nms_then_nothing_is_kept():
    assert nms(np.zeros((0, 4), dtype=np.float32), np.zeros(0, dtype=np.float32), 0.5).size == 0


# v5 rows: cx, cy, w, h, objectness, score(person), score(car)
V5_ROWS = [
    [32, 32, 16, 8, 0.9, 0.1, 0.95],  # a car, score 0.855
    [33, 32, 16, 8, 0.9, 0.1, 0.80],  # the same car, weaker: suppressed
    [32, 32, 16, 8, 0.9, 0.70, 0.1],  # a person in the same place: another class, kept
    [10, 10, 4, 4, 0.3, 0.99, 0.0],  # confident class, unsure object: 0.297 < 0.5, filtered
]


def test_given_a_v5_export_when_decoded_then_scores_are_objectness_times_class_with_class_aware_nms():
    boxes = decode_yolo(np.array([V5_ROWS], dtype=np.float32), manifest())

    assert [(b.label, round(b.score, 3)) for b in boxes] == [("car", 0.855), ("person", 0.63)]
    assert corners(boxes) == [(24, 28, 40, 36), (24, 28, 40, 36)]


def test_given_a_v8_or_v11_export_when_decoded_then_columns_are_boxes_and_class_scores():
    columns = np.array([[32, 32, 16, 8, 0.1, 0.95], [33, 32, 16, 8, 0.1, 0.8], [10, 10, 4, 4, 0.2, 0.3]]).T
    output = columns[None].astype(np.float32)  # (1, 4+C, N)

    boxes = decode_yolo(output, manifest())

    assert [(b.label, round(b.score, 3)) for b in boxes] == [("car", 0.95)]
    assert corners(boxes) == [(24, 28, 40, 36)]


def test_given_an_output_fitting_neither_layout_when_decoded_then_the_mismatch_is_named():
    with pytest.raises(InvalidInput) as raised:
        decode_yolo(np.zeros((1, 7, 9), dtype=np.float32), manifest())

    assert raised.value.code == "MODEL_OUTPUT_MISMATCH"
    assert "(1, 7, 9)" in raised.value.message and "2 classes" in raised.value.message


def centerface_outputs(height=8, width=10):
    heatmap = np.zeros((1, 1, height, width), dtype=np.float32)
    scale = np.zeros((1, 2, height, width), dtype=np.float32)
    offset = np.zeros((1, 2, height, width), dtype=np.float32)
    for row, col, heat in ((3, 5, 0.9), (3, 6, 0.8), (6, 1, 0.4)):
        heatmap[0, 0, row, col] = heat
        scale[0, :, row, col] = (math.log(4), math.log(2))  # 16 px high, 8 px wide
        offset[0, :, row, col] = (0.25, 0.5)
    heatmap[0, 0, 0, 0] = 0.7  # a large face in the corner, clipped to the image
    scale[0, :, 0, 0] = (math.log(10), math.log(10))
    return heatmap, scale, offset, np.zeros((1, 10, height, width), dtype=np.float32)


def test_given_a_centerface_heatmap_when_decoded_then_faces_above_threshold_survive_nms():
    boxes = decode_centerface(*centerface_outputs(), input_height=32, input_width=40, threshold=0.5)

    # (5 + 0.5 + 0.5) * 4 - 8 / 2 = 20; (3 + 0.25 + 0.5) * 4 - 16 / 2 = 7; the cell at (3, 6) overlaps it.
    assert corners(boxes) == [(20, 7, 28, 23), (0, 0, 40, 32)]
    assert [(b.label, round(b.score, 2)) for b in boxes] == [("face", 0.9), ("face", 0.7)]


def test_given_no_cell_above_threshold_when_centerface_decoded_then_no_faces():
    assert decode_centerface(*centerface_outputs(), input_height=32, input_width=40, threshold=0.95) == []


def test_given_a_letterboxed_box_when_mapped_to_the_frame_then_padding_and_scale_are_undone_and_clipped():
    letterbox = Letterbox(0.5, 0.5, 0.0, 16.0, 128, 64)
    inside = Box(24, 28, 40, 36, 0.9, "car")
    overflowing = Box(60, 40, 70, 60, 0.8, "car")
    in_padding = Box(0, 0, 10, 10, 0.7, "car")

    mapped = letterbox.to_frame([inside, overflowing, in_padding])

    assert corners(mapped) == [(48, 24, 80, 40), (120, 48, 128, 64)]
    assert [b.score for b in mapped] == [0.9, 0.8]
