"""Running detectors through onnxruntime on tiny hand-built graphs, and the model registry."""

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from chalicelib.adapters.vision.model_registry import ModelRegistry, model_objects
from chalicelib.adapters.vision.onnx_detector import OnnxDetector
from chalicelib.domain.cameras.vision import ModelManifest
from chalicelib.domain.errors import InvalidInput, NotFound
from tests.support.onnx_graphs import tiny_model

REAL_MODEL = Path(__file__).resolve().parents[2] / ".local" / "models" / "centerface" / "1" / "model.onnx"


def yolo_manifest(sha256="0" * 64) -> ModelManifest:
    return ModelManifest("tiny", "1", sha256, "yolo", 64, 64, ("person", "car"), 0.5, 0.45)


# One car at input (24, 28)-(40, 36). A 128x64 frame is letterboxed at scale 0.5 with 16 px of padding on top.
V5 = np.array([[[32, 32, 16, 8, 0.9, 0.1, 0.95], [10, 10, 4, 4, 0.2, 0.9, 0.1]]])
V8 = np.array([[[32, 10], [32, 10], [16, 4], [8, 4], [0.1, 0.2], [0.95, 0.3]]])
FRAME = np.full((64, 128, 3), 200, dtype=np.uint8)


@pytest.mark.parametrize(("output", "score"), [(V5, 0.855), (V8, 0.95)], ids=["v5", "v8-v11"])
def test_given_a_yolo_export_when_detecting_then_boxes_come_back_in_frame_pixels(output, score):
    detector = OnnxDetector(tiny_model({"output0": output}), yolo_manifest())

    boxes = detector.detect(FRAME)

    assert [b.to_dict() for b in boxes] == [{"label": "car", "score": score, "box": [48.0, 24.0, 80.0, 40.0]}]


def test_given_a_yolo_model_when_preparing_then_the_frame_is_letterboxed_with_grey_and_scaled_to_unit():
    detector = OnnxDetector(tiny_model({"output0": V5}), yolo_manifest())

    tensor, _ = detector.prepare(FRAME)

    assert tensor.shape == (1, 3, 64, 64) and tensor.dtype == np.float32
    assert np.allclose(tensor[0, :, :16], 114 / 255) and np.allclose(tensor[0, :, 48:], 114 / 255)
    assert np.allclose(tensor[0, :, 16:48], 200 / 255)


def centerface_outputs():
    heatmap, scale = np.zeros((1, 1, 8, 10)), np.zeros((1, 2, 8, 10))
    offset, landmarks = np.zeros((1, 2, 8, 10)), np.zeros((1, 10, 8, 10))
    heatmap[0, 0, 3, 5] = 0.9
    scale[0, :, 3, 5] = (math.log(4), math.log(2))
    offset[0, :, 3, 5] = (0.25, 0.5)
    return {"537": heatmap, "538": scale, "539": offset, "540": landmarks}


def test_given_a_centerface_layout_model_when_detecting_then_faces_are_resized_back_to_the_frame():
    manifest = ModelManifest("faces", "1", "0" * 64, "centerface", 40, 32, ("face",), 0.5, 0.3)
    detector = OnnxDetector(tiny_model(centerface_outputs()), manifest)
    frame = np.full((64, 80, 3), 200, dtype=np.uint8)

    tensor, _ = detector.prepare(frame)
    boxes = detector.detect(frame)

    assert tensor.shape == (1, 3, 32, 40) and np.allclose(tensor, 200.0)  # RGB 0..255, not normalised
    assert [b.to_dict() for b in boxes] == [{"label": "face", "score": 0.9, "box": [40.0, 14.0, 56.0, 46.0]}]


class Bucket:
    """An in-memory S3: fetch raises KeyError for a missing key and counts every read."""

    def __init__(self, objects: dict[str, bytes]) -> None:
        self.objects = objects
        self.reads: list[str] = []

    def fetch(self, key: str) -> bytes:
        self.reads.append(key)
        return self.objects[key]


def published(model: bytes | None = None) -> Bucket:
    model = model or tiny_model({"output0": V5})
    return Bucket(model_objects(yolo_manifest(hashlib.sha256(model).hexdigest()), model))


