"""Cold start of the inference function: a fresh interpreter imports the handler, loads the model, and
analyses its first frame, as Lambda does for a new container (interpreter start-up itself not counted).

Three figures per fresh interpreter:
- import: `import functions.inference.handler` (Powertools, the service, the domain);
- model load: the first `detector("centerface")` of a `ModelRegistry` whose fetch reads the prepared
  files from disk into bytes, with an empty cache dir: imports onnxruntime and Pillow, reads the
  pointer and manifest, verifies the model's SHA-256, writes it to the cache, builds the session;
- first frame: the Lambda handler on an SQS event of one S3 notification (a 640×480 JPEG) through an
  in-memory container (no botocore import, no S3 or DynamoDB latency): the first session.run included.
Target: import + model load ≤ 600 ms. Medians of RUNS runs.

Run: make bench   (or .venv/bin/python -m bench.inference_cold_start; BENCH_RUNS changes the count)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.environment import OFFLINE_ENVIRONMENT
from bench.inference import bench_jpeg

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_MS = 600

CHILD = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
import functions.inference.handler as handler
t1 = time.perf_counter()
from chalicelib.adapters.vision.model_registry import ModelRegistry
from chalicelib.domain.cameras.vision import manifest_key, model_key, pointer_key
models = Path(".local/models")
files = {manifest_key("centerface", "1"): models / "centerface/1/manifest.json",
         model_key("centerface", "1"): models / "centerface/1/model.onnx"}
def fetch(key):
    if key == pointer_key("centerface"):
        return json.dumps({"version": "1"}).encode()
    return files[key].read_bytes()
registry = ModelRegistry(fetch, sys.argv[1], 2)
t2 = time.perf_counter()
registry.detector("centerface")
t3 = time.perf_counter()
from bench.inference import Pipeline
pipe = Pipeline(sys.argv[1], registry, Path(sys.argv[2]).read_bytes())
key = pipe.upload()
first_frame_ms = pipe.handled(handler.lambda_handler, key)
print(json.dumps({"import_ms": (t1 - t0) * 1000, "model_load_ms": (t3 - t1) * 1000,
                  "registry_imports_ms": (t2 - t1) * 1000, "first_frame_ms": first_frame_ms}))
"""


def one_run(jpeg: Path, env: dict[str, str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as cache_dir:  # empty: the model is fetched and verified
        done = subprocess.run(
            [sys.executable, "-c", CHILD, cache_dir, str(jpeg)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the cold-start child failed:\n{done.stderr[-3000:]}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    env = {**os.environ, **OFFLINE_ENVIRONMENT}
    with tempfile.TemporaryDirectory() as folder:
        jpeg = Path(folder) / "frame.jpg"
        jpeg.write_bytes(bench_jpeg())
        runs = [one_run(jpeg, env) for _ in range(RUNS)]

    def median(figure: str) -> float:
        return round(statistics.median(run[figure] for run in runs), 1)

    total = statistics.median(run["import_ms"] + run["model_load_ms"] for run in runs)
    print(
        json.dumps(
            {
                "benchmark": "inference_cold_start",
                "runs": RUNS,
                "cpus": os.cpu_count(),
                "import_ms": median("import_ms"),
                "model_load_ms": median("model_load_ms"),
                "model_load_of_which_onnxruntime_pillow_import_ms": median("registry_imports_ms"),
                "import_plus_model_load_ms": round(total, 1),
                "target_ms": TARGET_MS,
                "within_target": total <= TARGET_MS,
                "first_frame_ms": median("first_frame_ms"),
                "first_frame_note": "Lambda handler, in-memory container: no botocore, S3 or DynamoDB",
                "cold_total_to_first_frame_ms": round(
                    statistics.median(
                        r["import_ms"] + r["model_load_ms"] + r["first_frame_ms"] for r in runs
                    ),
                    1,
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
