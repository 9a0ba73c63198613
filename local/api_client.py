"""A small HTTP client of the running API: GraphQL, device registration, signed readings and uploads.

Stdlib only, except `post_form`, which sends a presigned S3 POST with requests.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.sensing.devices import sign
from local.paths import api_port_from_env, read_stack_description

REGISTER_DEVICE = """
mutation($input: RegisterDeviceInput!) {
  registerDevice(input: $input) { device { deviceId } secret }
}
"""
TIMEOUT_S = 10.0


class StackNotRunning(Exception):
    """Nothing answers at the API's address."""


class GraphQLFailed(Exception):
    """The GraphQL response carried errors."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(error.get("message", error)) for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class HttpResult:
    status: int
    body: Any


class ApiClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> HttpResult:
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except urllib.error.URLError as error:
            raise StackNotRunning(f"no Concord API answers at {self.base_url} ({error.reason})") from None
        try:
            return HttpResult(status, json.loads(raw) if raw else None)
        except json.JSONDecodeError:
            return HttpResult(status, raw.decode(errors="replace"))

    def is_healthy(self) -> bool:
        try:
            return self.request("GET", "/health").status == 200
        except (StackNotRunning, OSError):
            return False

    def wait_until_healthy(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.is_healthy():
                return True
            time.sleep(0.25)
        return False

    def graphql(self, query: str, variables: dict[str, Any] | None, token: str) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        result = self.request("POST", "/graphql", body, headers)
        if not isinstance(result.body, dict):
            raise GraphQLFailed([{"message": f"HTTP {result.status}: {result.body!r}"}])
        if result.body.get("errors"):
            raise GraphQLFailed(result.body["errors"])
        data: dict[str, Any] = result.body.get("data") or {}
        return data

    def register_device(self, admin_token: str, device: dict[str, Any]) -> str:
        """Register a device (fields of RegisterDeviceInput); returns its signing secret (hex), shown once."""
        data = self.graphql(REGISTER_DEVICE, {"input": device}, admin_token)
        return str(data["registerDevice"]["secret"])

    def send_readings(
        self,
        device_id: str,
        secret_hex: str,
        readings: list[dict[str, Any]],
        nonce: str | None = None,
        timestamp: int | None = None,
    ) -> HttpResult:
        """POST a signed batch; a fresh nonce and the current time unless given (tests replay them)."""
        path = f"/v1/devices/{device_id}/readings"
        body = json.dumps({"readings": readings}).encode()
        return self.signed_post(path, secret_hex, body, nonce, timestamp)

    def request_upload(
        self, device_id: str, secret_hex: str, content_type: str, captured_at: str
    ) -> HttpResult:
        """Ask where a camera may put one still or burst: 201 with a presigned POST (key, url, fields)."""
        path = f"/v1/devices/{device_id}/uploads"
        body = json.dumps({"contentType": content_type, "capturedAt": captured_at}).encode()
        return self.signed_post(path, secret_hex, body)

    def signed_post(
        self, path: str, secret_hex: str, body: bytes, nonce: str | None = None, timestamp: int | None = None
    ) -> HttpResult:
        """POST `body` signed with the device's secret (docs/devices.md)."""
        sent_at = str(timestamp if timestamp is not None else int(time.time()))
        used_nonce = nonce or secrets.token_hex(16)
        headers = {
            "Content-Type": "application/json",
            "X-Concord-Timestamp": sent_at,
            "X-Concord-Nonce": used_nonce,
            "X-Concord-Signature": sign(bytes.fromhex(secret_hex), "POST", path, sent_at, used_nonce, body),
        }
        return self.request("POST", path, body, headers)

    def post_form(self, url: str, fields: dict[str, Any], body: bytes, content_type: str) -> int:
        """Send a file to a presigned POST: every field, then the file last; the storage's HTTP status."""
        import requests

        files = {"file": ("upload", body, content_type)}
        return int(requests.post(url, data=fields, files=files, timeout=TIMEOUT_S).status_code)


def running_api() -> ApiClient:
    """The API of the running stack (.local/stack.json), else the one PORT points at."""
    description = read_stack_description()
    if description and description.get("api_url"):
        return ApiClient(str(description["api_url"]))
    return ApiClient(f"http://127.0.0.1:{api_port_from_env()}")
