"""Unzipped size of the inference function's deployment bundle, built as Lambda (python3.12, x86_64) gets it.

No Docker: pip installs manylinux wheels for CPython 3.12 into a temporary folder (`--target`,
`--only-binary=:all:`) from functions/inference/requirements.txt (complete on its own), then chalicelib/
and functions/inference/ are copied beside them. Wheels are kept in .local/cache/bundle-wheels, so a
rerun installs offline from there. pip compiles .pyc files on install; they are counted (Lambda's
/var/task is read-only, so shipped .pyc files spare every cold start the compilation).

Figures: the total (target ≤ 200 MB unzipped, Lambda's limit is 250 MB); the total without boto3,
botocore and s3transfer (the python3.12 runtime provides them); the ten largest distributions; and the
distributions the inference path never imports (probed in this virtualenv: the handler module, the AWS
container, the X-Ray SDK, the vision adapters and one analysed frame), with what dropping them saves.

Run: make bench   (or .venv/bin/python -m bench.bundle_size)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHEELS = ROOT / ".local" / "cache" / "bundle-wheels"
TARGET_MB = 200
LAMBDA_LIMIT_MB = 250  # unzipped function code and layers together
IN_RUNTIME = {"boto3", "botocore", "s3transfer"}
PLATFORM = ["--platform", "manylinux2014_x86_64", "--platform", "manylinux_2_28_x86_64"]
PLATFORM += ["--python-version", "3.12", "--implementation", "cp", "--only-binary=:all:"]
REQUIREMENTS = ["-r", "functions/inference/requirements.txt"]  # complete on its own
PROBE = r"""
import sys
from bench.inference import Pipeline, bench_jpeg, published_model, main
from chalicelib.bootstrap import build_aws_container
from chalicelib.settings import Settings
import chalicelib.adapters.dynamodb.repositories, chalicelib.adapters.aws.s3_media, chalicelib.adapters.aws.readings_queue
build_aws_container(Settings())
import aws_xray_sdk.core  # what Tracer() loads in AWS, where tracing is on (it is off in the probe)
import contextlib, io, bench.inference as b
b.ROUNDS, b.WARMUP = 2, 0
with contextlib.redirect_stdout(io.StringIO()):
    main()
