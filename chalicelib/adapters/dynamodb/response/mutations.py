"""Answers of clients' mutations by (subject, clientMutationId) in DynamoDB (the `mutations` table), kept
7 days: a retry after a reconnect gets the first answer instead of applying the change again."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.conditions import condition_failed

RETENTION = timedelta(days=7)


class MutationModel(Model):
    """What a client's mutation answered, by (subject, clientMutationId): a retry gets the same answer."""

    class Meta:
        table_name = "mutations"

    pk = UnicodeAttribute(hash_key=True)  # mutation_key(subject, client_mutation_id)
    result = UnicodeAttribute()  # JSON
    expires_at = TTLAttribute()


def mutation_key(subject: str, client_mutation_id: str) -> str:
    return f"{subject}#{client_mutation_id}"


class DynamoMutationLog:
    def recall(self, subject: str, client_mutation_id: str) -> dict[str, Any] | None:
        try:
            item = MutationModel.get(mutation_key(subject, client_mutation_id), consistent_read=True)
        except MutationModel.DoesNotExist:
            return None
        answer: dict[str, Any] = json.loads(item.result)
        return answer

    def remember(self, subject: str, client_mutation_id: str, answer: dict[str, Any], now: datetime) -> bool:
        item = MutationModel(
            mutation_key(subject, client_mutation_id),
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
