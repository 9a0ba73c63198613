"""Opaque, signed cursors: a client can neither read a position out of one nor forge or reuse one
for another caller or another query."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from chalicelib.domain.errors import InvalidInput

SIGNATURE_BYTES = 16


class CursorCodec:
    def __init__(self, key: Callable[[], bytes]) -> None:
        self._key_source = key
        self._key: bytes | None = None

    def _mac(self, payload: bytes) -> bytes:
        if self._key is None:
            self._key = self._key_source()
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:SIGNATURE_BYTES]

    def encode(self, position: str, scope: dict[str, Any]) -> str:
        """`scope` binds the cursor to its caller and query (agency, filters): it only works there."""
        payload = json.dumps({"p": position, "s": scope}, sort_keys=True, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(self._mac(payload) + payload).decode().rstrip("=")

    def decode(self, cursor: str, scope: dict[str, Any]) -> str:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            signature, payload = raw[:SIGNATURE_BYTES], raw[SIGNATURE_BYTES:]
            valid = hmac.compare_digest(signature, self._mac(payload))
            document = json.loads(payload) if valid else None
        except ValueError:
            document = None
        if (
            not isinstance(document, dict)
            or document.get("s") != scope
            or not isinstance(document.get("p"), str)
        ):
            raise InvalidInput("the cursor is not one this API issued for this query", "INVALID_CURSOR")
        return str(document["p"])
