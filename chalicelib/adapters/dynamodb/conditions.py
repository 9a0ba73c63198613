"""Telling a failed write condition (an expected outcome) from a real failure, for single writes and for
each item of a cancelled transaction."""

from __future__ import annotations

from pynamodb.exceptions import CancellationReason, PynamoDBException

CONDITION_FAILED = "ConditionalCheckFailedException"
CONDITION_FAILED_REASON = "ConditionalCheckFailed"  # a transaction item's cancellation reason


def condition_failed(error: PynamoDBException) -> bool:
    """True when DynamoDB refused the write because its condition did not hold."""
    return error.cause_response_code == CONDITION_FAILED


def item_condition_failed(reason: CancellationReason | None) -> bool:
    """True when this item of a cancelled transaction was refused because its condition did not hold."""
    return reason is not None and reason.code == CONDITION_FAILED_REASON
