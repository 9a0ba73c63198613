"""Per-frame cost of the camera pipeline at 640×480, stage by stage, and the handler next to bare inference.

One JPEG (the astronaut photo on a 640×480 canvas, quality 90) goes through the in-memory container
with the prepared CenterFace model on `inference_threads` = 2. Stages: decode (decode_frames),
preprocess (detector.prepare), inference (detector.infer, i.e. session.run), postprocess (detector.decode
+ redaction and JPEG encode), storage (derivative write and upload read through a MemoryMediaStore: in
memory, no S3 latency). Interleaved with them in the same rounds, the order rotated every round:
`handler` (analyse_upload of a new upload key), `lambda_handler` (the whole Lambda handler on an SQS event
wrapping an S3 notification of another new key: Powertools batch, logger and metrics included, X-Ray off)
and bare `session.run` on the tensor that same JPEG gives. ms are medians of ROUNDS rounds after WARMUP
rounds; ratios are medians of per-round ratios with their interquartile range.

Run: make bench   (or .venv/bin/python -m bench.inference; BENCH_ROUNDS changes the sampling)
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from bench.environment import use_offline_environment

use_offline_environment()  # before chalicelib is imported

from chalicelib.adapters.vision.model_registry import ModelRegistry, model_objects  # noqa: E402
from chalicelib.adapters.vision.onnx_detector import OnnxDetector  # noqa: E402
from chalicelib.bootstrap import build_memory_container, use_container  # noqa: E402
from chalicelib.domain.cameras.config import CameraConfig, Zone, ZonePurpose  # noqa: E402
from chalicelib.domain.cameras.media_keys import redacted_key_of, upload_key  # noqa: E402
from chalicelib.domain.cameras.ports import DetectorRegistry  # noqa: E402
from chalicelib.domain.cameras.vision import Frame, ModelManifest  # noqa: E402
from chalicelib.domain.sensing.devices import Device  # noqa: E402
from chalicelib.services.cameras.analyse_upload import UploadDependencies, analyse_upload  # noqa: E402
from chalicelib.settings import Settings  # noqa: E402
from local.lambda_context import LocalLambdaContext  # noqa: E402
from local.lambda_events import sqs_event  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / ".local" / "models" / "centerface" / "1"
PHOTO = ROOT / ".local" / "testdata" / "astronaut.png"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "100"))
WARMUP = 5
TARGET_RATIO = 1.25
STAGES = ("decode", "preprocess", "inference", "postprocess")
CAMERA, REGION, BUCKET = "cam-bench", "eu-west-2", "concord-bench-media"
HANDLER_INCLUDES = (
    "analyse_upload of a new key in the in-memory container: head + read of the upload, JPEG decode, "
    "resize to the tensor, session.run, CenterFace decode, redaction + JPEG encode, derivative write, "
    "camera analytics (one crowd zone), correlation, camera state save"
)
LAMBDA_INCLUDES = (
    "functions.inference.handler.lambda_handler on an SQS event of one S3 notification: Powertools "
    "batch processing, logger (INFO, formatted then dropped) and EMF metrics, plus all of handler; "
    "X-Ray tracing disabled"
)


def bench_jpeg() -> bytes:
    """The astronaut photo (512×512) resized to 480×480 and centred on a grey 640×480 canvas, JPEG q90."""
    from PIL import Image

    canvas = Image.new("RGB", (640, 480), (96, 104, 112))
    with Image.open(PHOTO) as photo:
        canvas.paste(photo.convert("RGB").resize((480, 480), Image.Resampling.LANCZOS), (80, 0))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return out.getvalue()


def published_model() -> dict[str, bytes]:
    """The prepared CenterFace as the three objects the model registry reads from the bucket."""
    manifest = ModelManifest.from_dict(json.loads((MODEL_DIR / "manifest.json").read_text()))
    return model_objects(manifest, (MODEL_DIR / "model.onnx").read_bytes())


def sqs_s3_event(key: str, size: int, at: datetime) -> dict[str, Any]:
    """An SQS event of one message whose body is the S3 notification of `key` being uploaded."""
    notification = {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                "eventName": "ObjectCreated:Post",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "uploads",
                    "bucket": {"name": BUCKET, "arn": f"arn:aws:s3:::{BUCKET}"},
                    "object": {"key": quote_plus(key), "size": size, "sequencer": "0"},
                },
            }
        ]
    }
    body = json.dumps(notification)
    message = {
        "MessageId": str(uuid.uuid4()),
        "ReceiptHandle": uuid.uuid4().hex,
        "Body": body,
        "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),
        "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": str(int(at.timestamp() * 1000))},
    }
    return sqs_event([message], f"arn:aws:sqs:{REGION}:123456789012:concord-bench-uploads", REGION)


class Pipeline:
    """The in-memory container the handler gets: a camera, its config, the model, uploads on demand."""

    def __init__(self, cache_dir: str, detectors: DetectorRegistry, jpeg: bytes) -> None:
        self.container = build_memory_container(Settings(inference_threads=2, model_cache_dir=cache_dir))
        self.container.devices.add(Device(CAMERA, "camera", "police", 51.5072, -0.1276, "x"))
        crowd = Zone("square", ZonePurpose.CROWD_AREA, ((0, 0), (640, 0), (640, 480), (0, 480)), 50)
        self.container.cameras.save_config(CameraConfig(CAMERA, 51.5072, -0.1276, zones=(crowd,)), None)
        self.container.detectors = detectors
        use_container(self.container)  # what the Lambda handler's container() returns
        self.jpeg = jpeg
        self.captured = datetime.now(UTC) - timedelta(hours=1)
        self.faces = 0

    @property
    def deps(self) -> UploadDependencies:
        return self.container.inference  # built on first use, as the handler does

    @property
    def detector(self) -> OnnxDetector:
        return self.container.detectors.detector("centerface")  # type: ignore[union-attr, return-value]

    def upload(self) -> str:
        """A new upload key holding the JPEG, as a camera's presigned POST leaves it."""
        self.captured += timedelta(seconds=2)
        key = upload_key(CAMERA, self.captured, "image/jpeg", str(uuid.uuid4()))
        metadata = {"captured-at": self.captured.isoformat().replace("+00:00", "Z")}
        self.container.media.write(key, self.jpeg, "image/jpeg", metadata)
        return key

    def frames(self) -> list[Frame]:
        return self.deps.decode(self.jpeg, "image/jpeg", self.captured)

    def analysed(self, key: str) -> None:
        outcome = analyse_upload(key, self.captured, self.deps)
        if outcome.status != "analysed":
            raise RuntimeError(f"analyse_upload did not analyse the frame: {outcome}")
        self.faces = outcome.faces

    def handled(self, handler: Callable[..., Any], key: str) -> float:
        event = sqs_s3_event(key, len(self.jpeg), self.captured)
        context = LocalLambdaContext("concord-bench-inference", 60, REGION, memory_limit_in_mb=3008)
        started = time.perf_counter()
        response = handler(event, context)
        spent = (time.perf_counter() - started) * 1000
        if response.get("batchItemFailures") or not self.container.cameras.get_state(CAMERA).has_seen(key):
            raise RuntimeError(f"the Lambda handler did not analyse {key}: {response}")
        return spent


