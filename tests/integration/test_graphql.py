"""POST /graphql through a Chalice app: real RS256 tokens, in-memory repositories.

The helpers at the top (container, client, tokens, requests) are shared with the other GraphQL test
modules (sharing, protection), which import them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import h3
import jwt
import pytest
from chalice import Chalice
from chalice.app import Response
from chalice.test import Client
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from chalicelib.adapters.jwt_verifier import JwksTokenVerifier
from chalicelib.bootstrap import Container, build_memory_container
from chalicelib.domain.categories import Severity
from chalicelib.domain.incidents.incident import Incident, IncidentStatus
from chalicelib.gql.view import graphql_response
from chalicelib.settings import Settings

ISSUER = "https://issuer.example.test/pool"
AUDIENCE = "concord-console"
OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations" / "console"
INCIDENTS = (OPERATIONS / "Incidents.graphql").read_text()
INCIDENT = (OPERATIONS / "Incident.graphql").read_text()
REGISTER_DEVICE = (OPERATIONS / "RegisterDevice.graphql").read_text()
T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class Clock:
    """The container's clock, which a test can move (grant expiry is judged by it)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def jwks_verifier(tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> JwksTokenVerifier:
    """A real verifier reading the signing key's JWKS from a file."""
    jwk = {**RSAAlgorithm.to_jwk(signing_key.public_key(), as_dict=True), "kid": "k1", "alg": "RS256"}
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [jwk]}))
    return JwksTokenVerifier(jwks.as_uri(), ISSUER, AUDIENCE)


def build_container(
    tmp_path: Path,
    signing_key: rsa.RSAPrivateKey,
    clock: Clock | None = None,
    max_body_bytes: int = 16 * 1024,
) -> Container:
    return build_memory_container(
        settings=Settings(jwt_issuer=ISSUER, jwt_audience=AUDIENCE, max_body_bytes=max_body_bytes),
        token_verifier=jwks_verifier(tmp_path, signing_key),
        clock=clock or Clock(NOW),
    )


@contextmanager
def graphql_client(container: Container) -> Iterator[Client]:
    app = Chalice("graphql-under-test")

    @app.route("/graphql", methods=["GET", "POST"], content_types=["application/json", "text/plain"])
    def graphql() -> Response:
        assert app.current_request is not None
        return graphql_response(app.current_request, container)

    with Client(app) as test_client:
        yield test_client


Token = Callable[..., str]


def token_issuer(signing_key: rsa.RSAPrivateKey) -> Token:
    def issue(agency: str = "environment", roles: tuple[str, ...] = ("operator",), **claims: Any) -> str:
        now = int(datetime.now(UTC).timestamp())
        body = {
            "iss": ISSUER,
            "sub": f"{agency}-{'-'.join(roles)}",
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 600,
        }
        body |= {"custom:agency": agency, "cognito:groups": list(roles), **claims}
        return jwt.encode(body, signing_key, algorithm="RS256", headers={"kid": "k1"})

    return issue


