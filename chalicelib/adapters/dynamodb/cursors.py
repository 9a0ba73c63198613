"""Opaque page cursors for the by_agency index: base64url of the JSON of the last key returned."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from chalicelib.adapters.dynamodb.incident_models import IncidentModel
from chalicelib.domain.errors import InvalidInput

KEY_NAMES = ("incident_id", "owner_agency", "seen_key")


def encode_cursor(item: IncidentModel) -> str:
    key = {"incident_id": item.incident_id, "owner_agency": item.owner_agency, "seen_key": item.seen_key}
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, agency: str) -> dict[str, dict[str, Any]]:
    """The ExclusiveStartKey a cursor stands for; InvalidInput when it is not one this agency was given."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        key = None
    if (
        not isinstance(key, dict)
        or set(key) != set(KEY_NAMES)
        or not all(isinstance(key[name], str) and key[name] for name in KEY_NAMES)
        or key["owner_agency"] != agency
    ):
        raise InvalidInput("the cursor is malformed or belongs to another listing", "INVALID_CURSOR")
    return {name: {"S": key[name]} for name in KEY_NAMES}
