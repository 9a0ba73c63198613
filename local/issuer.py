"""The dev token issuer: signs Cognito-shaped ID tokens with a local RSA key.

On first use it generates an RSA key pair into the local folder (.local/ by default) and writes the
public half as .local/jwks.json, which the API reads through CONCORD_JWKS_URL=file://…. Tokens carry
the claims the API's verifier expects from Cognito: iss, sub, aud, token_use "id", iat, exp,
custom:agency, cognito:groups and, for field crews, custom:crew_id.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from local.paths import api_port_from_env, issuer_url, local_dir, read_stack_description

AUDIENCE = "concord"
PRIVATE_KEY_FILE = "issuer-key.pem"
JWKS_FILE = "jwks.json"


def _b64url_uint(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_jwk(key: rsa.RSAPrivateKey) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    members = {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}
    # RFC 7638 thumbprint: SHA-256 of the required members, sorted, without whitespace.
    thumbprint = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode())
    kid = base64.urlsafe_b64encode(thumbprint.digest()).rstrip(b"=").decode()
    return {**members, "kid": kid, "alg": "RS256", "use": "sig"}


def _load_or_create_key(folder: Path) -> rsa.RSAPrivateKey:
    path = folder / PRIVATE_KEY_FILE
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        partial = folder / f"{PRIVATE_KEY_FILE}.{os.getpid()}.partial"
        partial.write_bytes(pem)
        partial.chmod(0o600)
        try:
            os.link(partial, path)  # fails if another process created the key first: use theirs
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA private key")
    return loaded


class DevIssuer:
    """Mints tokens for one issuer URL with the key pair kept in `folder`."""

    def __init__(self, issuer: str, folder: Path | None = None) -> None:
        self.issuer = issuer
        self.folder = folder or local_dir()
        self._key = _load_or_create_key(self.folder)
        self.jwk = public_jwk(self._key)
        self.jwks_path = self._write_jwks()

    def _write_jwks(self) -> Path:
        path = self.folder / JWKS_FILE
        text = json.dumps({"keys": [self.jwk]}, indent=2) + "\n"
        if not path.exists() or path.read_text() != text:
            partial = self.folder / f"{JWKS_FILE}.{os.getpid()}.partial"
            partial.write_text(text)
            partial.replace(path)
        return path

    @property
    def jwks_url(self) -> str:
        return self.jwks_path.resolve().as_uri()

    def mint(
        self,
        agency: str,
        roles: list[str] | tuple[str, ...],
        subject: str | None = None,
        ttl_s: int = 3600,
        crew_id: str | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": subject or f"dev-{agency}-{'-'.join(roles) or 'user'}",
            "aud": AUDIENCE,
            "token_use": "id",
            "iat": now,
            "exp": now + ttl_s,
            "jti": uuid.uuid4().hex,
            "custom:agency": agency,
            "cognito:groups": list(roles),
        }
        if crew_id is not None:
            claims["custom:crew_id"] = crew_id
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.jwk["kid"]})


def current_issuer_url() -> str:
    """The issuer of the running stack (from stack.json), else the one a stack on PORT would use."""
    description = read_stack_description()
    if description and description.get("issuer"):
        return str(description["issuer"])
    return issuer_url(api_port_from_env())


def mint(
    agency: str,
    roles: list[str] | tuple[str, ...],
    subject: str | None = None,
    ttl_s: int = 3600,
    crew_id: str | None = None,
) -> str:
    """A signed dev token for the running (or default) local stack."""
    return DevIssuer(current_issuer_url()).mint(agency, roles, subject=subject, ttl_s=ttl_s, crew_id=crew_id)
