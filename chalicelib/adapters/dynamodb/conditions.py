"""Telling a failed write condition (an expected outcome) from a real failure."""

from __future__ import annotations

from pynamodb.exceptions import PynamoDBException  # noqa: TID251 - the DynamoDB adapter

CONDITION_FAILED = "ConditionalCheckFailedException"


def condition_failed(error: PynamoDBException) -> bool:
    """True when DynamoDB refused the write because its condition did not hold."""
    return error.cause_response_code == CONDITION_FAILED
