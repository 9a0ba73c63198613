"""Device signing secrets, derived from one master key and never stored.

Why not store the secret, or only its hash? A device proves itself with HMAC-SHA256(secret, request).
To check that, the server must compute the same HMAC, so it needs the secret itself: a hash of the
secret (as one stores for passwords) cannot verify an HMAC. Storing every secret in DynamoDB would
put a table full of live credentials one read permission away from anyone with table access.

So each secret is derived: secret = HMAC-SHA256(master_key, f"device:{device_id}:v{key_version}").
The master key lives in Secrets Manager (read once per container), the devices table holds only the
SHA-256 fingerprint of each secret (to confirm which key a device was issued, never to verify), and
rotating a device's key is bumping its key_version. Losing the devices table leaks no credential;
rotating the master key re-keys every device.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from chalicelib.settings import Settings

MASTER_KEY_SECRET = "device-master-key"  # logical name in resources.json
MIN_MASTER_KEY_BYTES = 16


class DerivedKeyring:
    """`master_key` is the key, or a loader called once on first use (no Secrets Manager call at cold
    start for requests that never verify a device)."""

    def __init__(self, master_key: bytes | Callable[[], bytes]) -> None:
        self._load = master_key if callable(master_key) else None
        self._master_key = None if callable(master_key) else _checked(master_key)

    def _key(self) -> bytes:
        if self._master_key is None:
            assert self._load is not None
            self._master_key = _checked(self._load())
        return self._master_key

    def secret_for(self, device_id: str, key_version: int) -> bytes:
        message = f"device:{device_id}:v{key_version}".encode()
        return hmac.new(self._key(), message, hashlib.sha256).digest()

    def derive(self, purpose: str) -> bytes:
        """A key for another purpose (e.g. signing GraphQL cursors). The "purpose:" prefix keeps it apart
        from every device secret, whatever the device's id."""
        return hmac.new(self._key(), f"purpose:{purpose}".encode(), hashlib.sha256).digest()

    def issue(self, device_id: str, key_version: int) -> str:
        """The secret as handed to the device once: lowercase hex."""
        return self.secret_for(device_id, key_version).hex()


def _checked(master_key: bytes) -> bytes:
    if len(master_key) < MIN_MASTER_KEY_BYTES:
        raise ValueError(f"the device master key must hold at least {MIN_MASTER_KEY_BYTES} bytes")
    return master_key


def load_master_key(secretsmanager_client: Any, settings: Settings) -> bytes:
    """The master key from Secrets Manager (SecretString holds it base64-encoded)."""
    response = secretsmanager_client.get_secret_value(SecretId=settings.name(MASTER_KEY_SECRET))
    return base64.b64decode(response["SecretString"], validate=True)
