"""Where the local stack keeps its files: keys, JWKS and the running stack's description.

The folder is `.local/` at the repository root (gitignored), or CONCORD_LOCAL_DIR when set (tests use
a temporary folder so that they never touch a developer's keys).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_API_PORT = 8000
DEFAULT_MOTO_PORT = 4566


def local_dir() -> Path:
    configured = os.environ.get("CONCORD_LOCAL_DIR")
    folder = Path(configured).resolve() if configured else REPO_ROOT / ".local"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stack_file() -> Path:
    return local_dir() / "stack.json"


def write_stack_description(description: dict[str, Any]) -> Path:
    """Write .local/stack.json atomically, so a reader never sees half of it."""
    target = stack_file()
    partial = target.with_suffix(".json.partial")
    partial.write_text(json.dumps(description, indent=2) + "\n")
    partial.replace(target)
    return target


def read_stack_description() -> dict[str, Any] | None:
    """The running stack's description, or None when no running stack has written one."""
    try:
        data: dict[str, Any] = json.loads(stack_file().read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return data if is_running(data.get("pid")) else None


def is_running(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stack_description(pid: int) -> None:
    """Remove stack.json if it still describes the process `pid` (a newer stack may have replaced it)."""
    try:
        description = json.loads(stack_file().read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return
    if description.get("pid") == pid:
        stack_file().unlink(missing_ok=True)


def api_port_from_env() -> int:
    return int(os.environ.get("PORT") or DEFAULT_API_PORT)


def issuer_url(api_port: int) -> str:
    return f"http://127.0.0.1:{api_port}/local-issuer"