def test_given_a_published_model_when_asked_twice_then_it_is_fetched_once_and_the_same_detector_returned(
    tmp_path,
):
    bucket = published()
    registry = ModelRegistry(bucket.fetch, str(tmp_path))

    first, second = registry.detector("tiny"), registry.detector("tiny")

    assert first is second
    assert bucket.reads == [
        "models/tiny/current.json",
        "models/tiny/1/manifest.json",
        "models/tiny/1/model.onnx",
    ]
    assert len(first.detect(FRAME)) == 1


def test_given_a_verified_model_on_disk_when_a_new_container_starts_then_the_model_is_not_fetched_again(
    tmp_path,
):
    bucket = published()
    ModelRegistry(bucket.fetch, str(tmp_path)).detector("tiny")
    bucket.reads.clear()

    ModelRegistry(bucket.fetch, str(tmp_path)).detector("tiny")

    assert "models/tiny/1/model.onnx" not in bucket.reads


def test_given_model_bytes_not_matching_the_manifest_when_loading_then_refused_and_nothing_cached(tmp_path):
    bucket = published()
    bucket.objects["models/tiny/1/model.onnx"] = tiny_model({"output0": V8})

    with pytest.raises(InvalidInput) as raised:
        ModelRegistry(bucket.fetch, str(tmp_path)).detector("tiny")

    assert raised.value.code == "MODEL_CHECKSUM_MISMATCH"
    assert list(tmp_path.rglob("*.onnx*")) == []


def test_given_an_unpublished_model_when_asked_then_not_found(tmp_path):
    with pytest.raises(NotFound) as raised:
        ModelRegistry(published().fetch, str(tmp_path)).detector("vehicles")

    assert raised.value.code == "UNKNOWN_MODEL"


def test_given_a_thread_count_when_loading_then_the_session_runs_with_it(tmp_path):
    detector = ModelRegistry(published().fetch, str(tmp_path), threads=3).detector("tiny")

    options = detector.session.get_session_options()
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (3, 1)


def test_given_a_manifest_for_other_bytes_when_publishing_then_refused():
    with pytest.raises(InvalidInput) as raised:
        model_objects(yolo_manifest("1" * 64), b"not the model")

    assert raised.value.code == "MODEL_CHECKSUM_MISMATCH"


def test_given_a_publication_then_the_pointer_names_the_version():
    objects = published().objects

    assert json.loads(objects["models/tiny/current.json"]) == {"version": "1"}
    assert json.loads(objects["models/tiny/1/manifest.json"])["layout"] == "yolo"


@pytest.mark.skipif(not REAL_MODEL.is_file(), reason="run `python -m local.models prepare` first")
def test_given_the_real_centerface_model_when_run_on_a_synthetic_image_then_outputs_have_stride_4():
    manifest = ModelManifest.from_dict(json.loads((REAL_MODEL.parent / "manifest.json").read_text()))
    detector = OnnxDetector(str(REAL_MODEL), manifest)
    frame = np.random.default_rng(0).integers(0, 256, (300, 400, 3), dtype=np.uint8)

    outputs = detector.infer(detector.prepare(frame)[0])

    assert [o.shape for o in outputs] == [
        (1, 1, 120, 160),
        (1, 2, 120, 160),
        (1, 2, 120, 160),
        (1, 10, 120, 160),
    ]
    assert all(0 <= b.x1 < b.x2 <= 400 and 0 <= b.y1 < b.y2 <= 300 for b in detector.detect(frame))


def test_given_a_new_version_activated_when_the_refresh_interval_passes_then_warm_registries_switch(tmp_path):
    bucket = published()
    now = [0.0]
    registry = ModelRegistry(bucket.fetch, str(tmp_path), refresh_s=60, clock=lambda: now[0])
    first = registry.detector("tiny")
    newer = tiny_model({"output0": V8})
    manifest = ModelManifest(
        "tiny", "2", hashlib.sha256(newer).hexdigest(), "yolo", 64, 64, ("person", "car")
    )
    bucket.objects.update(model_objects(manifest, newer))

    now[0] = 30.0
    assert registry.detector("tiny") is first  # within the interval: the pointer is not read again
    now[0] = 61.0
    assert registry.detector("tiny").manifest.version == "2"
