"""Reads resources.json, the one description of tables, queues, buckets and schedules.

local/ creates these resources in the embedded stack; infra/ reads the same JSON file by path.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

RESOURCES_FILE = Path(__file__).with_name("resources.json")


@cache
def resources() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RESOURCES_FILE.read_text())
    return data


def physical_name(stage: str, name: str) -> str:
    return f"concord-{stage}-{name}"