@pytest.fixture
def container(tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> Container:
    return build_container(tmp_path, signing_key)


def post(client: Client, query: str, bearer: str | None, **variables: Any) -> Any:
    headers = {"Content-Type": "application/json"}
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    return client.http.post(
        "/graphql", headers=headers, body=json.dumps({"query": query, "variables": variables})
    )


def answer(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def incident(number: int, agency: str = "environment", **changes: Any) -> Incident:
    seen = T0 + timedelta(minutes=number)
    defaults: dict[str, Any] = {
        "incident_id": f"inc-{agency}-{number}",
        "owner_agency": agency,
        "sub_category": "airPollution",
        "status": IncidentStatus.OPEN,
        "severity": Severity.MEDIUM,
        "confidence": 0.8,
        "title": f"Air pollution {number}",
        "lat": 51.5,
        "lon": -0.12,
        "first_seen": seen - timedelta(minutes=5),
        "last_seen": seen,
        "event_count": number,
        "peak_magnitude": 80.0,
    }
    values = defaults | changes
    values.setdefault("h3_cell", str(h3.latlng_to_cell(values["lat"], values["lon"], 9)))
    return Incident(**values)


def store(container: Container, *incidents: Incident) -> None:
    for item in incidents:
        container.incidents.put(item)  # type: ignore[attr-defined]


def listed_ids(body: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in body["data"]["incidents"]["edges"]]


DEVICE = {"deviceId": "aq-0001", "kind": "air_quality", "lat": 51.5, "lon": -0.12}


def test_given_no_authorization_header_when_posting_then_the_public_is_answered(
    client: Client, container: Container
) -> None:
    store(container, incident(1))

    body = answer(post(client, INCIDENTS, bearer=None))

    assert listed_ids(body) == ["inc-environment-1"]
    assert body["data"]["incidents"]["edges"][0]["node"]["accessLevel"] == "PUBLIC"


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   "])
def test_given_an_authorization_header_without_a_bearer_token_when_posting_then_401_asks_for_one(
    client: Client, header: str
) -> None:
    response = client.http.post(
        "/graphql",
        headers={"Content-Type": "application/json", "Authorization": header},
        body=json.dumps({"query": INCIDENTS}),
    )

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert json.loads(response.body)["code"] == "MISSING_TOKEN"


@pytest.mark.parametrize(
    ("claims", "code"),
    [({"iss": "https://elsewhere.example.test"}, "WRONG_ISSUER"), ({"exp": 1_000_000}, "TOKEN_EXPIRED")],
)
def test_given_a_bad_token_when_posting_then_401_says_why(
    client: Client, token: Token, claims: dict[str, Any], code: str
) -> None:
    response = post(client, INCIDENTS, bearer=token(**claims))

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert json.loads(response.body)["code"] == code


def test_given_a_forged_token_when_posting_then_401(client: Client) -> None:
    forged = jwt.encode({"sub": "x"}, rsa.generate_private_key(65537, 2048), "RS256", headers={"kid": "k1"})

    assert post(client, INCIDENTS, bearer=forged).status_code == 401


def test_given_two_agencies_when_listing_then_a_user_sees_only_their_own_agencys_incidents(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1), incident(2), incident(3, agency="police"))

    body = answer(post(client, INCIDENTS, bearer=token(agency="environment")))

    assert sorted(listed_ids(body)) == ["inc-environment-1", "inc-environment-2"]


def test_given_another_agencys_incident_when_asked_by_id_then_only_what_the_public_sees_is_shown(
    client: Client, container: Container, token: Token
) -> None:
    store(container, incident(1, agency="police"), incident(2), incident(3, agency="police", sensitive=True))

    foreign = answer(post(client, INCIDENT, bearer=token(), id="inc-police-1"))
    embargoed = answer(post(client, INCIDENT, bearer=token(), id="inc-police-3"))
    own = answer(post(client, INCIDENT, bearer=token(), id="inc-environment-2"))

    assert foreign["data"]["incident"]["accessLevel"] == "PUBLIC"
    assert foreign["data"]["incident"]["title"] is None
    assert foreign["data"]["incident"]["location"] is None
    assert embargoed == {"data": {"incident": None}}
    assert own["data"]["incident"]["title"] == "Air pollution 2"
    assert own["data"]["incident"]["status"] == "OPEN"
    assert own["data"]["incident"]["lastSeen"].startswith("2024-05-01T08:02:00")


def test_given_more_incidents_than_a_page_when_following_end_cursors_then_every_incident_comes_once(
    client: Client, container: Container, token: Token
) -> None:
    store(container, *(incident(number) for number in range(1, 6)))
    seen: list[str] = []
    pages: list[bool] = []
    after = None
    for _ in range(5):
        page = answer(post(client, INCIDENTS, bearer=token(), first=2, after=after))["data"]["incidents"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        pages.append(page["pageInfo"]["hasNextPage"])
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break

    assert seen == [f"inc-environment-{number}" for number in (5, 4, 3, 2, 1)]
    assert pages == [True, True, False]


def test_given_an_edge_cursor_inside_a_page_when_used_as_after_then_the_list_resumes_after_that_edge(
    client: Client, container: Container, token: Token
) -> None:
    store(container, *(incident(number) for number in range(1, 6)))
    first_page = answer(post(client, INCIDENTS, bearer=token(), first=3))["data"]["incidents"]

    resumed = answer(post(client, INCIDENTS, bearer=token(), first=2, after=first_page["edges"][0]["cursor"]))

    assert listed_ids(resumed) == ["inc-environment-4", "inc-environment-3"]
    assert resumed["data"]["incidents"]["pageInfo"]["hasNextPage"] is True


def test_given_a_cursor_this_api_never_issued_when_listing_then_an_invalid_cursor_error(
    client: Client, token: Token
) -> None:
    assert error_codes(answer(post(client, INCIDENTS, bearer=token(), after="garbage"))) == ["INVALID_CURSOR"]


def test_given_a_page_size_out_of_range_when_listing_then_the_error_names_the_limit(
    client: Client, token: Token
) -> None:
    body = answer(post(client, INCIDENTS, bearer=token(), first=500))

    assert error_codes(body) == ["INVALID_PAGE_SIZE"]
    assert "100" in body["errors"][0]["message"]


def test_given_mixed_incidents_when_filtering_by_status_and_category_then_only_matches_are_listed(
    client: Client, container: Container, token: Token
) -> None:
    store(
        container,
        incident(1),
        incident(2, status=IncidentStatus.VERIFIED),
        incident(3, sub_category="flood", status=IncidentStatus.VERIFIED),
        incident(4, sub_category="flood"),
    )

    verified = answer(post(client, INCIDENTS, bearer=token(), status="VERIFIED"))
    floods = answer(post(client, INCIDENTS, bearer=token(), category="naturalDisaster"))

    assert listed_ids(verified) == ["inc-environment-3", "inc-environment-2"]
    assert listed_ids(floods) == ["inc-environment-4", "inc-environment-3"]
    assert {edge["node"]["subCategory"] for edge in floods["data"]["incidents"]["edges"]} == {"flood"}


def test_given_an_admin_when_registering_a_device_then_the_secret_is_returned_once(
    client: Client, token: Token
) -> None:
    admin = token(agency="environment", roles=("admin",))

    first = answer(post(client, REGISTER_DEVICE, bearer=admin, input=DEVICE))
    again = answer(post(client, REGISTER_DEVICE, bearer=admin, input=DEVICE))

    payload = first["data"]["registerDevice"]
    assert payload["device"]["agency"] == "environment"
    assert payload["device"]["deviceId"] == "aq-0001"
    assert len(bytes.fromhex(payload["secret"])) >= 16
    assert again["data"] is None and error_codes(again) == ["CONFLICT"]
    assert payload["secret"] not in json.dumps(again)


def test_given_a_non_admin_when_registering_a_device_then_forbidden(client: Client, token: Token) -> None:
    body = answer(post(client, REGISTER_DEVICE, bearer=token(roles=("operator",)), input=DEVICE))

    assert body["data"] is None and error_codes(body) == ["FORBIDDEN"]


def test_given_an_unknown_device_kind_when_registering_then_invalid_device_explains_the_kinds(
    client: Client, token: Token
) -> None:
    admin = token(roles=("admin",))
    body = answer(post(client, REGISTER_DEVICE, bearer=admin, input=DEVICE | {"kind": "toaster"}))

    assert error_codes(body) == ["INVALID_DEVICE"]
    assert "air_quality" in body["errors"][0]["message"]


def test_given_a_query_for_an_unknown_field_when_posted_then_a_validation_error_not_a_500(
    client: Client, token: Token
) -> None:
    body = answer(post(client, "{ incidents { edges { node { secretField } } } }", bearer=token()))

    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


def test_given_malformed_json_when_posted_then_400_with_a_json_error(client: Client, token: Token) -> None:
    response = client.http.post(
        "/graphql",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token()}"},
        body='{"query": "{ incidents { edges { cursor } } }"',
    )

    assert response.status_code == 400
    assert json.loads(response.body)["code"] == "MALFORMED_JSON"


def test_given_a_text_plain_body_when_posted_then_it_is_read_as_json(client: Client, token: Token) -> None:
    response = client.http.post(
        "/graphql",
        headers={"Content-Type": "text/plain", "Authorization": f"Bearer {token()}"},
        body=json.dumps({"query": "{ incidents { pageInfo { hasNextPage } } }"}),
    )

    assert answer(response) == {"data": {"incidents": {"pageInfo": {"hasNextPage": False}}}}


def test_given_a_body_over_the_limit_when_posted_then_413(client: Client, token: Token) -> None:
    padding = " " * (16 * 1024)
    response = client.http.post(
        "/graphql",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token()}"},
        body=json.dumps({"query": "{ incidents { pageInfo { hasNextPage } } }" + padding}),
    )

    assert response.status_code == 413
    assert json.loads(response.body)["code"] == "PAYLOAD_TOO_LARGE"


