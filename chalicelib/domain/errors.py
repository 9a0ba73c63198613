"""Errors the domain raises. Each carries a machine-readable code and a human message.

The API layer maps error classes to HTTP statuses; the domain never speaks HTTP.
"""

from __future__ import annotations


class ConcordError(Exception):
    """Base class: `code` is stable and machine-readable, `message` is for people."""

    code = "ERROR"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidInput(ConcordError):
    """The request as a whole cannot be accepted (malformed body, too many items)."""

    code = "INVALID_INPUT"


class PayloadTooLarge(ConcordError):
    code = "PAYLOAD_TOO_LARGE"


class AuthenticationFailed(ConcordError):
    """The caller could not be authenticated (device signature, JWT)."""

    code = "UNAUTHENTICATED"


class Forbidden(ConcordError):
    code = "FORBIDDEN"


class NotFound(ConcordError):
    code = "NOT_FOUND"


class Conflict(ConcordError):
    """An optimistic-locking check failed: someone else changed the item first."""

    code = "CONFLICT"

    def __init__(self, message: str, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class DuplicateEvent(ConcordError):
    """The event was already recorded: a redelivery, to be ignored."""

    code = "DUPLICATE_EVENT"
