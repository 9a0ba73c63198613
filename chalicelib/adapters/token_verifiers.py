"""Token verifiers that cost nothing until a token arrives, and one that accepts none."""

from __future__ import annotations

from chalicelib.domain.access.ports import TokenVerifier
from chalicelib.domain.errors import AuthenticationFailed
from chalicelib.domain.principal import Principal
from chalicelib.settings import Settings


class JwksTokenVerifierOnFirstUse:
    """Imports PyJWT and cryptography (about 50 ms) only when a token is first verified: device
    requests never pay for them."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._verifier: TokenVerifier | None = None

    def verify(self, token: str) -> Principal:
        if self._verifier is None:
            from chalicelib.adapters.jwt_verifier import JwksTokenVerifier

            s = self._settings
            self._verifier = JwksTokenVerifier(s.jwks_url, s.jwt_issuer, s.jwt_audience)
        return self._verifier.verify(token)


class RejectingTokenVerifier:
    """A verifier that accepts no token: the default of the in-memory container."""

    def verify(self, token: str) -> Principal:
        raise AuthenticationFailed("no token verifier is configured", "INVALID_TOKEN")
