"""POST /v1/devices/{id}/readings through the Chalice app: signed requests in, 202 or a clear 4xx out."""

import json
import secrets
import time
from datetime import UTC, datetime

import pytest
from chalice.test import Client

from app import app
from chalicelib.bootstrap import build_memory_container, use_container
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.sensing.devices import sign
from chalicelib.services.sensing.register_device import RegisterDevice, register_device

ADMIN = Principal("admin-1", "environment", frozenset({Role.ADMIN}))


@pytest.fixture
def stack():
    container = build_memory_container()
    use_container(container)
    registered = register_device(
        RegisterDevice("aq-001", "air_quality", 51.5072, -0.1276, "environment"),
        ADMIN,
        container.devices,
        container.keyring,
    )
    with Client(app) as client:
        yield client, container, bytes.fromhex(registered.secret)
    use_container(None)


def post(client, secret, body, device_id="aq-001", nonce=None, timestamp=None, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    path = f"/v1/devices/{device_id}/readings"
    ts = timestamp or str(int(time.time()))
    nonce = nonce or secrets.token_hex(12)
    headers = {
        "Content-Type": "application/json",
        "X-Concord-Timestamp": ts,
        "X-Concord-Nonce": nonce,
        "X-Concord-Signature": signature or sign(secret, "POST", path, ts, nonce, raw),
    }
    return client.http.post(path, headers=headers, body=raw)


def now_iso():
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def readings(*values, metric="pm2_5", unit="ug/m3"):
    return {
        "readings": [{"metric": metric, "value": v, "unit": unit, "observed_at": now_iso()} for v in values]
    }


def test_given_a_signed_valid_batch_when_posted_then_202_and_the_readings_are_queued(stack):
    client, container, secret = stack
    response = post(client, secret, readings(180.0))
    assert response.status_code == 202
    assert response.json_body["accepted"] == 1
    assert response.json_body["rejected"] == []
    assert len(container.queue.messages) == 1


def test_given_a_mixed_batch_then_the_valid_readings_are_accepted_and_the_others_say_why(stack):
    client, container, secret = stack
    body = readings(12.0)
    body["readings"].append({"metric": "pm2_5", "value": 5000, "unit": "ug/m3", "observed_at": now_iso()})
    body["readings"].append({"metric": "pm2_5", "value": 10, "unit": "ppm", "observed_at": now_iso()})
    response = post(client, secret, body)
    assert response.status_code == 202
    assert response.json_body["accepted"] == 1
    assert [(r["index"], r["code"]) for r in response.json_body["rejected"]] == [
        (1, "OUT_OF_RANGE"),
        (2, "UNIT_MISMATCH"),
    ]
    assert len(container.queue.messages[0][2]) == 1


def test_given_nan_literals_then_only_those_readings_are_rejected(stack):
    client, container, secret = stack
    at = now_iso()
    items = [
        f'{{"metric":"pm2_5","value":{v},"unit":"ug/m3","observed_at":"{at}"}}'
        for v in ("NaN", "Infinity", "20")
    ]
    raw = ('{"readings":[' + ",".join(items) + "]}").encode()
    response = post(client, secret, raw)
    assert response.status_code == 202
    assert [r["code"] for r in response.json_body["rejected"]] == ["INVALID_VALUE", "INVALID_VALUE"]


def test_given_only_bad_readings_then_422_and_nothing_is_queued(stack):
    client, container, secret = stack
    response = post(client, secret, readings(-5.0))
    assert response.status_code == 422
    assert response.json_body["code"] == "NO_VALID_READINGS"
    assert container.queue.messages == []


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b'{"readings": [', 400, "MALFORMED_JSON"),
        (b"\xff\xfe", 400, "MALFORMED_JSON"),
        (b'{"readings": "many"}', 400, "INVALID_BODY"),
        (json.dumps(readings(*([1.0] * 501))).encode(), 400, "TOO_MANY_READINGS"),
        (b'{"readings":[], "pad":"' + b"x" * (256 * 1024) + b'"}', 413, "PAYLOAD_TOO_LARGE"),
    ],
)
def test_given_an_unusable_body_then_a_4xx_with_a_code_and_nothing_queued(stack, raw, status, code):
    client, container, secret = stack
    response = post(client, secret, raw)
    assert response.status_code == status
    assert response.json_body["code"] == code
    assert response.json_body["message"]
    assert container.queue.messages == []


def test_given_an_unknown_device_then_401(stack):
    client, container, secret = stack
    response = post(client, secret, readings(10.0), device_id="ghost-1")
    assert (response.status_code, response.json_body["code"]) == (401, "UNKNOWN_DEVICE")


def test_given_a_disabled_device_then_403(stack):
    client, container, secret = stack
    container.devices.items["aq-001"].enabled = False
    response = post(client, secret, readings(10.0))
    assert (response.status_code, response.json_body["code"]) == (403, "DEVICE_DISABLED")


def test_given_a_bad_signature_then_401_and_nothing_queued(stack):
    client, container, secret = stack
    response = post(client, secret, readings(10.0), signature="ab" * 32)
    assert (response.status_code, response.json_body["code"]) == (401, "BAD_SIGNATURE")
    assert container.queue.messages == []


def test_given_a_replayed_nonce_then_the_second_request_is_refused(stack):
    client, container, secret = stack
    body = readings(10.0)
    assert post(client, secret, body, nonce="n" * 20).status_code == 202
    replay = post(client, secret, body, nonce="n" * 20)
    assert (replay.status_code, replay.json_body["code"]) == (401, "REPLAYED_NONCE")
    assert len(container.queue.messages) == 1


def test_given_a_stale_timestamp_then_401_clock_skew(stack):
    client, container, secret = stack
    response = post(client, secret, readings(10.0), timestamp=str(int(time.time()) - 400))
    assert (response.status_code, response.json_body["code"]) == (401, "CLOCK_SKEW")


def test_given_a_forged_request_then_its_nonce_stays_usable_for_the_real_device(stack):
    client, container, secret = stack
    forged = post(client, secret, readings(10.0), nonce="f" * 20, signature="cd" * 32)
    assert forged.status_code == 401
    genuine = post(client, secret, readings(10.0), nonce="f" * 20)
    assert genuine.status_code == 202
