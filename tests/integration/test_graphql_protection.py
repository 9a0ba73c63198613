"""What POST /graphql refuses, each with its own code: oversized operations (tokens, depth, aliases,
cost), introspection by the public, filters above the caller's level, cursors it did not issue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.bootstrap import Container
from chalicelib.gql.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from chalicelib.gql.query_cost import MAX_COST
from tests.integration.test_graphql import (
    INCIDENTS,
    Token,
    answer,
    build_container,
    error_codes,
    incident,
    listed_ids,
    post,
    store,
)

INTROSPECTION = "{ __schema { queryType { name } types { name } } }"


@pytest.fixture
def container(tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> Container:
    return build_container(tmp_path, signing_key, max_body_bytes=64 * 1024)


def refused_with(body: dict[str, Any], code: str) -> bool:
    return body["data"] is None and code in error_codes(body)


def test_given_more_tokens_than_the_limit_when_posted_then_too_many_tokens(
    client: Client, token: Token
) -> None:
    query = "{ incidents { edges { node { " + "id " * MAX_TOKENS + "} } } }"

    assert refused_with(answer(post(client, query, token())), "TOO_MANY_TOKENS")


def test_given_fields_nested_deeper_than_the_limit_when_posted_then_query_too_deep(
    client: Client, token: Token
) -> None:
    nested = "{ incidents { edges { node { location { lat } } } } }"
    for level in range(MAX_DEPTH):
        nested = nested.replace("{ lat }", f"{{ lat{level} {{ lat }} }}")

    assert refused_with(answer(post(client, nested, token())), "QUERY_TOO_DEEP")


def test_given_more_aliases_than_the_limit_when_posted_then_too_many_aliases(
    client: Client, token: Token
) -> None:
    fields = " ".join(f"a{number}: __typename" for number in range(MAX_ALIASES + 1))

    body = answer(post(client, "{ " + fields + " }", token()))
    allowed = answer(post(client, "{ " + " ".join(fields.split()[: 2 * MAX_ALIASES]) + " }", token()))

    assert refused_with(body, "TOO_MANY_ALIASES")
    assert "errors" not in allowed


COSTLY = """query ($n: Int!) { incidents(first: $n) { edges { node {
  id title events(first: 10) { id subCategory severity confidence magnitude observedAt detector description }
  tasks { id agency crewId status } notes { id text author }
} } } }"""


def test_given_an_operation_estimated_above_the_cost_limit_when_posted_then_query_too_costly(
    client: Client, token: Token
) -> None:
    body = answer(post(client, COSTLY, token(), n=100))
    cheap = answer(post(client, COSTLY, token(), n=5))

    assert refused_with(body, "QUERY_TOO_COSTLY")
    assert body["errors"][0]["extensions"]["cost"] > MAX_COST
    assert "errors" not in cheap


def test_given_the_public_when_introspecting_then_refused_while_an_agency_user_may(
    client: Client, token: Token
) -> None:
    public = answer(post(client, INTROSPECTION, None))
    agency = answer(post(client, INTROSPECTION, token()))
    typename = answer(post(client, "{ __typename }", None))

    assert refused_with(public, "INTROSPECTION_DISABLED")
    assert agency["data"]["__schema"]["queryType"] == {"name": "Query"}
    assert typename == {"data": {"__typename": "Query"}}


def test_given_the_public_when_filtering_by_status_then_refused_but_category_is_allowed(
    client: Client, container: Container
) -> None:
    store(container, incident(1), incident(2, sub_category="flood"))

    by_status = answer(post(client, INCIDENTS, None, status="OPEN"))
    by_category = answer(post(client, INCIDENTS, None, category="naturalDisaster"))

    assert error_codes(by_status) == ["FORBIDDEN_FILTER"]
    assert listed_ids(by_category) == ["inc-environment-2"]


def end_cursor(client: Client, bearer: str | None, **variables: Any) -> str:
    page = answer(post(client, INCIDENTS, bearer, first=1, **variables))["data"]["incidents"]
    assert page["pageInfo"]["hasNextPage"] is True
    return str(page["pageInfo"]["endCursor"])


def tampered(cursor: str) -> str:
    middle = len(cursor) // 2
    return cursor[:middle] + ("A" if cursor[middle] != "A" else "B") + cursor[middle + 1 :]


def test_given_a_cursor_forged_altered_or_issued_for_another_scope_when_used_then_invalid_cursor(
    client: Client, container: Container, token: Token
) -> None:
    store(container, *(incident(number) for number in range(1, 4)), incident(4, agency="police"))
    store(container, incident(5, agency="police"))
    mine = end_cursor(client, token())
    filtered = end_cursor(client, token(), status="OPEN")
    public = end_cursor(client, None)

    attempts = [
        (token(), "c1.WyJ4IiwwXQ"),
        (token(), tampered(mine)),
        (token(), filtered),
        (token(agency="police"), mine),
        (None, mine),
        (token(), public),
    ]

    assert [
        error_codes(answer(post(client, INCIDENTS, bearer, after=after))) for bearer, after in attempts
    ] == [["INVALID_CURSOR"]] * len(attempts)
    assert "errors" not in answer(post(client, INCIDENTS, token(), after=mine))


def test_given_any_refusal_when_answered_then_every_error_has_a_code_and_no_internals(
    client: Client, token: Token
) -> None:
    bodies = [
        answer(post(client, "{ incidents { edges { node { nope } } } }", token())),
        answer(post(client, "{ incidents(", token())),
        answer(post(client, INTROSPECTION, None)),
    ]

    for body in bodies:
        assert all(error["extensions"]["code"] for error in body["errors"])
        assert "Traceback" not in json.dumps(body)
