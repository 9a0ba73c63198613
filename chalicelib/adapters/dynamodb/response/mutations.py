"""Answers of clients' mutations by (subject, clientMutationId), kept 7 days: a retry after a reconnect
gets the first answer instead of applying the change again."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import PutError  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives

from chalicelib.adapters.dynamodb.access.models import MutationModel
from chalicelib.adapters.dynamodb.conditions import condition_failed

RETENTION = timedelta(days=7)


class DynamoMutationLog:
    def recall(self, subject: str, client_mutation_id: str) -> dict[str, Any] | None:
        try:
            item = MutationModel.get(f"{subject}#{client_mutation_id}", consistent_read=True)
        except MutationModel.DoesNotExist:
            return None
        answer: dict[str, Any] = json.loads(item.result)
        return answer

    def remember(self, subject: str, client_mutation_id: str, answer: dict[str, Any], now: datetime) -> bool:
        item = MutationModel(
            f"{subject}#{client_mutation_id}",
            result=json.dumps(answer, default=str),
            expires_at=now + RETENTION,
        )
        try:
            item.save(condition=MutationModel.pk.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                return False
            raise
        return True
