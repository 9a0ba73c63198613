"""A notification to one role of one agency about an incident, as published on the agency's alerts topic.

Pure: the SNS adapter publishes `to_message()` as the body, `subject` as the SNS Subject and `role`,
`incident_id` and `notification_id` as message attributes (subscribers filter on `role`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from chalicelib.domain.access_levels import AccessLevel

MAX_SUBJECT_CHARS = 100  # SNS's limit on Subject
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def fit_subject(text: str) -> str:
    """`text` made a valid subject: whitespace runs collapsed to one space, cut to 100 chars with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= MAX_SUBJECT_CHARS:
        return flat
    return flat[: MAX_SUBJECT_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Notification:
    """`level` is the name of the AccessLevel the summary was redacted to (e.g. "SUMMARY")."""

    notification_id: str
    incident_id: str
    agency: str
    role: str
    subject: str
    summary: dict[str, Any]
    level: str
    deep_link: str
    reason: str

    def __post_init__(self) -> None:
        for name in ("notification_id", "incident_id", "agency", "role"):
            if not getattr(self, name):
                raise ValueError(f"a notification needs a non-empty {name}")
        if not self.subject or len(self.subject) > MAX_SUBJECT_CHARS or _CONTROL.search(self.subject):
            raise ValueError(
                f"a notification subject must be 1 to {MAX_SUBJECT_CHARS} chars on one line (see fit_subject)"
            )
        if self.level not in AccessLevel.__members__:
            raise ValueError(f"unknown access level {self.level!r}")

    def to_message(self) -> str:
        """The JSON body: every field, keys sorted."""
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"), default=str)
