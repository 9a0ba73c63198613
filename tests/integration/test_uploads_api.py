"""POST /v1/devices/{id}/uploads through the Chalice app against the emulated AWS: a camera gets a
presigned POST whose policy pins the key, content type, capture time and size; others get a clear 4xx."""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from chalice.test import Client

from app import app
from chalicelib.bootstrap import build_aws_container, use_container
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.sensing.devices import sign
from chalicelib.services.sensing.register_device import RegisterDevice, register_device

ADMIN = Principal("admin-1", "transport", frozenset({Role.ADMIN}))


@pytest.fixture
def stack(aws):
    container = build_aws_container(aws.settings)
    secrets_by_device = {}
    for device_id, kind in (("cam-9", "camera"), ("aq-9", "air_quality")):
        registered = register_device(
            RegisterDevice(device_id, kind, 51.5, -0.12, "transport"),
            ADMIN,
            container.devices,
            container.keyring,
        )
        secrets_by_device[device_id] = bytes.fromhex(registered.secret)
    use_container(container)
    with Client(app) as client:
        yield client, secrets_by_device
    use_container(None)


def request_upload(client, secret, body, device_id="cam-9", signature=None):
    raw = json.dumps(body).encode()
    path = f"/v1/devices/{device_id}/uploads"
    ts, nonce = str(int(time.time())), secrets.token_hex(12)
    headers = {
        "Content-Type": "application/json",
        "X-Concord-Timestamp": ts,
        "X-Concord-Nonce": nonce,
        "X-Concord-Signature": signature or sign(secret, "POST", path, ts, nonce, raw),
    }
    return client.http.post(path, headers=headers, body=raw)


def captured(delta=timedelta()):
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_given_a_camera_when_it_asks_to_upload_then_the_presigned_policy_pins_key_type_time_and_size(stack):
    client, keys = stack
    response = request_upload(client, keys["cam-9"], {"contentType": "image/webp", "capturedAt": captured()})

    assert response.status_code == 201
    body = response.json_body
    today = datetime.now(UTC).strftime("%Y/%m/%d")
    assert body["key"].startswith(f"uploads/cam-9/{today}/") and body["key"].endswith(".webp")
    assert body["maxBytes"] == 8 * 1024 * 1024
    policy = json.loads(base64.b64decode(body["fields"]["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, 8 * 1024 * 1024] in conditions
    assert {"Content-Type": "image/webp"} in conditions
    assert {"key": body["key"]} in conditions
    assert any(
        "x-amz-meta-captured-at" in condition for condition in conditions if isinstance(condition, dict)
    )
    expires = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(0) < expires - datetime.now(UTC) <= timedelta(seconds=300)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"contentType": "image/gif", "capturedAt": captured()}, 400, "UNSUPPORTED_MEDIA_TYPE"),
        ({"contentType": "image/jpeg"}, 400, "INVALID_CAPTURE_TIME"),
        ({"contentType": "image/jpeg", "capturedAt": "yesterday"}, 400, "INVALID_CAPTURE_TIME"),
        (
            {"contentType": "image/jpeg", "capturedAt": captured(timedelta(hours=2))},
            400,
            "INVALID_CAPTURE_TIME",
        ),
        (["image/jpeg"], 400, "INVALID_INPUT"),
    ],
)
def test_given_a_bad_upload_request_then_a_4xx_says_why(stack, body, status, code):
    client, keys = stack
    response = request_upload(client, keys["cam-9"], body)
    assert (response.status_code, response.json_body["code"]) == (status, code)


def test_given_a_sensor_that_is_not_a_camera_then_it_may_not_upload(stack):
    client, keys = stack
    response = request_upload(
        client, keys["aq-9"], {"contentType": "image/jpeg", "capturedAt": captured()}, device_id="aq-9"
    )
    assert (response.status_code, response.json_body["code"]) == (403, "NOT_A_CAMERA")


def test_given_a_bad_signature_then_401(stack):
    client, _ = stack
    response = request_upload(
        client, b"x", {"contentType": "image/jpeg", "capturedAt": captured()}, signature="0" * 64
    )
    assert response.status_code == 401


def test_given_the_api_function_when_it_serves_an_upload_request_then_it_never_loads_the_vision_stack():
    """The API function's bundle does not carry onnxruntime: importing and serving must not need it. Nor
    does serving load pydantic (the playbook model, about 90 ms of cold start) before a playbook is used."""
    script = (
        "import sys, app\n"
        "from chalice.test import Client\n"
        "from chalicelib.bootstrap import build_memory_container, use_container\n"
        "use_container(build_memory_container())\n"
        "json = {'Content-Type': 'application/json'}\n"
        "with Client(app.app) as c:\n"
        "    c.http.post('/v1/devices/x/uploads', headers=json, body=b'{}')\n"
        "    c.http.post('/graphql', headers=json, body=b'{\"query\": \"{ __typename }\"}')\n"
        "print(sorted(m for m in ('onnxruntime', 'numpy', 'PIL', 'onnx', 'pydantic') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