def test_given_local_mode_when_a_browser_gets_graphql_then_graphiql_is_served(
    client: Client, container: Container
) -> None:
    container.settings = replace(container.settings, local_mode=True)

    response = client.http.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "graphiql" in response.body.decode().lower()


def test_given_a_deployed_stage_when_a_browser_gets_graphql_then_404_without_graphiql(
    client: Client, container: Container
) -> None:
    container.settings = replace(container.settings, local_mode=False)

    response = client.http.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 404
    assert json.loads(response.body)["code"] == "NOT_FOUND"


class BrokenIncidents:
    def get(self, incident_id: str) -> Incident | None:
        raise RuntimeError("connection to db-internal.example:5432 refused")


def test_given_a_failing_repository_when_queried_then_the_error_is_masked_and_logged(
    client: Client, container: Container, token: Token, caplog: pytest.LogCaptureFixture
) -> None:
    container.incidents = BrokenIncidents()  # type: ignore[assignment]

    with caplog.at_level(logging.ERROR):
        response = post(client, INCIDENT, bearer=token(), id="inc-1")

    body = answer(response)
    assert body["errors"][0]["message"] == "Internal error"
    assert error_codes(body) == ["INTERNAL"]
    assert "db-internal" not in response.body.decode()
    assert "db-internal" in caplog.text
