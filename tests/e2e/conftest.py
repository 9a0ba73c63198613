"""The local stack as a subprocess (`python -m local.serve`) for the e2e tests, driven over real HTTP.

Free ports (PORT=0, MOTO_PORT=0) and a temporary CONCORD_LOCAL_DIR: a developer's running stack and
keys are never touched. The stack is stopped with SIGINT, as Ctrl-C would, and no process may remain.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.api_client import ApiClient
from local.issuer import DevIssuer
from local.paths import REPO_ROOT

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class RunningStack:
    api: ApiClient
    issuer: DevIssuer
    description: dict[str, Any]

    def token(self, agency: str, *roles: str) -> str:
        return self.issuer.mint(agency, list(roles))

    def sqs(self) -> Any:
        return boto3.client(
            "sqs",
            endpoint_url=self.description["aws_endpoint_url"],
            region_name=self.description["region"],
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )


def _wait_for_stack(process: subprocess.Popen[bytes], local_dir: Path, log: Path) -> dict[str, Any]:
    """The stack's description, once it is written and GET /health answers 200."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"local.serve exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            description: dict[str, Any] = json.loads((local_dir / "stack.json").read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            time.sleep(0.25)
            continue
        if ApiClient(description["api_url"]).is_healthy():
            return description
    pytest.fail(f"GET /health did not answer 200 within {START_TIMEOUT_S:g} s:\n{log.read_text()[-4000:]}")


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _stop(process: subprocess.Popen[bytes]) -> int | None:
    """Ctrl-C the stack; kill its process group only if it does not stop by itself."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return None


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    local_dir = tmp_path_factory.mktemp("concord-local")
    log = local_dir / "serve.log"
    env = {
        **os.environ,
        "PORT": "0",
        "MOTO_PORT": "0",
        "CONCORD_LOCAL_DIR": str(local_dir),
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "local.serve"],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: whatever it starts can be found and checked
        )
    try:
        description = _wait_for_stack(process, local_dir, log)
        yield RunningStack(
            ApiClient(description["api_url"]), DevIssuer(description["issuer"], local_dir), description
        )
    finally:
        code = _stop(process)
        assert code == 0, (
            f"local.serve did not stop cleanly on Ctrl-C (exit {code}):\n{log.read_text()[-4000:]}"
        )
        assert not _group_alive(process.pid), "local.serve left processes behind"
        assert not (local_dir / "stack.json").exists(), "local.serve left its stack.json behind"
