"""Malformed and hostile request bodies through the Chalice app (app.py, its middleware included), on every
route that reads JSON: POST /graphql (the body and its `variables`, with and without a token) and the
signed device routes (readings, uploads). Each answers a 4xx JSON body with a `code` and a `message`,
never a 500; a document nested as deep as allowed still works."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.bootstrap import Container, use_container
from chalicelib.domain.instants import format_instant
from chalicelib.domain.json_bodies import MAX_JSON_DEPTH
from chalicelib.domain.principal import Principal, Role
from chalicelib.domain.sensing.devices import sign
from chalicelib.services.sensing.register_device import RegisterDevice, register_device
from tests.integration.test_graphql import NOW, build_container

ADMIN = Principal("admin-1", "environment", frozenset({Role.ADMIN}))
QUERY = "{ incidents { pageInfo { hasNextPage } } }"
ARRAYS = "[" * 20000 + "]" * 20000  # ~40 KB: the body of the report
OBJECTS = '{"a":' * 8000 + "1" + "}" * 8000
SMALL_ARRAYS = (
    "[" * 1500 + "]" * 1500
)  # within the uploads route's 4 KB, still deeper than Python's recursion
SMALL_OBJECTS = '{"a":' * 600 + "1" + "}" * 600


def nested(depth: int) -> str:
    """A JSON value of exactly `depth` levels of arrays and objects, alternating."""
    text = "1"
    for level in range(depth):
        text = f"[{text}]" if level % 2 else f'{{"k":{text}}}'
    return text


def graphql_body(variables: str) -> str:
    return '{"query": ' + json.dumps(QUERY) + ', "variables": ' + variables + "}"


@dataclass
class Stack:
    client: Client
    container: Container
    secrets: dict[str, bytes]
    bearer: str

    def graphql(self, body: str | bytes, signed_in: bool) -> Any:
        headers = {"Content-Type": "application/json"}
        if signed_in:
            headers["Authorization"] = f"Bearer {self.bearer}"
        return self.client.http.post("/graphql", headers=headers, body=body)

    def signed(self, route: str, body: bytes, device_id: str) -> Any:
        path = f"/v1/devices/{device_id}/{route}"
        ts, nonce = str(int(NOW.timestamp())), secrets.token_hex(12)  # the container's clock
        headers = {
            "Content-Type": "application/json",
            "X-Concord-Timestamp": ts,
            "X-Concord-Nonce": nonce,
            "X-Concord-Signature": sign(self.secrets[device_id], "POST", path, ts, nonce, body),
        }
        return self.client.http.post(path, headers=headers, body=body)


@pytest.fixture
def stack(tmp_path: Path, signing_key: Any, token: Any) -> Iterator[Stack]:
    container = build_container(tmp_path, signing_key, max_body_bytes=256 * 1024)
    keys = {}
    for device_id, kind in (("aq-1", "air_quality"), ("cam-1", "camera")):
        registered = register_device(
            RegisterDevice(device_id, kind, 51.5, -0.12, "environment"),
            ADMIN,
            container.devices,
            container.keyring,
        )
        keys[device_id] = bytes.fromhex(registered.secret)
    use_container(container)
    with Client(app) as client:
        yield Stack(client, container, keys, token("environment", ("operator",)))
    use_container(None)


def refusal(response: Any) -> tuple[int, str]:
    """The status and code of a JSON refusal that also says why in words."""
    assert response.headers["Content-Type"].startswith("application/json")
    body = json.loads(response.body)
    assert isinstance(body["message"], str) and body["message"]
    return response.status_code, body["code"]


HOSTILE = {
    "nested arrays as the body": (ARRAYS, 400, "JSON_TOO_DEEP"),
    "nested objects as the body": (OBJECTS, 400, "JSON_TOO_DEEP"),
    "nested arrays in variables": (graphql_body(ARRAYS), 400, "JSON_TOO_DEEP"),
    "nested objects in variables": (graphql_body(OBJECTS), 400, "JSON_TOO_DEEP"),
    "one level too deep": (graphql_body(nested(MAX_JSON_DEPTH)), 400, "JSON_TOO_DEEP"),
    "a 10 MB body": (graphql_body('"' + "x" * 10 * 1024 * 1024 + '"'), 413, "PAYLOAD_TOO_LARGE"),
    "invalid UTF-8": (b'{"query": "\xff\xfe"}', 400, "MALFORMED_JSON"),
    "truncated JSON": (graphql_body('{"first": [1, 2'), 400, "MALFORMED_JSON"),
    "unbalanced closers": ('{"query": "x"}]]]]', 400, "MALFORMED_JSON"),
    "a NaN literal": (graphql_body('{"n": NaN}'), 400, "MALFORMED_JSON"),
    "a 5000-digit number": (graphql_body('{"n": ' + "9" * 5000 + "}"), 400, "JSON_NUMBER_TOO_LONG"),
    "an empty body": (b"", 400, "MALFORMED_JSON"),
}


@pytest.mark.parametrize("signed_in", [True, False], ids=["with a token", "without a token"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_given_a_hostile_body_when_posted_to_graphql_then_a_4xx_with_a_code_never_a_500(
    stack, case, signed_in
):
    body, status, code = HOSTILE[case]

    assert refusal(stack.graphql(body, signed_in)) == (status, code)


def test_given_a_document_as_deep_as_allowed_when_posted_to_graphql_then_it_is_answered(stack):
    deepest = graphql_body(nested(MAX_JSON_DEPTH - 1))  # the body object is the first level
    brackets_in_text = graphql_body(json.dumps({"note": "[{" * 20000}))  # brackets in strings do not nest

    for body in (deepest, brackets_in_text):
        response = stack.graphql(body, signed_in=True)
        assert response.status_code == 200, response.body
        assert json.loads(response.body) == {"data": {"incidents": {"pageInfo": {"hasNextPage": False}}}}


def readings_with(extra: str) -> bytes:
    at = format_instant(NOW)
    reading = {"metric": "pm2_5", "value": 12.0, "unit": "ug/m3", "observed_at": at}
    return ('{"readings": [' + json.dumps(reading) + '], "extra": ' + extra + "}").encode()


SIGNED = {
    "nested arrays as the body": (SMALL_ARRAYS.encode(), 400, "JSON_TOO_DEEP"),
    "nested objects as the body": (SMALL_OBJECTS.encode(), 400, "JSON_TOO_DEEP"),
    "nested arrays inside": (readings_with(SMALL_ARRAYS), 400, "JSON_TOO_DEEP"),
    "a 10 MB body": (readings_with('"' + "x" * 10 * 1024 * 1024 + '"'), 413, "PAYLOAD_TOO_LARGE"),
    "invalid UTF-8": (b'{"readings": "\xff\xfe"}', 400, "MALFORMED_JSON"),
    "truncated JSON": (readings_with("[1, 2")[:-1], 400, "MALFORMED_JSON"),
    "a 3000-digit number": (readings_with("9" * 3000), 400, "JSON_NUMBER_TOO_LONG"),
}


@pytest.mark.parametrize(("route", "device_id"), [("readings", "aq-1"), ("uploads", "cam-1")])
@pytest.mark.parametrize("case", sorted(SIGNED))
def test_given_a_hostile_signed_body_when_posted_by_a_device_then_a_4xx_with_a_code_never_a_500(
    stack, case, route, device_id
):
    body, status, code = SIGNED[case]

    assert refusal(stack.signed(route, body, device_id)) == (status, code)
    assert stack.container.queue.messages == []  # type: ignore[attr-defined]


def test_given_a_number_past_pythons_digit_limit_when_readings_are_posted_then_400_not_500(stack):
    response = stack.signed("readings", readings_with("9" * 5000), "aq-1")  # int() refuses > 4300 digits

    assert refusal(response) == (400, "JSON_NUMBER_TOO_LONG")


def test_given_a_hostile_unsigned_body_when_posted_by_a_device_then_refused_before_it_is_parsed(stack):
    response = stack.client.http.post(
        "/v1/devices/aq-1/readings", headers={"Content-Type": "application/json"}, body=ARRAYS
    )

    assert refusal(response)[0] == 401


def test_given_device_bodies_as_deep_as_allowed_when_posted_then_accepted(stack):
    deepest = nested(MAX_JSON_DEPTH - 1)  # the body object is the first level
    at = format_instant(NOW)
    upload = '{"contentType": "image/jpeg", "capturedAt": "' + at + '", "extra": ' + deepest + "}"

    readings = stack.signed("readings", readings_with(deepest), "aq-1")
    ticket = stack.signed("uploads", upload.encode(), "cam-1")

    assert readings.status_code == 202, readings.body
    assert json.loads(readings.body)["accepted"] == 1
    assert ticket.status_code == 201, ticket.body
