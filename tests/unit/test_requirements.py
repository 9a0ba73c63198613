"""The API's and the inference function's requirement files pin the same version of what they share."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            found[match[1].lower().replace("_", "-")] = match[2]
    return found


def test_given_both_bundles_then_shared_packages_have_one_pinned_version() -> None:
    api, inference = pins(ROOT / "requirements.txt"), pins(ROOT / "functions/inference/requirements.txt")
    shared = api.keys() & inference.keys()
    assert {"boto3", "pynamodb", "aws-lambda-powertools"} <= shared
    assert {name: api[name] for name in shared} == {name: inference[name] for name in shared}


def test_given_the_api_bundle_then_it_carries_no_vision_stack() -> None:
    assert not pins(ROOT / "requirements.txt").keys() & {"onnxruntime", "numpy", "pillow"}
