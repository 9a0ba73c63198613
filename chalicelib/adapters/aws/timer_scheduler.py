"""Escalation timers as one-time EventBridge Scheduler schedules that invoke a function with a payload.

Each timer is a schedule `at(...)` in UTC whose target gets the payload as its event (the Input), and
which deletes itself after running (ActionAfterCompletion=DELETE). Scheduling a name that exists is
a no-op: the first schedule stands (to move a timer, cancel it and schedule again). Cancelling a
timer that has fired or never existed is fine.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

MAX_NAME_CHARS = 64
_INVALID = re.compile(r"[^0-9A-Za-z_.-]")
_VALID = re.compile(r"[0-9A-Za-z_.-]{1,64}")
DIGEST_CHARS = 12


def schedule_name(name: str) -> str:
    """`name` as a valid schedule name ([0-9a-zA-Z-_.]{1,64}), deterministically.

    A valid name is kept; any other gets its invalid characters replaced by "-", is cut, and ends
    with a digest of the original, so that names differing only in replaced characters stay apart.
    """
    if not name:
        raise ValueError("a timer needs a name")
    if _VALID.fullmatch(name):
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:DIGEST_CHARS]
    cleaned = _INVALID.sub("-", name)[: MAX_NAME_CHARS - DIGEST_CHARS - 1]
    return f"{cleaned}-{digest}"


def at_expression(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("a timer's time must be timezone-aware")
    return f"at({at.astimezone(UTC):%Y-%m-%dT%H:%M:%S})"


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class EventBridgeTimerScheduler:
    """`target_arn` is the function to invoke, `role_arn` the role the scheduler assumes to invoke it."""

    def __init__(self, client: Any, target_arn: str, role_arn: str, group: str = "default") -> None:
        self._client = client
        self._target_arn = target_arn
        self._role_arn = role_arn
        self._group = group

    def schedule(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        try:
            self._client.create_schedule(
                Name=schedule_name(name),
                GroupName=self._group,
                ScheduleExpression=at_expression(at),
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                Target={
                    "Arn": self._target_arn,
                    "RoleArn": self._role_arn,
                    "Input": json.dumps(payload, sort_keys=True, separators=(",", ":")),
                },
                ActionAfterCompletion="DELETE",
            )
        except ClientError as error:
            if _error_code(error) != "ConflictException":
                raise

    def cancel(self, name: str) -> None:
        try:
            self._client.delete_schedule(Name=schedule_name(name), GroupName=self._group)
        except ClientError as error:
            if _error_code(error) != "ResourceNotFoundException":
                raise
