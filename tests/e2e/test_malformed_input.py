"""Hostile bodies against the running local stack over real HTTP: each answers a 4xx JSON refusal with
a code, never a 500, on /graphql and on a device route."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import RunningStack
from tests.e2e.test_local_stack import register

pytestmark = pytest.mark.e2e

DEEP = b"[" * 20000 + b"]" * 20000  # ~40 KB
JSON = {"Content-Type": "application/json"}


def test_given_deep_nesting_as_body_or_variables_when_posted_to_graphql_then_400_json_too_deep(
    stack: RunningStack,
) -> None:
    bearer = {**JSON, "Authorization": f"Bearer {stack.token('transport', 'operator')}"}
    in_variables = b'{"query": "{ incidents { pageInfo { hasNextPage } } }", "variables": ' + DEEP + b"}"

    answers = [
        stack.api.request("POST", "/graphql", body, headers)
        for body in (DEEP, in_variables)
        for headers in (JSON, bearer)
    ]

    assert [(answer.status, answer.body["code"]) for answer in answers] == [(400, "JSON_TOO_DEEP")] * 4
    assert all(answer.body["message"] for answer in answers)


def test_given_a_signed_deep_body_when_a_sensor_posts_readings_then_400_json_too_deep(
    stack: RunningStack,
) -> None:
    device_id, secret = register(stack, 51.49, -0.11)

    refused = stack.api.signed_post(f"/v1/devices/{device_id}/readings", secret, DEEP)
    truncated = stack.api.signed_post(f"/v1/devices/{device_id}/readings", secret, b'{"readings": [')

    assert (refused.status, refused.body["code"]) == (400, "JSON_TOO_DEEP")
    assert (truncated.status, truncated.body["code"]) == (400, "MALFORMED_JSON")
    assert refused.body["message"] and truncated.body["message"]
