"""Verify RS256 bearer tokens against a JWKS (Cognito in AWS, the dev issuer's key file locally)."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from chalicelib.domain.errors import AuthenticationFailed
from chalicelib.domain.principal import Principal, Role
from chalicelib.observability import logger

ALGORITHM = "RS256"
REFETCH_INTERVAL_S = 60.0
FETCH_TIMEOUT_S = 5.0
MAX_JWKS_BYTES = 1024 * 1024
REQUIRED_CLAIMS = ["exp", "iat", "iss", "sub"]
ROLE_NAMES = {role.value: role for role in Role}

# Most specific first: ExpiredSignatureError and InvalidSignatureError are subclasses of the later ones.
_FAILURES: list[tuple[type[Exception], str, str]] = [
    (jwt.ExpiredSignatureError, "TOKEN_EXPIRED", "the token has expired"),
    (jwt.ImmatureSignatureError, "TOKEN_NOT_YET_VALID", "the token is not valid yet"),
    (jwt.InvalidIssuerError, "WRONG_ISSUER", "the token was not issued by the expected issuer"),
    (jwt.InvalidSignatureError, "INVALID_SIGNATURE", "the token signature does not match"),
    (jwt.InvalidAlgorithmError, "UNSUPPORTED_ALGORITHM", "the token must be signed with RS256"),
    (jwt.PyJWTError, "INVALID_TOKEN", "the token is malformed or invalid"),
]


class JwksTokenVerifier:
    """TokenVerifier over a JWKS at `https://…` or `file://…`; keys are loaded lazily and cached."""

    def __init__(
        self,
        jwks_url: str,
        issuer: str,
        audience: str,
        leeway_s: int = 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._jwks_url = jwks_url
        self._issuer = issuer
        self._audience = audience
        self._leeway_s = leeway_s
        self._clock = clock
        self._keys: dict[str, Any] | None = None
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != ALGORITHM:
                raise AuthenticationFailed("the token must be signed with RS256", "UNSUPPORTED_ALGORITHM")
            claims = jwt.decode(
                token,
                self._key_for(header.get("kid")),
                algorithms=[ALGORITHM],
                issuer=self._issuer,
                leeway=self._leeway_s,
                options={"require": REQUIRED_CLAIMS, "verify_aud": False},
            )
        except jwt.MissingRequiredClaimError as error:
            raise AuthenticationFailed(f"the token lacks the {error.claim} claim", "MISSING_CLAIM") from None
        except jwt.PyJWTError as error:
            code, message = next((c, m) for kind, c, m in _FAILURES if isinstance(error, kind))
            raise AuthenticationFailed(message, code) from None
        self._check_audience(claims)
        return _principal_from(claims)

    def _check_audience(self, claims: dict[str, Any]) -> None:
        audiences = claims.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else audiences or []
        if self._audience in audiences:
            return
        if claims.get("token_use") == "access" and claims.get("client_id") == self._audience:
            return
        raise AuthenticationFailed("the token was issued for another audience", "WRONG_AUDIENCE")

    def _key_for(self, kid: object) -> Any:
        if not isinstance(kid, str) or not kid:
            raise AuthenticationFailed("the token names no signing key (kid)", "INVALID_TOKEN")
        with self._lock:
            if self._keys is None or (
                kid not in self._keys and self._clock() - self._fetched_at >= REFETCH_INTERVAL_S
            ):
                self._fetched_at = self._clock()  # a failed fetch is not retried sooner either
                self._keys = self._fetch_keys()
            key = self._keys.get(kid)
        if key is None:
            raise AuthenticationFailed("the token was signed with an unknown key", "UNKNOWN_KEY")
        return key

    def _fetch_keys(self) -> dict[str, Any]:
        scheme = urlparse(self._jwks_url).scheme
        try:
            if scheme not in ("https", "file"):
                raise ValueError(f"the JWKS URL must be https:// or file://, not {scheme or 'empty'}")
            with urllib.request.urlopen(self._jwks_url, timeout=FETCH_TIMEOUT_S) as response:
                document = json.loads(response.read(MAX_JWKS_BYTES))
            key_set = jwt.PyJWKSet.from_dict(document)
        except (OSError, ValueError, jwt.PyJWTError):
            logger.exception("could not load the token signing keys")
            raise AuthenticationFailed(
                "the token signing keys are unavailable; try again shortly", "KEYS_UNAVAILABLE"
            ) from None
        return {
            key.key_id: key.key
            for key in key_set.keys
            if key.key_id
            and isinstance(key.key, RSAPublicKey)
            and key.algorithm_name == ALGORITHM
            and key.public_key_use in (None, "sig")
        }


def _principal_from(claims: dict[str, Any]) -> Principal:
    agency = claims.get("custom:agency")
    if not isinstance(agency, str) or not agency:
        raise AuthenticationFailed("the token carries no agency (custom:agency)", "MISSING_AGENCY")
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise AuthenticationFailed("the token subject (sub) must be a non-empty string", "INVALID_TOKEN")
    groups = claims.get("cognito:groups")
    names = groups if isinstance(groups, list) else []
    crew_id = claims.get("custom:crew_id")
    return Principal(
        subject=subject,
        agency=agency,
        roles=frozenset(ROLE_NAMES[name] for name in names if isinstance(name, str) and name in ROLE_NAMES),
        crew_id=crew_id if isinstance(crew_id, str) and crew_id else None,
    )
