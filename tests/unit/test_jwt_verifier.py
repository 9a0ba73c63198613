"""JwksTokenVerifier: RS256 tokens checked against a JWKS file written by the test (no network)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from chalicelib.adapters.jwt_verifier import JwksTokenVerifier
from chalicelib.domain.errors import AuthenticationFailed
from chalicelib.domain.principal import Role

ISSUER = "https://issuer.example.test/pool"
AUDIENCE = "concord-console"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def rotated_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_jwks(path: Path, keys: dict[str, rsa.RSAPrivateKey]) -> None:
    jwks = [
        {**RSAAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": kid, "alg": "RS256", "use": "sig"}
        for kid, key in keys.items()
    ]
    path.write_text(json.dumps({"keys": jwks}))


@pytest.fixture
def jwks_file(tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> Path:
    path = tmp_path / "jwks.json"
    write_jwks(path, {"key-1": signing_key})
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def verifier(jwks_file: Path, clock: FakeClock) -> JwksTokenVerifier:
    return JwksTokenVerifier(jwks_file.as_uri(), ISSUER, AUDIENCE, leeway_s=30, clock=clock)


def id_claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "user-42",
        "aud": AUDIENCE,
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
        "custom:agency": "transport",
        "custom:crew_id": "crew-7",
        "cognito:groups": ["operator", "admin", "wizards"],
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def sign(key: rsa.RSAPrivateKey, claims: dict[str, Any], kid: str = "key-1") -> str:
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def rejection_code(verifier: JwksTokenVerifier, token: str) -> str:
    with pytest.raises(AuthenticationFailed) as caught:
        verifier.verify(token)
    assert caught.value.message and token not in caught.value.message
    return caught.value.code


def test_given_a_valid_id_token_when_verified_then_the_principal_carries_its_claims(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    principal = verifier.verify(sign(signing_key, id_claims()))

    assert principal.subject == "user-42"
    assert principal.agency == "transport"
    assert principal.roles == frozenset({Role.OPERATOR, Role.ADMIN})
    assert principal.crew_id == "crew-7"


def test_given_a_cognito_access_token_for_our_client_when_verified_then_it_is_accepted(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    claims = id_claims(aud=None, token_use="access", client_id=AUDIENCE, **{"custom:crew_id": None})

    principal = verifier.verify(sign(signing_key, claims))

    assert principal.agency == "transport"
    assert principal.crew_id is None


def test_given_an_expired_token_when_verified_then_it_is_rejected_as_expired(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    now = int(time.time())
    token = sign(signing_key, id_claims(iat=now - 3600, exp=now - 120))

    assert rejection_code(verifier, token) == "TOKEN_EXPIRED"


@pytest.mark.parametrize("claim", ["iat", "nbf"])
def test_given_a_token_valid_only_in_the_future_when_verified_then_it_is_rejected(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey, claim: str
) -> None:
    token = sign(signing_key, id_claims(**{claim: int(time.time()) + 300}))

    assert rejection_code(verifier, token) == "TOKEN_NOT_YET_VALID"


def test_given_a_clock_skew_within_the_leeway_when_verified_then_the_token_is_accepted(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    token = sign(signing_key, id_claims(iat=int(time.time()) + 10))

    assert verifier.verify(token).subject == "user-42"


def test_given_a_token_from_another_issuer_when_verified_then_it_is_rejected(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    token = sign(signing_key, id_claims(iss="https://elsewhere.example.test/pool"))

    assert rejection_code(verifier, token) == "WRONG_ISSUER"


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "another-client"},
        {"aud": None, "token_use": "access", "client_id": "another-client"},
        {"aud": None, "token_use": "id", "client_id": AUDIENCE},
    ],
    ids=["id-token-for-another-client", "access-token-for-another-client", "id-token-without-aud"],
)
def test_given_a_token_for_another_audience_when_verified_then_it_is_rejected(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey, overrides: dict[str, Any]
) -> None:
    token = sign(signing_key, id_claims(**overrides))

    assert rejection_code(verifier, token) == "WRONG_AUDIENCE"


def test_given_an_unsigned_alg_none_token_when_verified_then_it_is_rejected(
    verifier: JwksTokenVerifier,
) -> None:
    token = jwt.encode(id_claims(), "", algorithm="none", headers={"kid": "key-1"})

    assert rejection_code(verifier, token) == "UNSUPPORTED_ALGORITHM"


def test_given_an_hs256_token_keyed_with_the_public_key_pem_when_verified_then_it_is_rejected(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = ".".join(
        (
            b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "key-1"}).encode()),
            b64(json.dumps(id_claims()).encode()),
        )
    )
    signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()

    assert rejection_code(verifier, f"{signing_input}.{b64(signature)}") == "UNSUPPORTED_ALGORITHM"


def test_given_a_token_signed_with_an_unknown_key_when_verified_then_it_is_rejected(
    verifier: JwksTokenVerifier, rotated_key: rsa.RSAPrivateKey
) -> None:
    token = sign(rotated_key, id_claims(), kid="key-2")

    assert rejection_code(verifier, token) == "UNKNOWN_KEY"


def test_given_keys_rotated_when_a_new_kid_arrives_then_the_jwks_is_refetched_at_most_once_a_minute(
    verifier: JwksTokenVerifier,
    jwks_file: Path,
    clock: FakeClock,
    signing_key: rsa.RSAPrivateKey,
    rotated_key: rsa.RSAPrivateKey,
) -> None:
    verifier.verify(sign(signing_key, id_claims()))  # loads and caches the key set
    write_jwks(jwks_file, {"key-1": signing_key, "key-2": rotated_key})
    rotated_token = sign(rotated_key, id_claims(), kid="key-2")

    clock.now += 30
    assert rejection_code(verifier, rotated_token) == "UNKNOWN_KEY"

    clock.now += 31
    assert verifier.verify(rotated_token).subject == "user-42"


def test_given_a_tampered_payload_when_verified_then_the_signature_check_rejects_it(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    header, _, signature = sign(signing_key, id_claims()).split(".")
    forged_payload = b64(json.dumps(id_claims(**{"custom:agency": "police"})).encode())

    assert rejection_code(verifier, f"{header}.{forged_payload}.{signature}") == "INVALID_SIGNATURE"


def test_given_a_token_without_agency_when_verified_then_it_is_rejected(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    token = sign(signing_key, id_claims(**{"custom:agency": None}))

    assert rejection_code(verifier, token) == "MISSING_AGENCY"


def test_given_a_token_without_expiry_when_verified_then_it_is_rejected(
    verifier: JwksTokenVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    token = sign(signing_key, id_claims(exp=None))

    assert rejection_code(verifier, token) == "MISSING_CLAIM"


def test_given_garbage_instead_of_a_token_when_verified_then_it_is_rejected(
    verifier: JwksTokenVerifier,
) -> None:
    assert rejection_code(verifier, "not-a-jwt") == "INVALID_TOKEN"


@pytest.mark.parametrize("location", ["missing-file", "plain-http"])
def test_given_an_unreadable_key_set_when_a_token_is_verified_then_keys_are_reported_unavailable(
    tmp_path: Path, signing_key: rsa.RSAPrivateKey, location: str
) -> None:
    url = (tmp_path / "missing.json").as_uri() if location == "missing-file" else "http://issuer.test/jwks"
    verifier = JwksTokenVerifier(url, ISSUER, AUDIENCE)

    with pytest.raises(AuthenticationFailed) as caught:
        verifier.verify(sign(signing_key, id_claims()))

    assert caught.value.code == "KEYS_UNAVAILABLE"
    assert str(tmp_path) not in caught.value.message and "http" not in caught.value.message