def ms(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def variants(pipe: Pipeline, handler: Callable[..., Any]) -> dict[str, Callable[[], float]]:
    """Each variant does its own untimed setup (a new upload key) and returns the ms of its timed part."""
    detector, frames, encode = pipe.detector, pipe.frames(), pipe.deps.encode_redacted
    tensor, letterbox = detector.prepare(frames[0].pixels)
    outputs = detector.infer(tensor)
    faces = detector.decode(outputs, letterbox)
    body, _ = encode(frames, [faces], "image/jpeg")
    feed = {detector.session.get_inputs()[0].name: tensor}
    original_key = pipe.upload()
    derivative_key = redacted_key_of(original_key, "image/jpeg")

    def storage() -> None:
        pipe.container.media.write(derivative_key, body, "image/jpeg", {"original-key": original_key})
        pipe.container.media.read(original_key)

    def whole_path() -> float:
        key = pipe.upload()
        return ms(lambda: pipe.analysed(key))

    return {
        "decode": lambda: ms(pipe.frames),
        "preprocess": lambda: ms(lambda: detector.prepare(frames[0].pixels)),
        "inference": lambda: ms(lambda: detector.infer(tensor)),
        "postprocess": lambda: ms(
            lambda: encode(frames, [detector.decode(outputs, letterbox)], "image/jpeg")
        ),
        "postprocess/decode_boxes": lambda: ms(lambda: detector.decode(outputs, letterbox)),
        "postprocess/redact_encode": lambda: ms(lambda: encode(frames, [faces], "image/jpeg")),
        "storage": lambda: ms(storage),
        "bare_session_run": lambda: ms(lambda: detector.session.run(None, feed)),
        "handler": whole_path,
        "lambda_handler": lambda: pipe.handled(handler, pipe.upload()),
    }


def timed(runs: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for round_ in range(WARMUP + ROUNDS):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            spent = runs[name]()
            if round_ >= WARMUP:
                samples[name].append(spent)
    return samples


def ratio(samples: dict[str, list[float]], slower: str, faster: str) -> dict[str, Any]:
    ratios = [a / b for a, b in zip(samples[slower], samples[faster], strict=True)]
    low, _, high = statistics.quantiles(ratios, n=4)
    return {"ratio": round(statistics.median(ratios), 3), "ratio_iqr": [round(low, 3), round(high, 3)]}


def report(pipe: Pipeline, samples: dict[str, list[float]]) -> dict[str, Any]:
    median = {name: round(statistics.median(values), 2) for name, values in samples.items()}
    handler = ratio(samples, "handler", "bare_session_run")
    stages = {s: median[s] for s in STAGES}
    return {
        "benchmark": "inference",
        "frame": "640x480 JPEG q90 (astronaut photo), CenterFace at 640x480, CPU, inference_threads=2",
        "cpus": os.cpu_count(),
        "rounds": ROUNDS,
        "faces_found": pipe.faces,
        "stages_median_ms": stages,
        "postprocess_parts_median_ms": {s.split("/")[1]: median[s] for s in median if "/" in s},
        "handler_minus_stages_ms": round(median["handler"] - sum(stages.values()) - median["storage"], 2),
        "storage_median_ms": median["storage"],
        "storage_note": "MemoryMediaStore (in memory): derivative write + upload read; S3 latency excluded",
        "handler_median_ms": median["handler"],
        "handler_includes": HANDLER_INCLUDES,
        "bare_session_run_median_ms": median["bare_session_run"],
        "bare_includes": "detector.session.run alone, on the tensor the same JPEG gives, same session",
        "handler_over_bare": {
            **handler,
            "target": TARGET_RATIO,
            "within_target": handler["ratio"] <= TARGET_RATIO,
        },
        "lambda_handler_median_ms": median["lambda_handler"],
        "lambda_handler_includes": LAMBDA_INCLUDES,
        "lambda_handler_over_bare": ratio(samples, "lambda_handler", "bare_session_run"),
        "frames_per_second_sequential": {
            "handler": round(1000 / median["handler"], 1),
            "lambda_handler": round(1000 / median["lambda_handler"], 1),
            "bare_inference": round(1000 / median["bare_session_run"], 1),
        },
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as cache_dir, open(os.devnull, "w") as sink:
        pipe = Pipeline(cache_dir, ModelRegistry(published_model().__getitem__, cache_dir, 2), bench_jpeg())
        from chalicelib.observability import logger
        from functions.inference.handler import lambda_handler

        logger.registered_handler.setStream(sink)  # type: ignore[attr-defined]
        with contextlib.redirect_stdout(sink):  # the EMF metrics document Powertools prints per call
            runs = variants(pipe, lambda_handler)
            gc.collect()
            gc.freeze()
            samples = timed(runs)
        use_container(None)
        print(json.dumps(report(pipe, samples), indent=2))


if __name__ == "__main__":
    main()