print("\n".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "--quiet"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def install(target: Path) -> str:
    """Install from the wheel cache; download into it first when something is missing there."""
    offline = ["install", "--target", str(target), "--no-index", "--find-links", str(WHEELS)]
    if WHEELS.is_dir() and pip(*offline, *PLATFORM, *REQUIREMENTS).returncode == 0:
        return "wheel cache"
    WHEELS.mkdir(parents=True, exist_ok=True)
    downloaded = pip("download", "--dest", str(WHEELS), *PLATFORM, *REQUIREMENTS)
    if downloaded.returncode != 0:
        raise RuntimeError(f"pip download failed:\n{downloaded.stderr[-3000:]}")
    shutil.rmtree(target)
    installed = pip(*offline, *PLATFORM, *REQUIREMENTS)
    if installed.returncode != 0:
        raise RuntimeError(f"pip install --target failed:\n{installed.stderr[-3000:]}")
    return "PyPI, then the wheel cache"


def add_code(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "chalicelib", target / "chalicelib", ignore=ignore)
    shutil.copytree(ROOT / "functions" / "inference", target / "functions" / "inference", ignore=ignore)


def sizes_by_distribution(target: Path) -> tuple[Counter[str], dict[str, set[str]]]:
    """Bytes per distribution (from each RECORD), and each distribution's top-level import names."""
    sizes: Counter[str] = Counter()
    tops: dict[str, set[str]] = {}
    owned: set[Path] = set()
    for record in target.glob("*.dist-info/RECORD"):
        name = record.parent.name.split("-")[0].lower().replace("_", "-")
        tops[name] = set()
        for line in record.read_text().splitlines():
            path = (target / line.split(",")[0]).resolve()
            if path.is_file() and path not in owned:
                owned.add(path)
                sizes[name] += path.stat().st_size
            first = line.split("/")[0].split(",")[0]
            if not first.endswith((".dist-info", ".libs", ".pth", "..")) and first not in (
                "bin",
                "__pycache__",
            ):
                tops[name].add(first.removesuffix(".py"))
    for path in target.rglob("*"):
        if path.is_file() and path.resolve() not in owned:
            part = path.relative_to(target).parts[0]
            sizes["(our code)" if part in ("chalicelib", "functions") else "(other)"] += path.stat().st_size
    return sizes, tops


def imported_top_level_modules() -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the import probe failed:\n{done.stderr[-3000:]}")
    return set(done.stdout.split())


def folder_size(folders: list[Path]) -> int:
    return sum(path.stat().st_size for folder in folders for path in folder.rglob("*") if path.is_file())


def trimmable_inside(target: Path) -> dict[str, float]:
    """Parts of needed packages that no function runs: test suites and onnxruntime's Python tooling."""
    tests = [d for d in target.rglob("*") if d.is_dir() and d.name in ("tests", "test")]
    tests = [d for d in tests if not any(parent in tests for parent in d.parents)]
    tools = [target / "onnxruntime" / name for name in ("transformers", "quantization", "tools")]
    return {"tests_folders": mb(folder_size(tests)), "onnxruntime_tooling": mb(folder_size(tools))}


def mb(size: float) -> float:
    return round(size / 1_000_000, 1)


def report(target: Path, sizes: Counter[str], tops: dict[str, set[str]], source: str) -> dict[str, object]:
    total = sum(sizes.values())
    pyc = sum(path.stat().st_size for path in target.rglob("*.pyc"))
    without_runtime = total - sum(sizes[name] for name in IN_RUNTIME)
    loaded = imported_top_level_modules()
    unused = {name for name, names in tops.items() if names and not names & loaded} - IN_RUNTIME
    trimmable = trimmable_inside(target)
    shipped = mb(without_runtime) - trimmable["tests_folders"]
    return {
        "benchmark": "bundle_size",
        "bundle": "inference function: python3.12 x86_64 wheels + chalicelib/ + functions/inference/",
        "installed_from": source,
        "unzipped_mb": mb(total),
        "shipped_unzipped_mb": round(shipped, 1),
        "shipped_means": "without boto3/botocore/s3transfer (in the runtime) and without the packages' "
        "tests/ folders: what docs/deploy.md says to ship",
        "target_mb": TARGET_MB,
        "within_target": shipped <= TARGET_MB,
        "lambda_limit_mb": LAMBDA_LIMIT_MB,
        "within_lambda_limit": mb(total) <= LAMBDA_LIMIT_MB,
        "unzipped_mb_without_boto3_botocore_s3transfer": mb(without_runtime),
        "note_runtime": "boto3, botocore and s3transfer come with the python3.12 runtime; a bundle may leave "
        "them out (it then runs the runtime's versions, not the pinned ones)",
        "top_10_mb_pyc_included": {name: mb(size) for name, size in sizes.most_common(10)},
        "pyc_mb": mb(pyc),
        "unzipped_mb_without_pyc": mb(total - pyc),
        "trimmable_inside_needed_packages_mb": trimmable,
        "never_imported_by_inference_mb": {name: mb(sizes[name]) for name in sorted(unused)},
        "unzipped_mb_without_runtime_and_never_imported": mb(without_runtime - sum(sizes[n] for n in unused)),
        "note_never_imported": "not imported by the handler module, the AWS container, the X-Ray SDK, "
        "the vision adapters or one analysed frame (probed in this virtualenv)",
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "bundle"
        target.mkdir()
        source = install(target)
        add_code(target)
        sizes, tops = sizes_by_distribution(target)
        print(json.dumps(report(target, sizes, tops, source), indent=2))


if __name__ == "__main__":
    main()
